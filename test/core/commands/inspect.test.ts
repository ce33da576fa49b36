import { describe, expect, it } from 'vitest';
import { MAX_TASKS_LISTED } from '../../../src/core/commands/inspect';
import { play } from '../../support/core/session';

describe('tasks, cancel, stop, panic', () => {
  it('lists the running tasks with name, id, state and what each waits on', () => {
    const p = play(['loop beep 60 1 &', 'wait 0.5', 'tasks']);
    p.run(2);
    const table = p.outputs()[1].split('\n');
    expect(table[0]).toMatch(/^name +id +state +waits on +source +command$/);
    const loop = p.task('loop beep 60 1');
    const source = p.of('task-created').find((e) => e.kind === 'source')!;
    const line = p.task('tasks');
    // The loop runs its passes in its own task: sleeping in the beep.
    expect(table.find((row) => row.startsWith('t1'))).toMatch(new RegExp(`^t1 +${loop.id} +sleeping +a timer +s\\.txt +loop beep 60 1$`));
    expect(table.find((row) => row.endsWith('(source s.txt)'))).toMatch(new RegExp(`^- +${source.id} +waiting +task ${line.id} `));
    expect(table.find((row) => row.endsWith(' tasks'))).toMatch(/running/);
  });

  it('lists the first 200 tasks of 1,000 and says how many more there are', () => {
    const p = play(['repeat 1000 spawn wait 1', 'tasks']);
    p.run(0.5);
    const table = p.outputs().at(-1)!.split('\n');
    expect(table).toHaveLength(1 + MAX_TASKS_LISTED + 1);
    expect(table.at(-1)).toBe(`... and ${(1002 - MAX_TASKS_LISTED).toLocaleString('en')} more (1,002 tasks in all)`);
    // The first by id: the source's, the first line's ...
    expect(table[1]).toMatch(/\(source s\.txt\)$/);
  });

  it('cancel of an unknown task is a located error at the name', () => {
    const p = play(['cancel t9', 'cancel 12345']);
    p.run();
    expect(p.diagnostics().map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 8, 'no running task "t9": expected the name (t1, t2 ... of this source, or SOURCE/t1) or id of a running task, or the name of a live loop'],
      [2, 8, 'no running task "12345": expected the name (t1, t2 ... of this source, or SOURCE/t1) or id of a running task, or the name of a live loop'],
    ]);
  });

  it('cancels by id too', () => {
    const p = play(['chord 5 60 &']);
    p.run(1);
    const id = p.task('chord 5 60').id;
    p.load([`cancel ${id}`], 'term');
    p.run();
    expect(p.notes()).toEqual(['0:60', '1:']);
  });

  it('stop cancels what this source runs in the background, not other sources, and reads on', () => {
    const p = play(['loop beep 60 1 &', 'chord 9 64 &', 'wait 2.5', 'stop', 'beep 72 0.5']);
    p.load(['chord 3 48'], 'other.txt');
    p.run();
    // The loop's beeps are separate notes: 60 starts again at 1 and 2 (a new voice each time).
    expect(p.notes()).toEqual(['0:48,60,64', '1:48,60,64', '2:48,60,64', '2.5:48,72', '3:']);
    expect(p.outputs()).toContain('stopped 2 tasks');
  });

  it('panic cancels everything else everywhere and silences at once; the source that ran it reads on', () => {
    const p = play(['chord 5 60 &', 'wait 1', 'panic', 'beep 72 1']);
    p.load(['loop beep 48 0.25; wait 0.25'], 'other.txt');
    p.run();
    // At 1 s everything stops; the next line of s.txt (beep 72) is heard from the same instant.
    expect(p.notes()).toEqual(['0:48,60', '0.25:60', '0.5:48,60', '0.75:60', '1:72', '2:']);
    expect(p.outputs()).toContain('panic: cancelled 2 tasks, silenced every note');
    expect(p.of('source-ended').map((e) => [e.source, e.reason, e.t])).toEqual([
      ['other.txt', 'stopped', 1],
      ['s.txt', 'eof', 2],
    ]);
  });
});

describe('fail', () => {
  it('fail raises a located error that travels up through whoever waits', () => {
    const p = play(['eval beep 60 0.5; fail something broke; beep 62 1', 'beep 64 0.5']);
    p.run();
    expect(p.diagnostics()).toMatchObject([{ line: 1, col: 19, message: 'something broke' }]);
    expect(p.notes()).toEqual(['0:60', '0.5:64', '1:']);
  });
});
