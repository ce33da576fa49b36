import { describe, expect, it } from 'vitest';
import { harness, play } from '../../support/core/session';
import { toChromeTrace } from '../../../src/core/trace';

// The facts a viewer (the timeline, --events, a trace) reads off the event stream, with no guessing.

describe('task-named', () => {
  it('says the alias and the source of each spawned task, when it is spawned', () => {
    const p = play(['beep 60 1 &', 'spawn loop beep 62 0.5', 'wait 0.25', 'cancel t2']);
    p.run();
    const chord = p.task('beep 60 1');
    const loop = p.task('loop beep 62 0.5');
    expect(p.of('task-named')).toMatchObject([
      { id: chord.id, alias: 't1', source: 's.txt', t: 0 },
      { id: loop.id, alias: 't2', source: 's.txt', t: 0 },
    ]);
    // named right after it was created, before anything it printed
    const named = p.events.findIndex((e) => e.type === 'task-named');
    expect(p.events.findIndex((e) => e.type === 'task-created' && e.id === chord.id)).toBeLessThan(named);
    expect(p.events.findIndex((e) => e.type === 'output')).toBeGreaterThan(named);
  });

  it('names nothing that was not spawned', () => {
    const p = play(['beep 60 0.5', 'gather beep 62 0.5 | beep 64 0.5']);
    p.run();
    expect(p.of('task-named')).toEqual([]);
  });
});

describe('task-cancelled says who cancelled it and why', () => {
  it('a failure in a group cancels its siblings: by the failed part, for group-failure', () => {
    const p = play(['group wait 3 | eval wait 0.5; fail boom | beep 60 2']);
    p.run();
    const failed = p.task('eval wait 0.5; fail boom');
    for (const name of ['wait 3', 'beep 60 2']) {
      const { id } = p.task(name);
      expect(p.endOf(id)).toMatchObject({ type: 'task-cancelled', t: 0.5, by: failed.id, reason: 'group-failure' });
    }
  });

  it('a race: by the winner; a timeout: by its timer, and the timer by the command that finished in time', () => {
    const p = play(['race beep 60 1 | wait 0.25', 'timeout 0.5 wait 2', 'timeout 1 wait 0.5']);
    p.run();
    expect(p.endOf(p.task('beep 60 1').id)).toMatchObject({ by: p.task('wait 0.25').id, reason: 'race' });
    const [slowTimer, quickTimer] = p.of('task-created').filter((e) => e.kind === 'timer');
    expect(p.endOf(p.task('wait 2').id)).toMatchObject({ type: 'task-cancelled', by: slowTimer.id, reason: 'timeout' });
    expect(p.endOf(quickTimer.id)).toMatchObject({ type: 'task-cancelled', by: p.task('wait 0.5').id, reason: 'race' });
  });

  it('a command run in a line: by that line\'s task, for cancel, stop and panic', () => {
    const p = play(['spawn loop beep 60 0.5', 'wait 0.25', 'cancel t1', 'beep 62 1 &', 'stop', 'wait 3 &', 'panic']);
    p.run();
    expect(p.endOf(p.task('loop beep 60 0.5').id)).toMatchObject({ by: p.task('cancel t1').id, reason: 'cancel' });
    expect(p.endOf(p.task('beep 62 1').id)).toMatchObject({ by: p.task('stop').id, reason: 'stop' });
    expect(p.endOf(p.task('wait 3').id)).toMatchObject({ by: p.task('panic').id, reason: 'panic' });
  });

  it('a control from outside any task: by the control itself', () => {
    const h = harness();
    const stdin = h.session.openSource('stdin');
    stdin.pushLine('chord 5 60 64');
    h.run(1);
    h.session.interruptSource('stdin');
    h.run(2);
    stdin.pushLine('wait 5');
    h.run(3);
    const wait = h.task('wait 5');
    h.session.cancelTask(wait.id);
    h.session.quit();
    h.run();
    expect(h.endOf(h.task('chord 5 60 64').id)).toMatchObject({ t: 1, by: 'interrupt', reason: 'interrupt' });
    expect(h.endOf(wait.id)).toMatchObject({ by: 'cancel', reason: 'cancel' });
    const source = h.of('source-opened')[0].taskId;
    expect(h.endOf(source)).toMatchObject({ type: 'task-cancelled', by: 'quit', reason: 'quit' });
  });

  it('a task that waited for a cancelled one, and one whose waiter was cancelled', () => {
    const p = play(['spawn wait 10', 'wait 0.5', 'cancel t1']);
    p.run();
    const line = p.task('spawn wait 10');
    const spawned = p.task('wait 10');
    expect(p.endOf(spawned.id)).toMatchObject({ by: p.task('cancel t1').id, reason: 'cancel' });
    expect(p.endOf(line.id)).toMatchObject({ type: 'task-done' });
    // the loop of a line cancelled by interrupt: the line is cancelled, and it takes what it waits for along
    const h = harness();
    const stdin = h.session.openSource('stdin');
    stdin.pushLine('eval wait 3; beep 60');
    h.run(1);
    h.session.cancelTask(h.task('eval wait 3; beep 60').id);
    h.run();
    const part = h.task('wait 3');
    expect(h.endOf(part.id)).toMatchObject({ type: 'task-cancelled', by: h.task('eval wait 3; beep 60').id, reason: 'awaiter-cancelled' });
  });
});

describe('awaits carry the awaited ids', () => {
  it('gather, settle, race and timeout wait on their parts by id; a join waits on one task', () => {
    const p = play(['gather wait 1 | wait 2', 'settle wait 1 | fail x', 'race wait 1 | wait 2', 'timeout 5 wait 1']);
    p.run();
    const waitsOf = (name: string) => p.of('task-waiting').filter((e) => e.id === p.task(name).id).map((e) => e.on);
    const partsOf = (line: string) => p.of('task-created').filter((e) => e.parent === p.task(line).id).map((e) => e.id);
    for (const line of ['gather wait 1 | wait 2', 'settle wait 1 | fail x', 'race wait 1 | wait 2', 'timeout 5 wait 1']) {
      const parts = partsOf(line);
      expect(parts).toHaveLength(2);
      expect(waitsOf(line)[0]).toEqual({ kind: 'tasks', ids: parts });
    }
    // nobody waits on a future named after tasks: the ids are the fact
    expect(p.of('task-waiting').filter((e) => e.on.kind === 'future' && /tasks/.test(e.on.label))).toEqual([]);
    // the `tasks` command still shows what a gather waits on
    const q = play(['gather wait 1 | wait 2 &', 'tasks']);
    q.run();
    expect(q.outputs()[1]).toMatch(/waiting +all of tasks \d+, \d+/);
  });
});

describe('the trace export', () => {
  it('carries aliases, who cancelled each task and why, and what each awaited', () => {
    const p = play(['beep 60 1 &', 'race wait 0.5 | beep 62 1']);
    p.run();
    const trace = toChromeTrace(p.events);
    const slice = (name: string) => trace.traceEvents.find((e) => e.ph === 'X' && e.name === name)!;
    expect(slice('beep 60 1').args).toMatchObject({ alias: 't1' });
    expect(slice('beep 62 1').args).toMatchObject({ state: 'cancelled', cancelledBy: p.task('wait 0.5').id, cancelReason: 'race' });
    expect(slice('race wait 0.5 | beep 62 1').args).toMatchObject({ awaited: [p.task('wait 0.5').id, p.task('beep 62 1').id] });
  });
});
