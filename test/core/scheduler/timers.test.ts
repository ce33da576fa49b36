import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  sleep,
} from '../../../src/core/scheduler';
import { TimerHeap } from '../../../src/core/scheduler/heap';

describe('timers', () => {
  it('wake sleepers in order of wake time, FIFO at equal times, and never wake cancelled ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ms: fc.integer({ min: 0, max: 40 }), cancelAt: fc.option(fc.integer({ min: 0, max: 40 })) }), { maxLength: 60 }),
        (sleepers) => {
          const s = new Scheduler();
          const woke: number[] = [];
          const tasks = sleepers.map(({ ms }, i) =>
            s.spawn((function* () { yield* sleep(ms / 1000); woke.push(i); })(), { name: `s${i}` }),
          );
          sleepers.forEach(({ cancelAt }, i) => {
            if (cancelAt !== null) s.spawn((function* () { yield* sleep(cancelAt / 1000); s.cancel(tasks[i]); })(), { name: `c${i}` });
          });
          s.runUntilIdle();
          // A sleeper wakes unless its canceller ran first: cancellers were spawned later, so at equal times the sleeper wins
          // (its timer, or its turn at sleep(0), came first).
          const expected = sleepers
            .map(({ ms, cancelAt }, i) => ({ ms, i, wakes: cancelAt === null || cancelAt >= ms }))
            .filter((x) => x.wakes)
            .sort((a, b) => a.ms - b.ms || a.i - b.i)
            .map((x) => x.i);
          expect(woke).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives a task cancelled in its sleep a fresh timer when it sleeps again', () => {
    const s = new Scheduler();
    const log: number[] = [];
    const t = s.spawn(
      (function* () {
        try {
          yield* sleep(5);
        } catch {
          yield* sleep(2);
          log.push(s.now);
        }
        yield* sleep(10);
        log.push(s.now);
      })(),
      { name: 't' },
    );
    s.spawn((function* () { yield* sleep(1); s.cancel(t); })(), { name: 'x' });
    s.runUntilIdle();
    expect(log).toEqual([3, 13]);
  });
});

describe('TimerHeap', () => {
  it('does not keep cancelled timers (and the tasks they hold) piling up, and still pops in (time, FIFO) order', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), cancel: fc.integer({ min: 0, max: 9 }).map((x) => x < 8) }), { minLength: 200, maxLength: 2000 }), (timers) => {
        const heap = new TimerHeap<{ timerSeq: number; i: number }>();
        const owners = timers.map((_, i) => ({ timerSeq: -1, i }));
        timers.forEach(({ at }, i) => heap.push(at, owners[i]));
        timers.forEach(({ cancel }, i) => { if (cancel) heap.cancel(owners[i]); });
        const live = timers.filter((t) => !t.cancel).length;
        expect(heap.size).toBeLessThanOrEqual(Math.max(2 * live + 1, live + 65));
        const popped: number[] = [];
        while (heap.peekAt() !== undefined) popped.push(heap.pop().i);
        const expected = timers
          .map((t, i) => ({ ...t, i }))
          .filter((t) => !t.cancel)
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map((t) => t.i);
        expect(popped).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
