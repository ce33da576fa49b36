import { secondsToNs } from '../time';
import type { Future } from './future';
import type { Task } from './task';

/** What a task yields to the scheduler: the only ways a coroutine suspends. */
export type Op =
  | { readonly kind: 'sleep'; readonly ns: number }
  | { readonly kind: 'join'; readonly task: Task<unknown> }
  | { readonly kind: 'future'; readonly future: Future<unknown> }
  | { readonly kind: 'block'; readonly ns: number };

/** A coroutine: the body of a task, or a piece of one delegated to with `yield*`. */
export type Co<T = void> = Generator<Op, T, unknown>;

const YIELD_NOW: Op = { kind: 'sleep', ns: 0 };
const YIELD_NOW_RESULT: IteratorYieldResult<Op> = { value: YIELD_NOW, done: false };
const DONE: IteratorReturnResult<void> = { value: undefined, done: true };

/**
 * A coroutine that yields one Op and then returns: what `function* () { yield op; }`
 * would be, written by hand because `sleep` is the hottest call there is. A
 * generator object costs an allocation, a frame and two resumptions of its own
 * under `yield*`; this costs one small object, and for `sleep(0)` it hands out
 * shared result objects (`yield*` passes the inner result straight through to
 * the scheduler, which only reads it). Behaves as the generator would under
 * next, return and throw.
 */
class OneOp implements Generator<Op, void, unknown> {
  constructor(private pending: IteratorYieldResult<Op> | null) {}

  next(): IteratorResult<Op, void> {
    const result = this.pending;
    if (result === null) return DONE;
    this.pending = null;
    return result;
  }

  return(value: void): IteratorResult<Op, void> {
    this.pending = null;
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<Op, void> {
    this.pending = null;
    throw error;
  }

  [Symbol.iterator](): Generator<Op, void, unknown> {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return 'Generator';
  }
}

/** Suspend for `seconds` of logical time. `yield* sleep(0)` lets every other ready task run first. */
export function sleep(seconds: number): Co {
  return new OneOp(seconds === 0 ? YIELD_NOW_RESULT : { value: { kind: 'sleep', ns: secondsToNs(seconds) }, done: false });
}

export function sleepNs(ns: number): Co {
  return new OneOp(ns === 0 ? YIELD_NOW_RESULT : { value: { kind: 'sleep', ns }, done: false });
}

/** Wait for a task to finish: its result, or its error rethrown here. */
export function* join<T>(task: Task<T>): Co<T> {
  return (yield { kind: 'join', task: task as Task<unknown> }) as T;
}

/** Wait for a future resolved from outside (an input line, a worker's answer). */
export function* await_<T>(future: Future<T>): Co<T> {
  return (yield { kind: 'future', future: future as Future<unknown> }) as T;
}

/**
 * Hold the scheduler's thread for `seconds` without yielding control to other
 * tasks, the way a blocking call inside a coroutine does. On the virtual clock
 * logical time moves on by `seconds` with nothing else running.
 */
export function* block(seconds: number): Co {
  yield { kind: 'block', ns: secondsToNs(seconds) };
}
