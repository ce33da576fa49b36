import { describe, expect, it } from 'vitest';
import { RealTimeDriver, Scheduler, sleep, type TimerFunctions } from '../../../src/core/scheduler';
import { record } from '../../support/scheduler/record';

/** Host timers that move only when the test says. */
function fakeTimers() {
  let nowMs = 0;
  const pending: { at: number; cb: () => void }[] = [];
  const timers: TimerFunctions = {
    nowMs: () => nowMs,
    setTimeout: (cb, ms) => {
      const entry = { at: nowMs + ms, cb };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as { at: number; cb: () => void });
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    timers,
    async advance(ms: number) {
      await Promise.resolve();
      const until = nowMs + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > until) break;
        pending.shift();
        nowMs = next.at;
        next.cb();
        await Promise.resolve();
      }
      nowMs = until;
      await Promise.resolve();
    },
  };
}

describe('pausing the real clock (the stepper, live)', () => {
  it('holds logical time while paused: nothing runs, and on continue nothing is late and no time is skipped', async () => {
    const clock = fakeTimers();
    const s = new Scheduler();
    const events = record(s);
    const woke: number[] = [];
    s.spawn(
      (function* () {
        for (let i = 0; i < 3; i++) {
          yield* sleep(1);
          woke.push(s.now);
        }
      })(),
      { name: 'ticks' },
    );
    const driver = new RealTimeDriver(s, { timers: clock.timers });
    driver.start();
    await clock.advance(1500);
    expect(woke).toEqual([1]);
    driver.pause();
    expect(driver.paused).toBe(true);
    await clock.advance(10_000);
    // Ten seconds of wall time: the clock stood at 1.5 s and nothing ran.
    expect(woke).toEqual([1]);
    expect(driver.logicalNowNs()).toBe(1_500_000_000);
    driver.resume();
    await clock.advance(499);
    expect(woke).toEqual([1]);
    await clock.advance(1);
    expect(woke).toEqual([1, 2]);
    await clock.advance(1000);
    expect(woke).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'loop-lag')).toEqual([]);
    driver.stop();
  });

  it('work that arrives while paused waits, and runs at the paused time on continue', async () => {
    const clock = fakeTimers();
    const s = new Scheduler();
    const driver = new RealTimeDriver(s, { timers: clock.timers });
    driver.start();
    await clock.advance(2000);
    driver.pause();
    const ran: number[] = [];
    s.spawn(
      (function* () {
        ran.push(s.now);
      })(),
      { name: 'typed line' },
    );
    await clock.advance(3000);
    expect(ran).toEqual([]);
    driver.resume();
    await clock.advance(0);
    expect(ran).toEqual([2]);
    driver.stop();
  });
});
