import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  block,
  sleep,
  sleepNs,
  type Co,
} from '../../../src/core/scheduler';
import { record } from '../../support/scheduler/record';


describe('scheduler on the virtual clock: time', () => {
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
});

describe('a length of time that is not one', () => {
  for (const kind of ['sleep', 'block'] as const) {
    it(`a ${kind} of NaN ns fails its task and leaves the clock alone: the others go on at their times`, () => {
      const s = new Scheduler();
      const events = record(s);
      const wakes: number[] = [];
      s.spawn((function* () { yield* sleep(0.5); yield { kind, ns: NaN }; wakes.push(-1); })(), { name: 'broken' });
      s.spawn((function* () { for (let i = 0; i < 3; i++) { yield* sleep(1); wakes.push(s.now); } })(), { name: 'steady' });
      s.runUntilIdle();
      expect(wakes).toEqual([1, 2, 3]);
      expect(s.now).toBe(3);
      const failed = events.filter((e) => e.type === 'task-failed');
      expect(failed.map((e) => e.type === 'task-failed' && [e.error.message, e.t])).toEqual([[`${kind === 'sleep' ? 'wait' : 'block'} of NaN ns: not a length of time`, 0.5]]);
    });
  }
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
