import { describe, expect, it } from 'vitest';
import { Stepper } from '../../../src/core/debug/stepper';
import { formatAwaitTree } from '../../../src/core/debug/inspect';
import { Session, type SessionEvent } from '../../../src/core/session';

function stepped(lines: string[]) {
  const session = new Session();
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript('s.txt', lines.join('\n'));
  return { session, events, stepper: new Stepper(session) };
}

const GATHER = ['gather beep C4 1 | wait 2; beep E4 1', 'beep G4 0.5 &', 'wait 1; cue go', 'sync go; beep C5 1'];

describe('the stepper', () => {
  it('step runs exactly one resumption: the first of the ready queue', () => {
    const { session, stepper } = stepped(GATHER);
    for (let i = 0; i < 40 && !stepper.done; i++) {
      const head = stepper.ready()[0];
      const before = session.scheduler.resumptions;
      const result = stepper.step();
      if (result.stop === 'idle') break;
      expect(session.scheduler.resumptions - before).toBe(1);
      expect(result.count).toBe(1);
      // With nothing ready, a step moves the clock first and runs what wakes first.
      if (head !== undefined) expect(result.resumptions[0].task.id).toBe(head.id);
      else expect(result.moved).toBeDefined();
    }
  });

  it('stepped to the end, a run is the run played: the same events at the same times', () => {
    const played = stepped(GATHER);
    played.session.scheduler.runUntilIdle();
    const { events, stepper } = stepped(GATHER);
    while (stepper.step().stop !== 'idle');
    const strip = (es: SessionEvent[]) => es.map((e) => JSON.stringify({ ...e, wall: 0 }));
    expect(strip(events)).toEqual(strip(played.events));
  });

  it('next instant runs this instant, then moves the clock to the next timer, whose tasks are then ready', () => {
    const { stepper } = stepped(['beep C4 1 &', 'beep E4 0.5 &', 'wait 2']);
    const first = stepper.nextInstant();
    expect(first.count).toBeGreaterThan(2);
    expect(stepper.nowSeconds).toBe(0.5);
    expect(stepper.ready().map((t) => t.name)).toEqual(['beep E4 0.5']);
    expect(stepper.timers().map((x) => [x.at, x.task.name])).toEqual([
      [1, 'beep C4 1'],
      [2, 'wait 2'],
    ]);
  });

  it('continue stops before a task on a breakpoint line, and goes past it the next time', () => {
    const { stepper } = stepped(['beep C4 1', 'beep E4 1', 'beep G4 1']);
    stepper.addBreakpoint({ source: 's.txt', line: 2 });
    const hit = stepper.continue();
    expect(hit.stop).toBe('breakpoint');
    expect(hit.at!.name).toBe('beep E4 1');
    expect(stepper.nowSeconds).toBe(1);
    // The line's second resumption (its beep ending) is on line 2 too: pdb stops there again.
    expect(stepper.continue().stop).toBe('breakpoint');
    expect(stepper.nowSeconds).toBe(2);
    expect(stepper.continue().stop).toBe('idle');
    expect(stepper.nowSeconds).toBe(3);
  });

  it('step line runs until the task has finished its current command and begun the next', () => {
    const { session, stepper } = stepped(['beep C4 1; beep E4 1; beep G4 1', 'beep C5 1; beep E5 1 &']);
    stepper.step(); // the source spawns the line
    const line = session.liveTasks().find((t) => t.kind === 'line')!;
    stepper.stepLine(line); // it starts its first command, `beep C4 1`, as a task of its own
    stepper.stepLine(line); // C4 sounds for a beat; then the line starts `beep E4 1`
    expect(stepper.nowSeconds).toBe(1);
    expect(stepper.ready().map((t) => t.name)).toEqual(['beep E4 1']);
    // A spawned task runs its `;` parts itself: one step line, one command.
    stepper.continue();
    const { stepper: other, session: s2 } = stepped(['beep C5 1; beep E5 1 &', 'wait 3']);
    other.step();
    other.step();
    const spawned = s2.liveTasks().find((t) => t.kind === 'spawned')!;
    other.stepLine(spawned);
    expect(s2.stream.notes).toEqual([60]);
    other.stepLine(spawned);
    expect(other.nowSeconds).toBe(1);
    expect(s2.stream.notes).toEqual([64]);
  });

  it('the await tree shows who awaits whom, as asyncio pstree draws it', () => {
    const { stepper } = stepped(GATHER);
    stepper.step();
    stepper.step();
    stepper.step();
    const text = formatAwaitTree(stepper.tree()).join('\n');
    expect(text).toMatch(/└── task 1 "s\.txt" \(s\.txt\): awaits task 2\n    └── task 2 "gather beep C4 1 \| wait 2; beep E4 1" \(s\.txt:1\): awaits tasks 3, 4/);
    expect(text).toContain('"beep C4 1" (s.txt:1): sleeps until 1 s');
  });
});
