import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  await_,
  join,
  sleep,
  type Co,
} from '../../../src/core/scheduler';
import { record } from '../../support/scheduler/record';


describe('scheduler on the virtual clock: results, errors and futures', () => {
  it('returns results and rethrows errors to whoever joins', () => {
    const s = new Scheduler();
    const outcomes: unknown[] = [];
    s.spawn(
      (function* () {
        const ok = s.spawn((function* () { yield* sleep(1); return 42; })(), { name: 'ok' });
        const bad = s.spawn((function* (): Co<number> { yield* sleep(0.5); throw new Error('boom'); })(), { name: 'bad' });
        outcomes.push(yield* join(ok));
        try {
          yield* join(bad);
        } catch (e) {
          outcomes.push((e as Error).message);
        }
      })(),
      { name: 'main' },
    );
    s.runUntilIdle();
    expect(outcomes).toEqual([42, 'boom']);
  });

  it('reports a failure nobody waits for as unhandled, and a joined one as handled', () => {
    const s = new Scheduler();
    const events = record(s);
    s.spawn((function* () { yield* sleep(1); throw new Error('lonely'); })(), { name: 'orphan' });
    const watched = s.spawn((function* () { throw new Error('seen'); })(), { name: 'watched' });
    s.spawn((function* () { try { yield* join(watched); } catch { /* handled */ } })(), { name: 'watcher' });
    s.runUntilIdle();
    const failed = events.filter((e) => e.type === 'task-failed');
    expect(failed.map((e) => e.type === 'task-failed' && [e.error.message, e.t])).toEqual([['seen', 0], ['lonely', 1]]);
    const unhandled = events.filter((e) => e.type === 'task-unhandled');
    expect(unhandled.map((e) => e.type === 'task-unhandled' && [e.error.message, e.t])).toEqual([['lonely', 1]]);
  });

  it('wakes tasks waiting on a future resolved from outside', () => {
    const s = new Scheduler();
    const f = s.future<string>('line');
    const got: string[] = [];
    s.spawn((function* () { got.push(yield* await_(f)); })(), { name: 'reader' });
    s.runUntilIdle();
    expect(got).toEqual([]);
    f.resolve('add 60');
    s.runUntilIdle();
    expect(got).toEqual(['add 60']);
  });

  it('a task is a future: it is awaited as one, and its waiters and callbacks are told in the order they came, as a future\'s are', () => {
    const s = new Scheduler();
    const order: string[] = [];
    const f = s.future<number>('answer');
    const worker = s.spawn((function* () { yield* sleep(1); return 7; })(), { name: 'worker' });
    for (const on of [worker, f]) {
      const what = on === f ? 'future' : 'task';
      on.onSettled(() => order.push(`${what}: callback 1`));
      s.spawn((function* () { order.push(`${what}: waiter got ${yield* await_(on)}`); })(), { name: `${what} waiter` });
      on.onSettled(() => order.push(`${what}: callback 2`));
    }
    s.runUntilIdle(0.5);
    f.resolve(7);
    s.runUntilIdle();
    // The callbacks run as it settles; the waiters, woken then, run after them.
    expect(order).toEqual(['future: callback 1', 'future: callback 2', 'future: waiter got 7', 'task: callback 1', 'task: callback 2', 'task: waiter got 7']);
  });
});
