import { Awaitable, type Watcher } from './awaitable';
import type { WaitTarget } from './events';

export type FutureState = 'pending' | 'resolved' | 'rejected';

/** The scheduler's side of an awaitable: how it wakes the tasks that wait (and runs the callbacks) once it settles. */
export interface FutureHost {
  settled(awaitable: Awaitable<unknown>, watchers: Watcher[]): void;
}

/**
 * A value that arrives later, resolved from outside the task that waits for it
 * (asyncio.Future). Tasks wait on it with `yield* await_(future)`.
 */
export class Future<T> extends Awaitable<T> {
  state: FutureState = 'pending';

  constructor(
    private readonly host: FutureHost,
    readonly label: string,
    /** The ids of the tasks this future stands for (what gather, race ... wait on), so a waiter's event can name them. */
    readonly awaits: readonly number[] | null = null,
  ) {
    super();
  }

  get settled(): boolean {
    return this.state !== 'pending';
  }

  get failed(): boolean {
    return this.state === 'rejected';
  }

  get value(): T | undefined {
    return this.state === 'resolved' ? (this.outcome as T) : undefined;
  }

  get error(): unknown {
    return this.state === 'rejected' ? this.outcome : undefined;
  }

  waitTarget(): WaitTarget {
    return this.awaits !== null ? { kind: 'tasks', ids: [...this.awaits] } : { kind: 'future', label: this.label };
  }

  resolve(value: T): boolean {
    return this.settle('resolved', value);
  }

  reject(error: unknown): boolean {
    return this.settle('rejected', error);
  }

  private settle(state: 'resolved' | 'rejected', outcome: unknown): boolean {
    if (this.state !== 'pending') return false;
    this.state = state;
    this.outcome = outcome;
    const watchers = this.takeWatchers();
    if (watchers !== null) this.host.settled(this, watchers);
    return true;
  }
}
