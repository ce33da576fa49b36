import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  Scheduler,
  join,
  sleep,
  type Co,
} from '../../../src/core/scheduler';

describe('scheduler on the virtual clock: cancellation', () => {
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
