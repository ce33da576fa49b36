import { describe, expect, it } from 'vitest';
import { play } from '../support/session';

describe('spawn and &', () => {
  it('runs the command in the background, names it t1, t2 ... and goes on at once', () => {
    const p = play(['chord 1 60 64 67 &', 'spawn beep 72 2', 'beep 48 0.5']);
    p.run();
    expect(p.outputs()).toEqual(['[t1] chord 1 60 64 67', '[t2] beep 72 2']);
    // All three start at 0: the lines after a background command do not wait for it.
    expect(p.notes()).toEqual(['0:48,60,64,67,72', '0.5:60,64,67,72', '1:72', '2:']);
    expect(p.task('chord 1 60 64 67')).toMatchObject({ kind: 'spawned', pos: { line: 1, col: 1 } });
    expect(p.task('beep 72 2')).toMatchObject({ kind: 'spawned', pos: { line: 2, col: 7 } });
  });

  it('reads & as its own word, after note names and before comments', () => {
    const p = play(['chord 1 F#4 Bb4&# a comment & not a command', 'beep C5 1']);
    p.run();
    expect(p.diagnostics()).toEqual([]);
    expect(p.outputs()).toEqual(['[t1] chord 1 F#4 Bb4']);
    expect(p.notes()).toEqual(['0:54,58,60', '1:']);
  });

  it('backgrounds one part of a sequence with "A &; B"', () => {
    const p = play(['eval beep 60 2 &; beep 64 1']);
    p.run();
    expect(p.notes()).toEqual(['0:60,64', '1:60', '2:']);
  });
});

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
    // Reported once, where the failure is.
    expect(p.diagnostics()).toMatchObject([{ line: 1, col: 37, message: 'the oven broke' }]);
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
    // Reported once, where the failure is.
    expect(p.diagnostics()).toMatchObject([{ line: 1, col: 36, message: 'the oven broke' }]);
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
    expect(report).toMatch(/1\. done +at 1 s +beep 60 1/);
    expect(report).toMatch(/2\. failed +at 0 s +fail can't square 7: can't square 7 \(s\.txt:1:20\)/);
    expect(report).toMatch(/3\. done +at 2 s +wait 2/);
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

describe('repeat and loop', () => {
  it('repeats a sequence N times back to back', () => {
    const p = play(['repeat 3 beep 60 0.25; wait 0.25', 'beep 72 0.5']);
    p.run();
    expect(p.notes()).toEqual(['0:60', '0.25:', '0.5:60', '0.75:', '1:60', '1.25:', '1.5:72', '2:']);
  });

  it('loops until cancelled; a loop cancelled mid-chord releases the notes at the cancel', () => {
    const p = play(['loop chord 1 60 64 67; wait 0.5 &', 'wait 2.25', 'cancel t1', 'beep 72 0.5']);
    p.run();
    expect(p.notes()).toEqual(['0:60,64,67', '1:', '1.5:60,64,67', '2.25:72', '2.75:']);
    expect(p.end(p.task('loop chord 1 60 64 67; wait 0.5').id)).toBe('cancelled@2.25');
    expect(p.outputs()[1]).toMatch(/^cancelled t1 \(task \d+\): loop chord 1 60 64 67; wait 0.5$/);
  });

  it.each([
    ['loop add 60', 'add 60'],
    ['loop gather add 60 | remove 60', 'gather add 60 | remove 60'],
    ['loop block 1', 'block 1'],
    ['loop wait 0', 'wait 0'],
  ])('fails at once, located, when a pass takes no time: %s', (line, body) => {
    const p = play(['beep 50 0.5', `  ${line}`, 'beep 52 0.5']);
    p.run(100);
    const [d] = p.diagnostics();
    expect(d).toMatchObject({ line: 2, col: 3, endCol: line.length + 3 });
    expect(d.message).toBe(`loop never waits: one pass of "${body}" took no time, so the loop would hold the scheduler forever`);
    // The source goes on at once with its next line (after the one pass, which may have blocked).
    expect(p.task('beep 52 0.5').t).toBe(line === 'loop block 1' ? 1.5 : 0.5);
  });

  it('counts waiting, not blocking: a pass that blocks and waits is fine', () => {
    const p = play(['loop block 0.5; beep 60 0.5 &', 'wait 3', 'stop']);
    p.run();
    expect(p.diagnostics()).toEqual([]);
    expect(p.notes()).toEqual(['0.5:60', '1:', '1.5:60', '2:', '2.5:60', '3:']);
  });
});

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

  it('cancel of an unknown task is a located error at the name', () => {
    const p = play(['cancel t9', 'cancel 12345']);
    p.run();
    expect(p.diagnostics().map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 8, 'no running task "t9": expected the name (t1, t2 ...) or id of a running task'],
      [2, 8, 'no running task "12345": expected the name (t1, t2 ...) or id of a running task'],
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
    expect(p.notes()).toEqual(['0:48,60,64', '2.5:48,72', '3:']);
    expect(p.outputs()).toContain('stopped 2 tasks');
  });

  it('panic cancels everything everywhere and silences at once', () => {
    const p = play(['chord 5 60 &', 'wait 1', 'panic', 'beep 72 1']);
    p.load(['loop beep 48 0.25; wait 0.25'], 'other.txt');
    p.run();
    expect(p.notes()).toEqual(['0:48,60', '0.25:60', '0.5:48,60', '0.75:60', '1:']);
    expect(p.of('source-ended').map((e) => [e.source, e.reason])).toEqual([
      ['s.txt', 'stopped'],
      ['other.txt', 'stopped'],
    ]);
  });
});

describe('block and offload', () => {
  const melody = 'loop beep 72 0.25; wait 0.25 &';

  it('block holds the thread: the melody is late, audibly and in loop-lag events', () => {
    const p = play([melody, 'wait 1.1', 'block 1', 'wait 1', 'stop'], { lagThreshold: 0.02 });
    p.run();
    const lag = p.of('loop-lag');
    expect(lag.length).toBeGreaterThan(0);
    // The beep started at 1 is due to end at 1.25; the block holds it until 2.1, and the melody goes on from there.
    expect(Math.max(...lag.map((e) => e.late))).toBeCloseTo(0.85, 9);
    expect(p.notes().slice(4, 8)).toEqual(['1:72', '2.1:', '2.35:72', '2.6:']);
    expect(p.of('task-blocking')).toHaveLength(1);
  });

  it('offload does the same work in a worker: nothing is late and it still takes its time', () => {
    const p = play([melody, 'wait 1.1', 'offload 1', 'wait 1', 'stop'], { lagThreshold: 0.02 });
    p.run();
    expect(p.of('loop-lag')).toEqual([]);
    expect(p.end(p.task('offload 1').id)).toBe('done@2.1');
    expect(p.task('worker: offload 1')).toMatchObject({ kind: 'worker', parent: p.task('offload 1').id });
    expect(p.notes()).toEqual(['0:72', '0.25:', '0.5:72', '0.75:', '1:72', '1.25:', '1.5:72', '1.75:', '2:72', '2.25:', '2.5:72', '2.75:', '3:72', '3.1:']);
  });

  it('a cancelled offload abandons its job', () => {
    const p = play(['offload 5 &', 'wait 1', 'cancel t1']);
    p.run();
    expect(p.end(p.task('worker: offload 5').id)).toBe('cancelled@1');
    expect(p.session.scheduler.now).toBe(1);
  });
});

describe('fail and def', () => {
  it('fail raises a located error that travels up through whoever waits', () => {
    const p = play(['eval beep 60 0.5; fail something broke; beep 62 1', 'beep 64 0.5']);
    p.run();
    expect(p.diagnostics()).toMatchObject([{ line: 1, col: 19, message: 'something broke' }]);
    expect(p.notes()).toEqual(['0:60', '0.5:64', '1:']);
  });

  it('names a phrase for the lines after it; its parts keep the def line\'s columns', () => {
    const p = play(['def riff beep 72 0.25; beep 74 0.25', 'riff', 'repeat 2 riff', 'def boom beep 60 0.25; riff; fail bang', 'boom']);
    p.run();
    expect(p.notes()).toEqual(['0:72', '0.25:74', '0.5:72', '0.75:74', '1:72', '1.25:74', '1.5:60', '1.75:72', '2:74', '2.25:']);
    expect(p.task('riff').pos).toMatchObject({ line: 2, col: 1 });
    // Calling a phrase from a phrase is awaiting it: a task inside the caller's, placed where the call is written.
    const boom = p.task('boom');
    expect(p.created('riff').find((e) => e.parent === boom.id)).toMatchObject({ pos: { line: 4, col: 24 } });
    expect(p.diagnostics()).toMatchObject([{ line: 4, col: 30, message: 'bang' }]);
  });

  it('runs the ;-parts of a body in one task, so nothing comes between them', () => {
    const p = play(['gather add 76; block 0.1; remove 76 | add 72; block 0.1; remove 72']);
    p.run();
    // One thread: the second part's hands-on note starts when the first's ends.
    expect(p.notes()).toEqual(['0:76', '0.1:72', '0.2:']);
  });

  it('a phrase used before its def is a located error; a def may not shadow a built-in', () => {
    const p = play(['riff', 'def riff beep 72 0.25', 'def chord beep 60', 'def 9x beep 60', 'riff']);
    p.run();
    expect(p.diagnostics().map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 1, expect.stringMatching(/^unknown command "riff"/)],
      [3, 5, '"chord" is a built-in command: a def may not shadow it'],
      [4, 5, 'bad phrase name "9x": expected letters, digits, _ or -, starting with a letter'],
    ]);
    expect(p.notes()).toEqual(['0:72', '0.25:']);
  });

  it('keeps definitions per session', () => {
    const a = play(['def riff beep 72 0.25']);
    const b = play(['riff']);
    a.run();
    b.run();
    expect(b.diagnostics()).toHaveLength(1);
    a.load(['riff'], 'term');
    a.run();
    expect(a.diagnostics()).toEqual([]);
  });
});

describe('help', () => {
  it('lists every concurrency command with its usage', () => {
    const p = play(['help']);
    p.run();
    for (const usage of ['spawn CMD', 'gather CMD | CMD | ...', 'group CMD | CMD | ...', 'settle CMD | CMD | ...', 'race CMD | CMD | ...', 'timeout S CMD', 'repeat N CMD', 'loop CMD', 'tasks', 'cancel NAME|ID', 'stop', 'panic', 'block S', 'offload S', 'fail [MESSAGE]', 'def NAME CMD; CMD; ...']) {
      expect(p.outputs()[0]).toContain(usage);
    }
  });
});

describe('on the real clock', () => {
  it('a loop that never waits fails at once instead of holding the thread forever', async () => {
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
    const { Session } = await import('../../../src/core/session');
    for (const body of ['add 60', 'block 0.02', 'gather add 60 | remove 60']) {
      const session = new Session();
      const messages: string[] = [];
      session.subscribe((e) => {
        if (e.type === 'diagnostic') messages.push(e.diagnostic.message);
      });
      const driver = new RealTimeDriver(session.scheduler);
      session.loadScript('live.txt', `loop ${body}\nbeep 60 0.01`);
      driver.start();
      // If the loop held the thread, this timer would never fire and the test would time out.
      await new Promise((resolve) => setTimeout(resolve, 60));
      driver.stop();
      expect(messages).toEqual([`loop never waits: one pass of "${body}" took no time, so the loop would hold the scheduler forever`]);
    }
  });
});
