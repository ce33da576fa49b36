import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TimelineModel, STATE } from '../../src/renderer/timeline/model';
import { TimeAxis, barExtent, hitTest, layoutLanes, rowY, ROW_HEIGHT } from '../../src/renderer/timeline/layout';
import type { SessionEvent } from '../../src/core/session/api';

const created = (id: number, t: number, source: string, name: string, parent: number | null = null): SessionEvent => ({
  type: 'task-created', t, wall: t, id, parent, name, kind: 'line', source, pos: { source, line: id, col: 1 },
});
const ev = (type: 'task-running' | 'task-done' | 'task-cancelled', id: number, t: number): SessionEvent =>
  ({ type, id, t, wall: t }) as SessionEvent;
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
    expect(hitTest(m, axis, axis.x(1.2), song.top + 2, 3)).toEqual({ kind: 'lane', lane: song.lane });
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
