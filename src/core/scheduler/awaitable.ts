import type { WaitTarget } from './events';

/** What waits on an awaitable: a task (an awaitable needs nothing else of it, so it does not import Task). */
export interface Waiter {
  readonly id: number;
}

/** Something to tell when an awaitable settles: a task waiting on it (woken), or a callback (called). */
export type Watcher = Waiter | ((settled: Awaitable<unknown>) => void);

/**
 * What a task can wait on (asyncio's Future, which a Task is too): a task, or a
 * future resolved from outside. Every wait goes one way: the waiting task is in
 * `watchers`, and when the awaitable settles the scheduler wakes it with the
 * outcome (Scheduler.settled). `yield* await_(x)` waits on either.
 */
export abstract class Awaitable<T> {
  /** @internal the result once settled well, the error once failed (the subclass's state says which) */
  protected outcome: unknown = undefined;
  /**
   * @internal tasks waiting on it and callbacks to run once it settles, in the
   * order they came; the list exists only once somebody watches (a program may
   * hold 100k tasks, most of them never awaited).
   */
  watchers: Watcher[] | null = null;

  abstract get settled(): boolean;

  /** Settled with an error (a future rejected, a task failed or cancelled). */
  abstract get failed(): boolean;

  /** What a waiter's `task-waiting` event says it waits on. */
  abstract waitTarget(): WaitTarget;

  /** @internal what a waiter is sent once it settled well */
  get settledValue(): unknown {
    return this.outcome;
  }

  /** Runs `callback` once settled (immediately if it is). */
  onSettled(callback: (settled: this) => void): void {
    if (this.settled) callback(this);
    else (this.watchers ??= []).push(callback as (settled: Awaitable<unknown>) => void);
  }

  /** @internal a task waits on it (not yet settled) */
  addWaiter(waiter: Waiter): void {
    (this.watchers ??= []).push(waiter);
  }

  /** @internal a waiting task was cancelled: it waits no more */
  removeWaiter(waiter: Waiter): void {
    if (this.watchers !== null) this.watchers = this.watchers.filter((w) => w !== waiter);
  }

  /** @internal takes the watchers to tell, as it settles */
  takeWatchers(): Watcher[] | null {
    const watchers = this.watchers;
    this.watchers = null;
    return watchers;
  }
}
