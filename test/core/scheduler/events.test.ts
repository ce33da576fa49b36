import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  join,
  sleep,
} from '../../../src/core/scheduler';
import { record } from '../../support/scheduler/record';


describe('scheduler on the virtual clock: events', () => {
  it('emits a lifecycle a timeline can be drawn from', () => {
    const s = new Scheduler();
    const events = record(s);
    s.spawn((function* () { yield* sleep(1); })(), { name: 'wait 1', source: 'script.txt', pos: { source: 'script.txt', line: 3, col: 1 } });
    s.runUntilIdle();
    expect(events.map((e) => `${e.type}@${e.t}`)).toEqual([
      'task-created@0',
      'task-running@0',
      'task-sleeping@0',
      'task-running@1',
      'task-done@1',
    ]);
    expect(events[0]).toMatchObject({ name: 'wait 1', source: 'script.txt', pos: { line: 3, col: 1 } });
  });

  it('says who cancelled a task and why: the running task, a control from outside, or the waiter it was cancelled for', () => {
    const s = new Scheduler();
    const events = record(s);
    const sleeper = s.spawn((function* () { yield* sleep(10); })(), { name: 'sleeper' });
    const canceller = s.spawn((function* () { yield* sleep(1); s.cancel(sleeper); })(), { name: 'canceller' });
    const awaited = s.spawn((function* () { yield* sleep(10); })(), { name: 'awaited' });
    const waiter = s.spawn((function* () { yield* join(awaited); })(), { name: 'waiter' });
    s.runUntilIdle(2);
    s.cancel(waiter, 'cancelled', { by: 'stop', reason: 'stop' });
    s.runUntilIdle();
    const ended = (id: number) => events.find((e) => e.type === 'task-cancelled' && e.id === id);
    expect(ended(sleeper.id)).toMatchObject({ t: 1, by: canceller.id, reason: 'cancel' });
    expect(ended(waiter.id)).toMatchObject({ t: 2, by: 'stop', reason: 'stop' });
    expect(ended(awaited.id)).toMatchObject({ t: 2, by: waiter.id, reason: 'awaiter-cancelled' });
    // the first cause asked for is the one stated
    const twice = s.spawn((function* () { yield* sleep(1); })(), { name: 'twice' });
    s.cancel(twice, 'cancelled', { by: 'panic', reason: 'panic' });
    s.cancel(twice, 'cancelled', { by: 'quit', reason: 'quit' });
    s.runUntilIdle();
    expect(ended(twice.id)).toMatchObject({ by: 'panic', reason: 'panic' });
  });
});
