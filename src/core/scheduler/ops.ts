import { secondsToNs } from '../time';
import type { Awaitable } from './awaitable';
import type { Co, Op, Task } from './task';

export type { Co, Op } from './task';

const DONE: IteratorReturnResult<void> = { value: undefined, done: true };

/**
 * The coroutine `sleep` returns: what `function* () { yield { kind: 'sleep', ns } }`
 * would be, written by hand because `sleep` is the hottest call there is. A
 * generator object costs an allocation, a frame and two resumptions of its own
 * under `yield*`, and its yield allocates a result and the Op. This object is
 * all three: the iterator, its first result (`yield*` passes the inner result
 * straight through to the scheduler, which only reads it) and the Op (`value`
 * is itself). So a sleep allocates one small object, which matters most when
 * 100k tasks all start sleeping in one instant: each such object lives until its
 * task wakes, so the young-generation GC copies it, and what is the same for
 * every sleep (`kind`, `done`, `value`) lives on the prototype, leaving two
 * fields. It behaves as the generator would under next, return and throw. One
 * difference: being an Op itself, `yield sleep(1)` (the star forgotten) sleeps
 * too, where a generator would have been refused as "not an Op".
 */
class SleepCo implements Generator<Op, void, unknown>, IteratorYieldResult<Op> {
  declare readonly kind: 'sleep';
  declare readonly done: false;
  readonly ns: number;
  private pending: boolean;

  constructor(ns: number) {
    this.ns = ns;
    this.pending = true;
  }

  get value(): Op {
    return this;
  }

  next(): IteratorResult<Op, void> {
    if (!this.pending) return DONE;
    this.pending = false;
    return this;
  }

  return(value: void): IteratorResult<Op, void> {
    this.pending = false;
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<Op, void> {
    this.pending = false;
    throw error;
  }

  [Symbol.iterator](): Generator<Op, void, unknown> {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return 'Generator';
  }

  /** As an Op in an error message: what a plain Op would print. */
  toJSON(): Op {
    return { kind: 'sleep', ns: this.ns };
  }
}
Object.defineProperties(SleepCo.prototype, {
  kind: { value: 'sleep' },
  done: { value: false },
});

/** Suspend for `seconds` of logical time. `yield* sleep(0)` lets every other ready task run first. */
export function sleep(seconds: number): Co {
  return new SleepCo(seconds === 0 ? 0 : secondsToNs(seconds));
}

export function sleepNs(ns: number): Co {
  return new SleepCo(ns);
}

/** Wait for a task to finish: its result, or its error rethrown here (a task is awaited as any future is). */
export function join<T>(task: Task<T>): Co<T> {
  return await_(task);
}

/** Wait for a task or a future resolved from outside (an input line, a worker's answer): its value, or its error rethrown here. */
export function* await_<T>(on: Awaitable<T>): Co<T> {
  return (yield { kind: 'await', on: on as Awaitable<unknown> }) as T;
}

/**
 * Hold the scheduler's thread for `seconds` without yielding control to other
 * tasks, the way a blocking call inside a coroutine does. On the virtual clock
 * logical time moves on by `seconds` with nothing else running.
 */
export function* block(seconds: number): Co {
  yield { kind: 'block', ns: secondsToNs(seconds) };
}

const PAUSE: Op = { kind: 'pause' };

/**
 * `co`, after letting the host in if the slice is over (see Scheduler.pauseDue):
 * the task goes on at once, at the same logical time, before any other task
 * runs; only the host (input, sockets, panic) gets a turn in between.
 */
export function* pauseThen<T>(co: Co<T>): Co<T> {
  yield PAUSE;
  return yield* co;
}
