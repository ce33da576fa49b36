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

/** Suspend for `seconds` of logical time. `yield* sleep(0)` lets every other ready task run first. */
export function* sleep(seconds: number): Co {
  yield seconds === 0 ? YIELD_NOW : { kind: 'sleep', ns: secondsToNs(seconds) };
}

export function* sleepNs(ns: number): Co {
  yield ns === 0 ? YIELD_NOW : { kind: 'sleep', ns };
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
