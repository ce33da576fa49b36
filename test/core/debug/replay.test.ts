import { describe, expect, it } from 'vitest';
import { rebuildAt } from '../../../src/core/debug/replay';
import { compareMoment, stateFromEvents } from '../../../src/core/debug/replay-check';
import { InputLog } from '../../../src/core/debug/replay-inputs';
import { secondsToNs } from '../../../src/core/time';
import { liveRig } from '../../support/debug/live-rig';

/** Rebuild the rig's session at `t` seconds and check it against the original's events. */
function checkAt(rig: ReturnType<typeof liveRig>, t: number) {
  const atNs = secondsToNs(t);
  const rebuilt = rebuildAt(rig.log.inputs, atNs);
  return { rebuilt, differences: compareMoment(rig.events, rebuilt.events, rebuilt.session.snapshot(), atNs) };
}

/** A terminal session: lines typed at odd moments, a bpm, a seed and chance, a task named and cancelled by hand. */
async function typedSession() {
  const rig = liveRig();
  let terminal!: ReturnType<typeof rig.engine.openSource>;
  await rig.at(13.7, (e) => (terminal = e.openSource('terminal')));
  await rig.at(13.7, () => terminal.pushLine('bpm 90'));
  await rig.at(251.3, () => terminal.pushLine('seed 7'));
  await rig.at(377.77, () => terminal.pushLine('live bass beep choose(C3,G3,A3) 0.5'));
  await rig.at(1009.1, () => terminal.pushLine('beep E5 3 &'));
  await rig.at(1401.9, () => terminal.pushLine('chord 1 C4 E4 G4; beep rand(60,72) 0.25'));
  await rig.at(2222.2, (e) => {
    const named = rig.events.find((x) => x.type === 'task-named' && x.alias === 't1');
    e.cancelTask((named as { id: number }).id);
  });
  await rig.to(4000);
  return rig;
}

describe('replay from here: rebuild on the virtual clock', () => {
  it('typed lines at odd times, bpm, seed and chance, a cancel: the rebuild equals the original at every moment tried', async () => {
    const rig = await typedSession();
    // The chance really played: the bass took more than one note from choose(...).
    const bassNotes = new Set(rig.events.flatMap((e) => (e.type === 'notes' ? e.notes.filter((n) => n < 58) : [])));
    expect(bassNotes.size).toBeGreaterThan(1);
    expect(rig.events.some((e) => e.type === 'task-cancelled' && e.reason === 'cancel')).toBe(true);
    for (const t of [0.0137, 0.2, 0.37777, 1.2, 1.4019, 1.9, 2.2222, 2.5, 3.9]) {
      const { rebuilt, differences } = checkAt(rig, t);
      expect(differences, `at ${t} s`).toEqual([]);
      expect(rebuilt.session.scheduler.nowNanos).toBe(secondsToNs(t));
    }
    rig.stop();
  });

  it('a rebuild is the original, not a run that merely looks alike: the same live tasks and notes held at T', async () => {
    const rig = await typedSession();
    const { rebuilt } = checkAt(rig, 1.5);
    const snapshot = rebuilt.session.snapshot();
    const names = snapshot.tasks.map((t) => t.name);
    expect(names).toContain('live bass beep choose(C3,G3,A3) 0.5');
    expect(names).toContain('beep E5 3');
    expect(names).toContain('chord 1 C4 E4 G4; beep rand(60,72) 0.25');
    // Held at 1.5 s: the bass's note, E5 (from 1.0091 s, 3 beats at 90 bpm) and the chord's three (from 1.4019 s, 1 beat).
    expect(snapshot.notes.length).toBe(5);
    expect([...stateFromEvents(rig.events.filter((e) => e.t <= 1.5)).tasks.keys()]).toEqual(snapshot.tasks.map((t) => t.id));
    rig.stop();
  });

  it('a lesson (a whole script) with a stop of its source, then a panic', async () => {
    const rig = liveRig();
    const lesson = ['live melody beep C5 0.25; beep E5 0.25', 'seed 3', 'live drums drum bd; wait 0.5', 'beep choose(60,64,67) 2 &'].join('\n');
    await rig.at(40.5, (e) => e.loadScript('live-loop.txt', lesson));
    await rig.at(1777.7, (e) => e.stopSource('live-loop.txt'));
    await rig.at(1900, (e) => e.loadScript('again.txt', 'live x beep G4 0.5'));
    await rig.at(2600.3, (e) => e.panic());
    await rig.to(3000);
    for (const t of [0.0405, 1, 1.7777, 1.8, 1.9, 2.6003, 2.9]) expect(checkAt(rig, t).differences, `at ${t} s`).toEqual([]);
    rig.stop();
  });

  it('the check finds a difference and says what it is: a rebuild missing one typed line', async () => {
    const rig = await typedSession();
    const withoutBeep = rig.log.inputs.filter((x) => !(x.input.kind === 'push-line' && x.input.text === 'beep E5 3 &'));
    const atNs = secondsToNs(1.5);
    const rebuilt = rebuildAt(withoutBeep, atNs);
    const differences = compareMoment(rig.events, rebuilt.events, rebuilt.session.snapshot(), atNs);
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.join('\n')).toMatch(/"beep E5 3" \[t2\] sleeping in the original/);
    expect(differences.join('\n')).toMatch(/notes held: the original held \[.*\], the rebuild holds/);
    rig.stop();
  });
});

describe('replay from here after a debugger stepped while paused', () => {
  it("the steps are inputs: a task run out of turn replays out of turn, and without the steps the rebuild differs", async () => {
    const rig = liveRig();
    await rig.at(10, (e) => e.loadScript('s.txt', 'beep C4 0.5 &\nbeep E4 0.5 &\nwait 0.25; beep G4 0.5'));
    await rig.to(300);
    rig.driver.pause();
    const s = rig.session.scheduler;
    const step = (input: Parameters<typeof rig.log.record>[2], body: () => void) => {
      rig.log.record(s.presentNanos, s.resumptions + s.work, input);
      body();
    };
    // Nothing is ready while paused: the clock moves to the next timer (0.51 s: both beeps end), then the second of them runs first.
    step({ kind: 'next-timer' }, () => s.advanceToNextTimer());
    expect(s.readyTasks().length).toBeGreaterThanOrEqual(2);
    const second = s.readyTasks()[1].id;
    step({ kind: 'step', index: 1 }, () => s.stepAt(1));
    expect(rig.events.filter((e) => e.type === 'task-running').at(-1)).toMatchObject({ id: second });
    rig.driver.resume();
    await rig.to(2000);
    for (const t of [0.51, 0.75, 1.5]) expect(checkAt(rig, t).differences, `at ${t} s`).toEqual([]);
    const withoutSteps = rig.log.inputs.filter((x) => x.input.kind !== 'step' && x.input.kind !== 'next-timer');
    const atNs = secondsToNs(1.5);
    const rebuilt = rebuildAt(withoutSteps, atNs);
    expect(compareMoment(rig.events, rebuilt.events, rebuilt.session.snapshot(), atNs).length).toBeGreaterThan(0);
    rig.stop();
  });
});

describe('the input log', () => {
  it('keeps inputs in order up to its cap, then says it is full and which moments it still covers', () => {
    const log = new InputLog(2);
    expect(log.record(10, 0, { kind: 'stop-all' })).toBe(true);
    expect(log.record(20, 0, { kind: 'panic' })).toBe(true);
    expect(log.record(30, 0, { kind: 'stop-all' })).toBe(false);
    expect(log.full).toBe(true);
    expect(log.inputs.map((x) => x.ns)).toEqual([10, 20]);
    expect(log.upTo(15).length).toBe(1);
    expect(log.covers(29e-9)).toBe(true);
    expect(log.covers(30e-9)).toBe(false);
  });
});
