import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  Scheduler,
  await_,
  block,
  join,
  sleep,
  sleepNs,
  type Co,
  type TaskEvent,
} from '../../src/core/scheduler';
import { TimerHeap } from '../../src/core/scheduler/heap';

function record(s: Scheduler): TaskEvent[] {
  const events: TaskEvent[] = [];
  s.subscribe((e) => events.push(e));
  return events;
}

describe('scheduler on the virtual clock', () => {
  it('ends a sleep exactly S after it began, with no float drift over many sleeps', () => {
    const s = new Scheduler();
    const wakes: number[] = [];
    s.spawn(
      (function* () {
        for (const d of [2, 0.5, 0.4, 0.35, 0.6, 0.5, 0.4, 0.35, 0.6]) {
          yield* sleep(d);
          wakes.push(s.now);
        }
      })(),
      { name: 'sleeper' },
    );
    s.runUntilIdle();
    expect(wakes).toEqual([2, 2.5, 2.9, 3.25, 3.85, 4.35, 4.75, 5.1, 5.7]);
  });

  it('interleaves concurrent tasks by logical time, FIFO at equal times', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const voice = (name: string, step: number, n: number): Co => (function* () {
      for (let i = 0; i < n; i++) {
        log.push(`${name}${i}@${s.now}`);
        yield* sleep(step);
      }
    })();
    s.spawn(voice('a', 1, 3), { name: 'a' });
    s.spawn(voice('b', 1.5, 2), { name: 'b' });
    s.runUntilIdle();
    expect(log).toEqual(['a0@0', 'b0@0', 'a1@1', 'b1@1.5', 'a2@2']);
    expect(s.now).toBe(3);
  });

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

  it('runs a cancelled task\'s finally at the logical time of the cancel', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const chord = s.spawn(
      (function* () {
        log.push(`on@${s.now}`);
        try {
          yield* sleep(10);
        } finally {
          log.push(`off@${s.now}`);
        }
      })(),
      { name: 'chord' },
    );
    s.spawn((function* () { yield* sleep(2.25); s.cancel(chord); })(), { name: 'canceller' });
    s.runUntilIdle();
    expect(log).toEqual(['on@0', 'off@2.25']);
    expect(chord.state).toBe('cancelled');
    expect(s.now).toBe(2.25);
  });

  it('cancels what a task waits on, and the waiter ends cancelled', () => {
    const s = new Scheduler();
    let inner!: ReturnType<typeof s.spawn>;
    const outer = s.spawn(
      (function* () {
        inner = s.spawn((function* () { yield* sleep(5); })(), { name: 'inner' });
        yield* join(inner);
      })(),
      { name: 'outer' },
    );
    s.spawn((function* () { yield* sleep(1); s.cancel(outer); })(), { name: 'x' });
    s.runUntilIdle();
    expect(inner.state).toBe('cancelled');
    expect(outer.state).toBe('cancelled');
    expect(s.now).toBe(1);
  });

  it('cancels a task before it ever ran, and one that cancels itself', () => {
    const s = new Scheduler();
    let ran = false;
    const t = s.spawn((function* () { ran = true; })(), { name: 'never' });
    s.cancel(t);
    const self = s.spawn(
      (function* (): Co {
        s.cancel(s.current!);
        yield* sleep(1);
        ran = true;
      })(),
      { name: 'self' },
    );
    s.runUntilIdle();
    expect(ran).toBe(false);
    expect(t.state).toBe('cancelled');
    expect(self.state).toBe('cancelled');
    expect(s.cancel(self)).toBe(false);
  });

  it('lets a cancelled task catch CancelledError and finish its cleanup with sleeps', () => {
    const s = new Scheduler();
    const log: number[] = [];
    const t = s.spawn(
      (function* () {
        try {
          yield* sleep(10);
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          yield* sleep(0.5);
          log.push(s.now);
        }
      })(),
      { name: 'cleanup' },
    );
    s.spawn((function* () { yield* sleep(1); s.cancel(t); })(), { name: 'x' });
    s.runUntilIdle();
    expect(log).toEqual([1.5]);
    expect(t.state).toBe('done');
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

  it('holds the virtual clock under block, so sleepers wake late and say how late', () => {
    const s = new Scheduler({ lagThreshold: 0.01 });
    const events = record(s);
    const wakes: number[] = [];
    s.spawn((function* () { for (let i = 0; i < 4; i++) { yield* sleep(0.5); wakes.push(s.now); } })(), { name: 'melody' });
    s.spawn((function* () { yield* sleep(0.6); yield* block(1); })(), { name: 'blocker' });
    s.runUntilIdle();
    expect(wakes).toEqual([0.5, 1.6, 2.1, 2.6]);
    const lags = events.filter((e) => e.type === 'loop-lag');
    expect(lags).toHaveLength(1);
    expect(lags[0].type === 'loop-lag' && lags[0].late).toBeCloseTo(0.6, 9);
  });

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

  it('stays at the time of the last work when it runs out before the limit', () => {
    const s = new Scheduler();
    s.spawn((function* () { yield* sleep(1.5); })(), { name: 't' });
    s.runUntilIdle(30);
    expect(s.now).toBe(1.5);
  });

  it('stops at a time limit and can go on from there', () => {
    const s = new Scheduler();
    const wakes: number[] = [];
    s.spawn((function* () { for (let i = 0; i < 5; i++) { yield* sleep(1); wakes.push(s.now); } })(), { name: 't' });
    s.runUntilIdle(2.5);
    expect(wakes).toEqual([1, 2]);
    expect(s.now).toBe(2.5);
    s.runUntilIdle();
    expect(wakes).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes turns at sleep(0): every ready task runs before a yielder runs again', () => {
    const s = new Scheduler();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      s.spawn((function* () { for (let i = 0; i < 3; i++) { log.push(`${name}${i}`); yield* sleep(0); } })(), { name });
    }
    s.runUntilIdle();
    expect(log).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    expect(s.now).toBe(0);
    expect(s.resumptions).toBe(12);
  });

  it('cancels a task suspended at sleep(0), running its finally at that instant', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const spinner = s.spawn(
      (function* () {
        try {
          for (;;) yield* sleep(0);
        } finally {
          log.push(`released@${s.now}`);
        }
      })(),
      { name: 'spinner' },
    );
    s.spawn((function* () { yield* sleep(0); yield* sleep(0); s.cancel(spinner); })(), { name: 'x' });
    s.runUntilIdle();
    expect(log).toEqual(['released@0']);
    expect(spinner.state).toBe('cancelled');
  });
});

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

describe('sleep', () => {
  it('is a coroutine that yields one sleep Op and then returns, like a generator', () => {
    const co = sleep(0.25);
    expect(co[Symbol.iterator]()).toBe(co);
    const first = co.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ kind: 'sleep', ns: 250_000_000 });
    expect(JSON.stringify(first.value)).toBe('{"kind":"sleep","ns":250000000}');
    expect(co.next()).toEqual({ value: undefined, done: true });
    expect(co.next()).toEqual({ value: undefined, done: true });
    expect(sleepNs(0).next().value).toMatchObject({ kind: 'sleep', ns: 0 });
    expect(Object.prototype.toString.call(co)).toBe('[object Generator]');
  });

  it('rethrows what is thrown into it and is then finished; return finishes it too', () => {
    const thrown = sleep(1);
    thrown.next();
    expect(() => thrown.throw(new Error('stop'))).toThrow('stop');
    expect(thrown.next().done).toBe(true);
    const returned = sleep(1);
    expect(returned.return()).toEqual({ value: undefined, done: true });
    expect(returned.next().done).toBe(true);
  });
});

describe('scheduler on the real clock', () => {
  /** Host timers under the test's control: time moves only when the test says. */
  function fakeTimers() {
    let nowMs = 0;
    let armed = 0;
    const pending: { at: number; cb: () => void }[] = [];
    return {
      timers: {
        nowMs: () => nowMs,
        setTimeout: (cb: () => void, ms: number) => {
          armed++;
          const entry = { at: nowMs + ms, cb };
          pending.push(entry);
          return entry;
        },
        clearTimeout: (h: unknown) => {
          const i = pending.indexOf(h as { at: number; cb: () => void });
          if (i >= 0) pending.splice(i, 1);
        },
      },
      /** Move the wall clock on without firing anything, as a task that holds the thread does. */
      spend(ms: number) {
        nowMs += ms;
      },
      /** Host timers armed so far. */
      get armed() {
        return armed;
      },
      /** Move the wall clock on, firing due host timers (each `lateMs` after its time). */
      async advance(ms: number, lateMs = 0) {
        await Promise.resolve(); // let queued pumps run at the present
        const until = nowMs + ms;
        for (;;) {
          pending.sort((a, b) => a.at - b.at);
          const next = pending[0];
          if (!next || next.at + lateMs > until) break;
          pending.shift();
          nowMs = next.at + lateMs;
          next.cb();
          await Promise.resolve();
        }
        nowMs = until;
        await Promise.resolve();
      },
    };
  }

  it('stamps a task spawned from outside with the clock\'s present, and runs it then', async () => {
    const { RealTimeDriver } = await import('../../src/core/scheduler');
    const clock = fakeTimers();
    const s = new Scheduler();
    const events = record(s);
    const driver = new RealTimeDriver(s, { timers: clock.timers });
    driver.start();
    await clock.advance(1320);
    s.spawn((function* () { yield* sleep(0.5); })(), { name: 'typed line' });
    await clock.advance(1000, 7);
    const times = events.filter((e) => 'id' in e).map((e) => `${e.type}@${e.t}`);
    expect(times).toEqual(['task-created@1.32', 'task-running@1.32', 'task-sleeping@1.32', 'task-running@1.82', 'task-done@1.82']);
    driver.stop();
  });

  it('runs the timers that fell due while a long instant ran straight after it, each at its own logical time', async () => {
    const { RealTimeDriver } = await import('../../src/core/scheduler');
    const clock = fakeTimers();
    const s = new Scheduler();
    const driver = new RealTimeDriver(s, { timers: clock.timers });
    const woke: string[] = [];
    for (const ms of [30, 10, 20]) {
      s.spawn((function* () { yield* sleep(ms / 1000); woke.push(`${s.now}@${driver.wall}`); })(), { name: `sleep ${ms}` });
    }
    // The first instant holds the thread for 50 ms of wall time.
    s.spawn((function* () { clock.spend(50); })(), { name: 'slow' });
    driver.start();
    await Promise.resolve();
    // Woken in the same pump, in order of their logical times, without waiting for a host timer.
    expect(woke).toEqual(['0.01@0.05', '0.02@0.05', '0.03@0.05']);
    expect(clock.armed).toBe(0);
    driver.stop();
  });

  it('reports a wake later than the lag threshold as loop-lag, measured from its own timer', async () => {
    const { RealTimeDriver } = await import('../../src/core/scheduler');
    const clock = fakeTimers();
    const s = new Scheduler({ lagThreshold: 0.02 });
    const events = record(s);
    const driver = new RealTimeDriver(s, { timers: clock.timers });
    s.spawn((function* () { yield* sleep(0.1); yield* sleep(0.1); })(), { name: 'sleeper' });
    driver.start();
    await clock.advance(200, 30); // the first wake's host timer fires 30 ms late
    await clock.advance(300, 5); // the second's 5 ms late: under the threshold
    const lags = events.filter((e) => e.type === 'loop-lag').map((e) => e.type === 'loop-lag' && [e.t, Math.round(e.late * 1000)]);
    expect(lags).toEqual([[0.1, 30]]);
    driver.stop();
  });
});

describe('block on the real clock', () => {
  it('holds the thread for S of logical time: twice as long in wall time at half speed', async () => {
    const { RealTimeDriver } = await import('../../src/core/scheduler');
    let nowMs = 0;
    // A wall clock that moves a millisecond each time it is read, as a busy loop would see it.
    const timers = { nowMs: () => (nowMs += 1), setTimeout: () => null, clearTimeout: () => {} };
    const held: number[] = [];
    for (const speed of [1, 0.5]) {
      const driver = new RealTimeDriver(new Scheduler(), { timers, speed });
      const before = driver.wallNs();
      driver.hold(1e9);
      held.push(Math.round((driver.wallNs() - before) / 1e9));
    }
    expect(held).toEqual([1, 2]);
  });
});
