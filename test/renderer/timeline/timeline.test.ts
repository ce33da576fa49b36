import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TimelineModel, STATE } from '../../../src/renderer/timeline/model';
import { MAX_CONNECTORS, TimeAxis, barExtent, hitTest, layoutConnectors, layoutLanes, rowY, ROW_HEIGHT } from '../../../src/renderer/timeline/layout';
import { taskLabel } from '../../../src/renderer/timeline/view';
import type { SessionEvent } from '../../../src/core/session/api';
import { Session } from '../../../src/core/session/session';

const created = (id: number, t: number, source: string, name: string, parent: number | null = null): SessionEvent => ({
  type: 'task-created', t, wall: t, id, parent, name, kind: 'line', source, pos: { source, line: id, col: 1 },
});
const ev = (type: 'task-running' | 'task-done', id: number, t: number): SessionEvent => ({ type, id, t, wall: t });
const cancelled = (id: number, t: number, by: number | 'stop', reason: 'group-failure' | 'race' | 'cancel' | 'stop'): SessionEvent =>
  ({ type: 'task-cancelled', id, t, wall: t, by, reason });
const sleeping = (id: number, t: number, until: number): SessionEvent => ({ type: 'task-sleeping', id, t, wall: t, until });

function demo(): TimelineModel {
  const m = new TimelineModel();
  const events: SessionEvent[] = [
    created(1, 0, 'terminal', 'wait 2'), ev('task-running', 1, 0), sleeping(1, 0, 2),
    created(2, 0.5, 'song.txt', 'chord 1 60 64'), ev('task-running', 2, 0.5), sleeping(2, 0.5, 1.5),
    created(3, 0.5, 'song.txt', 'add 60', 2), ev('task-running', 3, 0.5), ev('task-done', 3, 0.5),
    ev('task-running', 2, 1.5), ev('task-done', 2, 1.5),
    ev('task-running', 1, 2), ev('task-done', 1, 2),
    created(4, 2, 'terminal', 'wait 5'), ev('task-running', 4, 2), sleeping(4, 2, 7),
    { type: 'notes', t: 0.5, ns: 5e8, wall: 0.5, notes: [60, 64], freqs: [523.25, 659.2] },
    { type: 'notes', t: 1.5, ns: 1.5e9, wall: 1.5, notes: [], freqs: [] },
  ];
  for (const e of events) m.apply(e);
  return m;
}

describe('timeline model', () => {
  it('puts each source in its own lane and each task in it with its span and state', () => {
    const m = demo();
    expect(m.lanes.map((l) => l.name)).toEqual(['terminal', 'song.txt']);
    const chord = m.task(2)!;
    expect([chord.start, chord.end, chord.state]).toEqual([0.5, 1.5, STATE.done]);
    expect(chord.segState).toContain(STATE.sleeping);
    expect(m.task(4)!.end).toBeNaN();
    expect(m.liveCount).toBe(1);
  });

  it('draws a child below its parent, and a sequential task in the row a finished one freed', () => {
    const m = demo();
    const boxes = layoutLanes(m);
    const song = boxes.find((b) => b.lane.name === 'song.txt')!;
    expect(rowY(song, m.task(3)!)).toBeGreaterThan(rowY(song, m.task(2)!));
    const term = boxes.find((b) => b.lane.name === 'terminal')!;
    expect(rowY(term, m.task(4)!)).toBe(rowY(term, m.task(1)!));
  });

  it('gives concurrent tasks of one source separate rows', () => {
    const m = new TimelineModel();
    for (let i = 1; i <= 5; i++) m.apply(created(i, 0, 'spawns', `wait ${i}`));
    const box = layoutLanes(m)[0];
    const ys = new Set([1, 2, 3, 4, 5].map((id) => rowY(box, m.task(id)!)));
    expect(ys.size).toBe(5);
  });

  it('keeps the piano roll of what sounded', () => {
    const m = demo();
    expect(m.noteBars.map((b) => [b.note, b.start, b.end])).toEqual([[60, 0.5, 1.5], [64, 0.5, 1.5]]);
    expect(m.activeNotes).toEqual([]);
  });

  it('finds exactly the tasks that meet a time window (compared with a scan of all)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(200), fc.boolean()), { minLength: 1, maxLength: 600 }),
        fc.nat(1200),
        fc.nat(300),
        (specs, w0, wl) => {
          const m = new TimelineModel();
          // in any order: the index must not depend on starts arriving sorted
          const tasks = specs.map(([s, d, open]) => ({ s: s / 10, d: d / 10, open }));
          const ends: { t: number; id: number }[] = [];
          tasks.forEach((spec, i) => {
            m.apply(created(i + 1, spec.s, 'lane', `t${i}`));
            if (!spec.open) ends.push({ t: spec.s + spec.d, id: i + 1 });
          });
          for (const e of ends) m.apply(ev('task-done', e.id, e.t));
          const t0 = w0 / 10;
          const t1 = t0 + wl / 10;
          const seen: number[] = [];
          m.lanes[0].forEachVisible(t0, t1, (task) => seen.push(task.id));
          const expected = tasks
            .map((spec, i) => ({ id: i + 1, s: spec.s, e: spec.open ? Infinity : spec.s + spec.d }))
            .filter((x) => x.s <= t1 && x.e >= t0)
            .map((x) => x.id);
          expect(seen.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rebuilds the same picture from a snapshot', () => {
    const m = new TimelineModel();
    m.loadSnapshot({
      t: 3,
      wall: 3,
      notes: [60],
      tasks: [
        { id: 7, parent: null, name: 'script.txt', kind: 'source', source: 'script.txt', pos: null, state: 'waiting' },
        { id: 9, parent: 7, name: 'chord 2 72', kind: 'line', source: 'script.txt', pos: { source: 'script.txt', line: 4, col: 1 }, state: 'sleeping' },
      ],
      recent: [created(9, 2.5, 'script.txt', 'chord 2 72', 7), ev('task-running', 9, 2.5), sleeping(9, 2.5, 4.5)],
    });
    expect(m.task(7)!.start).toBeLessThanOrEqual(2.5);
    expect(m.task(9)!.state).toBe(STATE.sleeping);
    expect(m.task(9)!.depth).toBe(1);
    expect(m.activeNotes).toEqual([60]);
  });
});

describe('time axis and hit-testing', () => {
  it('zooming keeps the time under the pointer in place', () => {
    const axis = new TimeAxis(10, 100, 800);
    const before = axis.t(300);
    axis.zoom(4, 300);
    expect(axis.t(300)).toBeCloseTo(before, 9);
    expect(axis.span).toBeCloseTo(2, 9);
    axis.pan(100);
    expect(axis.t(300)).toBeCloseTo(before - 100 / 400, 9);
  });

  it('follow mode keeps now near the right edge', () => {
    const axis = new TimeAxis(0, 50, 1000);
    axis.follow(42);
    expect(axis.x(42)).toBeCloseTo(850, 9);
  });

  it('the pointer over a bar hits that task; over empty space it hits the lane', () => {
    const m = demo();
    const axis = new TimeAxis(0, 200, 1000);
    const boxes = layoutLanes(m);
    const song = boxes.find((b) => b.lane.name === 'song.txt')!;
    const chord = m.task(2)!;
    const [x0, x1] = barExtent(axis, chord, 3);
    const y = rowY(song, chord) + ROW_HEIGHT / 2;
    const hit = hitTest(m, axis, (x0 + x1) / 2, y, 3);
    expect(hit && hit.kind === 'task' && hit.task.id).toBe(2);
    const miss = hitTest(m, axis, axis.x(5), y, 3);
    expect(miss && miss.kind).toBe('lane');
    // an open task reaches now
    const term = boxes.find((b) => b.lane.name === 'terminal')!;
    const open = hitTest(m, axis, axis.x(2.9), rowY(term, m.task(4)!) + 1, 3);
    expect(open && open.kind === 'task' && open.task.id).toBe(4);
  });

  it('a loop-lag mark is found in its lane header, with how late it was', () => {
    const m = demo();
    m.apply({ type: 'loop-lag', t: 1.5, wall: 1.53, id: 2, late: 0.03 });
    const axis = new TimeAxis(0, 200, 1000);
    const song = layoutLanes(m).find((b) => b.lane.name === 'song.txt')!;
    const hit = hitTest(m, axis, axis.x(1.5) + 1, song.top + 2, 3);
    expect(hit).toEqual({ kind: 'lag', lane: song.lane, t: 1.5, late: 0.03 });
    expect(hitTest(m, axis, axis.x(1.2), song.top + 2, 3)).toEqual({ kind: 'header', lane: song.lane });
  });

  it('the pointer over a note in the piano roll hits it', () => {
    const m = demo();
    const axis = new TimeAxis(0, 200, 1000);
    let found = false;
    for (let y = 0; y < 200 && !found; y++) {
      const hit = hitTest(m, axis, axis.x(1), y, 3);
      if (hit && hit.kind === 'note' && hit.bar.note === 64) found = true;
    }
    expect(found).toBe(true);
    expect(hitTest(m, axis, axis.x(1.8), 40, 3)).toBeNull();
  });
});

describe('who awaits whom', () => {
  const waiting = (id: number, t: number, on: { kind: 'task'; id: number } | { kind: 'tasks'; ids: number[] }): SessionEvent => ({ type: 'task-waiting', id, t, wall: t, on });
  const failed = (id: number, t: number): SessionEvent => ({ type: 'task-failed', id, t, wall: t, error: { name: 'CommandError', message: "Can't square 7" } });

  /** A gather line (1) of four parts (2..5); part 4 fails at 0.5 and the others are cancelled then. */
  function gather(): TimelineModel {
    const m = new TimelineModel();
    m.apply(created(1, 0, 'ex.txt', 'gather a | b | c | d'));
    for (let id = 2; id <= 5; id++) m.apply(created(id, 0, 'ex.txt', `part ${id}`, 1));
    m.apply(waiting(1, 0, { kind: 'tasks', ids: [2, 3, 4, 5] }));
    for (const id of [2, 3, 5]) m.apply(sleeping(id, 0, 3));
    m.apply(failed(4, 0.5));
    for (const id of [2, 3, 5]) m.apply(cancelled(id, 0.5, 4, 'group-failure'));
    m.apply(failed(1, 0.5));
    return m;
  }

  it('records a gather as one wait of the line on each of its parts, ended when the line goes on', () => {
    const m = gather();
    const line = m.task(1)!;
    expect(line.waits).toHaveLength(1);
    expect(line.waits![0].to.map((t) => t.id)).toEqual([2, 3, 4, 5]);
    expect([line.waits![0].t, line.waits![0].end]).toEqual([0, 0.5]);
    expect(m.task(3)!.waitedBy!.map((e) => e.from.id)).toEqual([1]);
  });

  it('says which failure cancelled which siblings', () => {
    const m = gather();
    expect(m.task(4)!.cancels!.map((t) => t.id)).toEqual([2, 3, 5]);
    for (const id of [2, 3, 5]) expect(m.task(id)!.cancelledBy?.id).toBe(4);
    // a sibling cancelled at another time was not cancelled by that failure
    const m2 = new TimelineModel();
    m2.apply(created(1, 0, 's', 'race a | b'));
    m2.apply(created(2, 0, 's', 'a', 1));
    m2.apply(created(3, 0, 's', 'b', 1));
    m2.apply(waiting(1, 0, { kind: 'tasks', ids: [2, 3] }));
    m2.apply(ev('task-done', 2, 1));
    m2.apply(cancelled(3, 1, 2, 'race'));
    expect(m2.task(3)!.cancelledBy?.id).toBe(2); // the race's winner
    m2.apply(created(4, 2, 's', 'wait 5'));
    m2.apply(cancelled(4, 3, 'stop', 'stop'));
    expect(m2.task(4)!.cancelledBy).toBeNull();
    // a task that ran `cancel` is no sibling whose end cancelled it: no crossed connector
    m2.apply(created(5, 3, 's', 'wait 5'));
    m2.apply(created(6, 3, 's', 'cancel 5'));
    m2.apply(cancelled(5, 3, 6, 'cancel'));
    expect(m2.task(5)!.cancelledBy).toBeNull();
    expect(m2.task(6)!.cancels).toBeNull();
  });

  it('lays out a connector from the waiter to each part where the wait began, and from the failure to each cancelled sibling', () => {
    const m = gather();
    const axis = new TimeAxis(-1, 100, 800);
    const boxes = layoutLanes(m);
    const connectors = layoutConnectors(axis, boxes);
    const box = boxes[0];
    const waits = connectors.filter((c) => c.kind === 'wait');
    expect(waits.map((c) => c.to.id)).toEqual([2, 3, 4, 5]);
    for (const c of waits) {
      expect(c.x).toBe(axis.x(0));
      expect(c.y0).toBe(rowY(box, m.task(1)!) + ROW_HEIGHT / 2);
      expect(c.y1).toBe(rowY(box, c.to) + ROW_HEIGHT / 2);
    }
    const cancels = connectors.filter((c) => c.kind === 'cancel');
    expect(cancels.map((c) => [c.from.id, c.to.id])).toEqual([[4, 2], [4, 3], [4, 5]]);
    for (const c of cancels) expect(c.x).toBe(axis.x(0.5));
    // off screen: no connectors; and never more than the cap
    expect(layoutConnectors(new TimeAxis(10, 100, 800), boxes)).toEqual([]);
    expect(layoutConnectors(axis, boxes, 3)).toHaveLength(3);
  });

  it('draws a join (await of one task) the same way', () => {
    const m = new TimelineModel();
    m.apply(created(1, 0, 'x', 'cube'));
    m.apply(created(2, 3, 'x', 'square', 1));
    m.apply(waiting(1, 3, { kind: 'task', id: 2 }));
    const [c] = layoutConnectors(new TimeAxis(0, 100, 800), layoutLanes(m));
    expect([c.kind, c.from.id, c.to.id, c.t]).toEqual(['wait', 1, 2, 3]);
    m.apply(ev('task-done', 2, 6));
    m.apply(ev('task-running', 1, 6));
    expect(m.task(1)!.waits![0].end).toBe(6);
  });

  it('visits only tasks on screen for 10,000 waits, within the cap', () => {
    const m = new TimelineModel();
    for (let i = 0; i < 10_000; i++) {
      const t = i * 0.01;
      m.apply(created(2 * i + 1, t, 'lane', `w${i}`));
      m.apply(created(2 * i + 2, t, 'lane', `c${i}`, 2 * i + 1));
      m.apply(waiting(2 * i + 1, t, { kind: 'task', id: 2 * i + 2 }));
      m.apply(ev('task-done', 2 * i + 2, t + 0.005));
      m.apply(ev('task-done', 2 * i + 1, t + 0.005));
    }
    const boxes = layoutLanes(m);
    const narrow = layoutConnectors(new TimeAxis(50, 1000, 1000), boxes);
    expect(narrow.length).toBeGreaterThan(90);
    expect(narrow.length).toBeLessThanOrEqual(101);
    expect(narrow.every((c) => c.t >= 50 && c.t <= 51)).toBe(true);
    expect(layoutConnectors(new TimeAxis(0, 10, 1000), boxes)).toHaveLength(MAX_CONNECTORS);
  });
});

describe('names and sessions', () => {
  it('names a spawned task from its task-named event, and from no output', () => {
    const m = new TimelineModel();
    m.apply(created(1, 0, 'terminal', 'spawn chord 1 60'));
    m.apply({ type: 'task-created', t: 0, wall: 0, id: 2, parent: 1, name: 'chord 1 60', kind: 'spawned', source: 'terminal', pos: null });
    m.apply({ type: 'task-named', t: 0, wall: 0, id: 2, alias: 't1', source: 'terminal' });
    m.apply({ type: 'output', t: 0, wall: 0, source: 'terminal', text: '[t1] chord 1 60', taskId: 1 });
    expect(m.task(2)!.alias).toBe('t1');
    expect(taskLabel(m.task(2)!)).toBe('t1  chord 1 60');
    expect(m.task(1)!.alias).toBeNull();
    // output that looks like a name names nothing
    m.apply({ type: 'output', t: 0, wall: 0, source: 'terminal', text: '[t9] not a spawn', taskId: 1 });
    expect(m.task(2)!.alias).toBe('t1');
    m.apply({ type: 'task-created', t: 0, wall: 0, id: 3, parent: 1, name: 'beep 60', kind: 'spawned', source: 'terminal', pos: null });
    m.apply({ type: 'output', t: 0, wall: 0, source: 'terminal', text: '[t2] beep 60', taskId: 1 });
    expect(m.task(3)!.alias).toBeNull();
  });

  it('keeps the history of a session that quit, and draws the next one after it', () => {
    const m = demo();
    const snapshot = { t: 0, wall: 0, notes: [], tasks: [], recent: [] as SessionEvent[] };
    m.loadSnapshot(snapshot, { keepHistory: true });
    expect(m.sessionBreaks).toHaveLength(1);
    expect(m.base).toBeGreaterThan(2);
    // the old tasks are still there, closed
    const terminal = m.lanes.find((l) => l.name === 'terminal')!;
    expect(terminal.tasks.map((t) => t.name)).toEqual(['wait 2', 'wait 5']);
    expect(terminal.tasks.every((t) => !Number.isNaN(t.end))).toBe(true);
    expect(m.liveCount).toBe(0);
    // the new session's ids start over without clashing; its times come after the break
    m.apply(created(1, 0.25, 'terminal', 'beep 60'));
    const beep = m.task(1)!;
    expect(beep.name).toBe('beep 60');
    expect(beep.start).toBeCloseTo(m.base + 0.25, 12);
    expect(beep.start).toBeGreaterThan(m.sessionBreaks[0]);
    expect(terminal.tasks).toHaveLength(3);
    // a snapshot of the same session again (a reconnect) keeps all of it, the break too
    m.mergeSnapshot({ ...snapshot, t: 0.25, tasks: [{ id: 1, parent: null, name: 'beep 60', kind: 'line', source: 'terminal', pos: null, state: 'running' }] });
    expect(m.sessionBreaks).toHaveLength(1);
    expect(terminal.tasks.map((t) => t.name)).toEqual(['wait 2', 'wait 5', 'beep 60']);
    expect(m.task(1)!.start).toBeCloseTo(m.base + 0.25, 12);
    // only a page that starts afresh begins from the snapshot alone
    m.loadSnapshot(snapshot);
    expect(m.lanes).toEqual([]);
    expect(m.base).toBe(0);
  });
});

describe('a snapshot of the session already shown (reconnect)', () => {
  /** Every bar as the timeline draws it: lane, task, span, state and its changes. */
  const bars = (m: TimelineModel) =>
    m.lanes.flatMap((l) => l.tasks.map((t) => ({ lane: l.name, id: t.id, name: t.name, start: t.start, end: t.end, state: t.state, segs: t.segStart.map((s, i) => `${s}:${t.segState[i]}`).join(' ') })));
  const notes = (m: TimelineModel) => m.noteBars.map((b) => `${b.note}@${b.start}-${b.end}`);
  const LINES = ['beep 60 0.5', 'spawn repeat 12 beep 62 0.25', 'chord 1 64 67', 'gather wait 0.5 | beep 65 1.5', 'wait 1; beep 67 0.5'];

  /**
   * A session plays on the virtual clock; one page sees every event, the other
   * loses its connection from `from` to `to` and then gets a snapshot.
   */
  function dropped(from: number, to: number, recentEvents?: number) {
    const session = new Session({ recentEvents });
    const always = new TimelineModel();
    const page = new TimelineModel();
    let connected = true;
    session.subscribe((e) => {
      always.apply(e);
      if (connected) page.apply(e);
    });
    page.loadSnapshot(session.snapshot());
    const terminal = session.openSource('terminal');
    for (const line of LINES) terminal.pushLine(line);
    session.scheduler.runUntilIdle(from);
    const before = bars(page);
    connected = false;
    session.scheduler.runUntilIdle(to);
    const missed = page.mergeSnapshot(session.snapshot());
    connected = true;
    return { session, always, page, before, missed };
  }

  it('keeps the bars it had and adds what it missed, as if it had never been away', () => {
    const { session, always, page, before, missed } = dropped(0.6, 2.2);
    // what the page showed before the drop is still there, from the same starts
    const after = new Map(bars(page).map((b) => [b.id, b]));
    for (const b of before) expect(after.get(b.id)?.start).toBe(b.start);
    expect(bars(page)).toEqual(bars(always));
    expect(notes(page)).toEqual(notes(always));
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((e) => e.t > 0.6)).toBe(true);
    // and it goes on as before
    session.scheduler.runUntilIdle();
    expect(bars(page)).toEqual(bars(always));
    expect(notes(page)).toEqual(notes(always));
    expect(page.liveCount).toBe(always.liveCount);
  });

  it('changes nothing when the same snapshot comes twice (the pushed one, then the one asked for)', () => {
    const { session, page } = dropped(0.6, 2.2);
    const once = { bars: bars(page), notes: notes(page), live: page.liveCount };
    expect(page.mergeSnapshot(session.snapshot())).toEqual([]);
    expect({ bars: bars(page), notes: notes(page), live: page.liveCount }).toEqual(once);
  });

  it('after a gap longer than the recent window: known bars stay, ended ones close, live ones appear', () => {
    const { session, page, before } = dropped(0.6, 2.9, 4);
    const byId = new Map(bars(page).map((b) => [b.id, b]));
    for (const b of before) expect(byId.get(b.id)?.start).toBe(b.start);
    const live = new Set(session.snapshot().tasks.map((t) => t.id));
    for (const b of bars(page)) expect(Number.isNaN(b.end)).toBe(live.has(b.id));
    for (const id of live) expect(byId.has(id)).toBe(true);
    expect(page.liveCount).toBe(live.size);
  });
});

describe('connectors from the engine’s own events', () => {
  /** Run a script on the core's virtual clock and build the timeline from what it emits. */
  function played(script: string): TimelineModel {
    const session = new Session();
    const m = new TimelineModel();
    session.subscribe((e) => m.apply(e));
    session.loadScript('s.txt', script);
    session.scheduler.runUntilIdle(60);
    return m;
  }
  const named = (m: TimelineModel, name: string) => m.lanes[0].tasks.filter((t) => t.name === name);

  it('group: the failed part cancelled the others, at its end', () => {
    const m = played('group wait 2 | eval wait 0.5; fail boom | wait 3\n');
    const [failed] = named(m, 'eval wait 0.5; fail boom');
    expect(failed.state).toBe(STATE.failed);
    expect(failed.cancels!.map((t) => t.name).sort()).toEqual(['wait 2', 'wait 3']);
    for (const t of failed.cancels!) expect([t.state, t.end]).toEqual([STATE.cancelled, failed.end]);
    const [line] = named(m, 'group wait 2 | eval wait 0.5; fail boom | wait 3');
    expect(line.waits![0].to.map((t) => t.name)).toEqual(['wait 2', 'eval wait 0.5; fail boom', 'wait 3']);
  });

  it('race: the winner’s end cancelled the rest; settle cancels nobody', () => {
    const m = played('race wait 1 | wait 0.25 | wait 2\nsettle wait 0.1 | fail oops | wait 0.2\n');
    const winner = named(m, 'wait 0.25')[0];
    expect(winner.state).toBe(STATE.done);
    expect(winner.cancels!.map((t) => t.name).sort()).toEqual(['wait 1', 'wait 2']);
    expect(named(m, 'fail oops')[0].cancels).toBeNull();
    expect(named(m, 'wait 0.2')[0].state).toBe(STATE.done);
  });

  it('timeout: the timer’s end cancelled the command', () => {
    const m = played('timeout 0.5 chord 2 60\n');
    const chord = named(m, 'chord 2 60')[0];
    expect(chord.state).toBe(STATE.cancelled);
    expect(chord.cancelledBy).not.toBeNull();
    expect(chord.cancelledBy!.end).toBe(chord.end);
    expect(chord.end - chord.start).toBeCloseTo(0.5, 9);
  });

  it('a phrase awaited inside another is a join of the caller on it', () => {
    const m = played('def inner wait 1\ndef outer wait 0.5; inner\nouter\n');
    const [inner] = named(m, 'inner');
    expect(inner.waitedBy!.map((e) => [e.kind, e.from.name])).toEqual([['task', 'outer']]);
    // a source awaits each of its lines too, but that is what nesting shows: no connector for it
    const source = m.lanes[0].tasks.find((t) => t.kind === 'source')!;
    expect(source.waits!.length).toBe(3);
    const connectors = layoutConnectors(new TimeAxis(-1, 100, 800), layoutLanes(m));
    expect(connectors.map((c) => [c.kind, c.from.name, c.to.name])).toEqual([['wait', 'outer', 'inner']]);
  });
});

describe('timeline navigation and marks (issue 10)', () => {
  it('collapses a source to its header once it has been idle a while, and keeps a playing one open', async () => {
    const { isCollapsed, IDLE_COLLAPSE_SECONDS, LANE_HEADER } = await import('../../../src/renderer/timeline/layout');
    const m = demo();
    const song = m.lanes.find((l) => l.name === 'song.txt')!;
    const term = m.lanes.find((l) => l.name === 'terminal')!;
    // song.txt ended at 1.5; the terminal's `wait 5` still runs
    expect(isCollapsed(song, 1.5 + IDLE_COLLAPSE_SECONDS / 2)).toBe(false);
    expect(isCollapsed(song, 1.5 + IDLE_COLLAPSE_SECONDS + 0.1)).toBe(true);
    expect(isCollapsed(term, 100)).toBe(false);
    // a click on the header opens or closes it whatever its activity
    expect(isCollapsed(song, 100, true)).toBe(false);
    expect(isCollapsed(term, 100, false)).toBe(true);
    const boxes = layoutLanes(m, 0, (lane) => isCollapsed(lane, 100));
    const box = boxes.find((b) => b.lane === song)!;
    expect(box.collapsed).toBe(true);
    expect(box.height).toBe(LANE_HEADER);
  });

  it('scrolls a lane into view by as little as it takes', async () => {
    const { scrollToShow, lanesTop } = await import('../../../src/renderer/timeline/layout');
    const m = new TimelineModel();
    for (let s = 0; s < 12; s++) for (let i = 0; i < 4; i++) m.apply(created(s * 10 + i + 1, 0, `lesson${s}.txt`, `wait ${i + 1}`));
    const viewHeight = 300;
    const boxes = layoutLanes(m, 0);
    const last = boxes[boxes.length - 1];
    expect(last.top + last.height).toBeGreaterThan(lanesTop() + viewHeight);
    const scroll = scrollToShow(last, 0, viewHeight);
    const moved = layoutLanes(m, scroll).find((b) => b.lane === last.lane)!;
    expect(moved.top + moved.height).toBeLessThanOrEqual(lanesTop() + viewHeight);
    expect(moved.top).toBeGreaterThanOrEqual(lanesTop());
    // already in view: no move
    expect(scrollToShow(boxes[0], 0, viewHeight)).toBe(0);
  });

  it('counts late events per pixel column, drawn in proportion to the count', async () => {
    const { lateColumns, lateColumnHeight } = await import('../../../src/renderer/timeline/layout');
    const axis = new TimeAxis(0, 100, 500);
    const times = Array.from({ length: 58 }, (_, i) => 1 + i * 0.0005); // 58 late events within 3 px
    const cols = lateColumns(axis, times, times.map(() => 0.07));
    const used = [...cols.counts].filter((n) => n > 0);
    expect(used.length).toBeLessThanOrEqual(4);
    expect(used.reduce((a, b) => a + b, 0)).toBe(58);
    expect(lateColumnHeight(58)).toBeGreaterThan(lateColumnHeight(1));
    expect(lateColumnHeight(1000)).toBeLessThan(lateColumnHeight(1) * 12);
  });

  it('hovering a mark says what it is: late events, engine behind, loop lag', async () => {
    const { describeHit } = await import('../../../src/renderer/timeline/describe');
    const { RULER_HEIGHT, geometry } = await import('../../../src/renderer/timeline/layout');
    const m = demo();
    m.markLate(1, 0.07);
    m.markLate(1.001, 0.09);
    m.apply({ type: 'engine-behind', t: 2, wall: 2.4, behind: 0.4, skipped: 0.4 });
    const axis = new TimeAxis(0, 200, 1000);
    const late = hitTest(m, axis, axis.x(1), RULER_HEIGHT + geometry.rollHeight - 2, 3);
    expect(late).toMatchObject({ kind: 'late', count: 2, worst: 0.09 });
    expect(describeHit(late as never)[0].text).toBe('2 late audio events');
    const behind = hitTest(m, axis, axis.x(2), RULER_HEIGHT - 2, 3);
    expect(behind).toMatchObject({ kind: 'behind', behind: 0.4 });
    expect(describeHit(behind as never)[0].text).toBe('engine behind by 400.0 ms');
    m.apply({ type: 'loop-lag', t: 1.5, wall: 1.53, id: 2, late: 0.03 });
    const song = layoutLanes(m).find((b) => b.lane.name === 'song.txt')!;
    const lag = hitTest(m, axis, axis.x(1.5), song.top + 2, 3);
    expect(describeHit(lag as never)[0].text).toBe('loop lag in song.txt');
  });
});

describe('when a lane begins to play', () => {
  it('is when its first task starts after an idle spell, not each next line of a script', () => {
    const m = new TimelineModel();
    m.apply(created(1, 1, 'song.txt', 'beep 60 0.5'));
    m.apply(ev('task-done', 1, 1.5));
    m.apply(created(2, 1.5, 'song.txt', 'beep 62 0.5'));
    const lane = m.lanes[0];
    expect(lane.playedFrom).toBe(1);
    m.apply(ev('task-done', 2, 2));
    m.apply(created(3, 5, 'song.txt', 'beep 64 0.5'));
    expect(lane.playedFrom).toBe(5);
  });
});
