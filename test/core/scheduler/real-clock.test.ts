import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  sleep,
} from '../../../src/core/scheduler';
import { record } from '../../support/scheduler/record';


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
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
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
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
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
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
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
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
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
