import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('gather', () => {
  it('runs its parts together and ends when the last one does', () => {
    const p = play(['gather beep 60 1 | beep 64 2; beep 65 0.5 | wait 0.5', 'beep 72 0.25']);
    p.run();
    const line = p.task('gather beep 60 1 | beep 64 2; beep 65 0.5 | wait 0.5');
    expect(p.end(line.id)).toBe('done@2.5');
    expect(p.notes()).toEqual(['0:60,64', '1:64', '2:65', '2.5:72', '2.75:']);
    // Each part is a task of the gather's, at its own column.
    expect(p.task('beep 64 2; beep 65 0.5')).toMatchObject({ parent: line.id, pos: { line: 1, col: 20 } });
    expect(p.task('wait 0.5')).toMatchObject({ parent: line.id, pos: { line: 1, col: 45 } });
    // Who awaits whom: the gather waits on its parts, said as tasks, not as an anonymous future.
    const parts = p.of('task-created').filter((e) => e.parent === line.id).map((e) => e.id);
    expect(p.of('task-waiting').find((e) => e.id === line.id)).toMatchObject({ t: 0, on: { kind: 'tasks', ids: parts } });
  });

  it('fails at the first failure and the source goes on at once, while the other parts play on to their end (asyncio.gather)', () => {
    const p = play(['gather chord 3 60 64 | eval wait 1; fail the oven broke | beep 67 5', 'beep 72 0.5']);
    p.run();
    const line = p.task('gather chord 3 60 64 | eval wait 1; fail the oven broke | beep 67 5');
    expect(p.end(line.id)).toBe('failed@1');
    expect(p.end(p.task('chord 3 60 64').id)).toBe('done@3');
    expect(p.end(p.task('beep 67 5').id)).toBe('done@5');
    expect(p.notes()).toEqual(['0:60,64,67', '1:60,64,67,72', '1.5:60,64,67', '3:67', '5:']);
    // Reported where the failure is, then by the gather: which part failed, and that the others play on.
    expect(p.diagnostics()).toMatchObject([
      { line: 1, col: 37, message: 'the oven broke' },
      { line: 1, col: 1, message: 'gather: eval wait 1; fail the oven broke failed; chord 3 60 64, beep 67 5 play on' },
    ]);
    expect(p.of('task-unhandled')).toEqual([]);
  });

  it('cancelled while it waits, cancels its parts too', () => {
    const p = play(['gather chord 3 60 | beep 64 5 &', 'wait 1', 'cancel t1']);
    p.run();
    expect(p.end(p.task('chord 3 60').id)).toBe('cancelled@1');
    expect(p.end(p.task('beep 64 5').id)).toBe('cancelled@1');
    expect(p.notes()).toEqual(['0:60,64', '1:']);
  });
});

describe('group', () => {
  it('fails at the first failure, cancels the other parts (their notes stop then) and the source goes on (asyncio.TaskGroup)', () => {
    const p = play(['group chord 3 60 64 | eval wait 1; fail the oven broke | beep 67 5', 'beep 72 0.5']);
    p.run();
    const line = p.task('group chord 3 60 64 | eval wait 1; fail the oven broke | beep 67 5');
    expect(p.end(line.id)).toBe('failed@1');
    expect(p.end(p.task('chord 3 60 64').id)).toBe('cancelled@1');
    expect(p.end(p.task('beep 67 5').id)).toBe('cancelled@1');
    expect(p.notes()).toEqual(['0:60,64,67', '1:72', '1.5:']);
    // Reported where the failure is, then by the group: which part failed, and whom it cancelled.
    expect(p.diagnostics()).toMatchObject([
      { line: 1, col: 36, message: 'the oven broke' },
      { line: 1, col: 1, message: 'group: eval wait 1; fail the oven broke failed; cancelled chord 3 60 64, beep 67 5' },
    ]);
    expect(p.of('task-unhandled')).toEqual([]);
  });
});

describe('settle', () => {
  it('lets every part run to its end and prints how each ended, without failing', () => {
    const p = play(['settle beep 60 1 | fail can\'t square 7 | wait 2', 'beep 72 0.5']);
    p.run();
    const line = p.task('settle beep 60 1 | fail can\'t square 7 | wait 2');
    expect(p.end(line.id)).toBe('done@2');
    expect(p.diagnostics()).toEqual([]);
    expect(p.session.errorCount).toBe(0);
    const [report] = p.outputs();
    expect(report.split('\n')[0]).toBe('settle: 2 done, 1 failed, 0 cancelled');
    expect(report).toMatch(/1\. done +after 1 s +beep 60 1/);
    expect(report).toMatch(/2\. failed +after 0 s +fail can't square 7: can't square 7 \(s\.txt:1:20\)/);
    expect(report).toMatch(/3\. done +after 2 s +wait 2/);
    expect(p.notes()).toEqual(['0:60', '1:', '2:72', '2.5:']);
  });
});

describe('race', () => {
  it('ends with the first part to finish and cancels the rest, releasing their notes', () => {
    const p = play(['race chord 5 48 | beep 60 0.5; beep 62 0.5 | chord 3 55']);
    p.run();
    expect(p.notes()).toEqual(['0:48,55,60', '0.5:48,55,62', '1:']);
    expect(p.end(p.task('chord 5 48').id)).toBe('cancelled@1');
    expect(p.outputs()).toEqual(['race: first to finish: beep 60 0.5; beep 62 0.5']);
  });

  it('fails if the first part to finish fails', () => {
    const p = play(['race wait 2 | eval wait 1; fail lost']);
    p.run();
    expect(p.end(p.task('race wait 2 | eval wait 1; fail lost').id)).toBe('failed@1');
    expect(p.diagnostics()).toMatchObject([{ col: 28, message: 'lost' }]);
  });
});

describe('timeout', () => {
  it('cancels a command that runs too long and reports a located error of the line', () => {
    const p = play(['beep 40 0.5', '  timeout 1.5 chord 4 60 64 67', 'beep 72 0.5']);
    p.run();
    expect(p.notes()).toEqual(['0:40', '0.5:60,64,67', '2:72', '2.5:']);
    expect(p.end(p.task('chord 4 60 64 67').id)).toBe('cancelled@2');
    const [d] = p.diagnostics();
    expect(d).toMatchObject({ line: 2, col: 3, endCol: 31 });
    expect(d.message).toBe('timed out: "chord 4 60 64 67" ran longer than 1.5 s and was cancelled');
    const timer = p.task('timer 1.5');
    expect(timer).toMatchObject({ kind: 'timer', pos: { col: 11 } });
    const timeout = p.task('timeout 1.5 chord 4 60 64 67');
    expect(p.of('task-waiting').find((e) => e.id === timeout.id)?.on).toEqual({ kind: 'tasks', ids: [p.task('chord 4 60 64 67').id, timer.id] });
  });

  it('is nothing but the command when it finishes in time', () => {
    const p = play(['timeout 3 beep 60 1', 'beep 62 1']);
    p.run();
    expect(p.notes()).toEqual(['0:60', '1:62', '2:']);
    expect(p.diagnostics()).toEqual([]);
    expect(p.end(p.task('timer 3').id)).toBe('cancelled@1');
  });
});
