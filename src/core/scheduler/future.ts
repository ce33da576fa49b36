export type FutureState = 'pending' | 'resolved' | 'rejected';

/** What waits on a future: a task (the future needs nothing else of it, so it does not import Task). */
export interface FutureWaiter {
  readonly id: number;
}

/** The scheduler's side of a future: how it wakes the tasks that wait. */
export interface FutureHost {
  wake(waiter: FutureWaiter, value: unknown, error: unknown, failed: boolean): void;
}

/**
 * A value that arrives later, resolved from outside the task that waits for it
 * (asyncio.Future). Tasks wait on it with `yield* await_(future)`.
 */
export class Future<T> {
  state: FutureState = 'pending';
  value: T | undefined;
  error: unknown;
  /** @internal */
  waiters: FutureWaiter[] = [];
  private readonly callbacks: ((future: Future<T>) => void)[] = [];

  constructor(
    private readonly host: FutureHost,
    readonly label: string,
    /** The ids of the tasks this future stands for (what gather, race ... wait on), so a waiter's event can name them. */
    readonly awaits: readonly number[] | null = null,
  ) {}

  get settled(): boolean {
    return this.state !== 'pending';
  }

  resolve(value: T): boolean {
    if (this.state !== 'pending') return false;
    this.state = 'resolved';
    this.value = value;
    this.settle();
    return true;
  }

  reject(error: unknown): boolean {
    if (this.state !== 'pending') return false;
    this.state = 'rejected';
    this.error = error;
    this.settle();
    return true;
  }

  /** Runs `callback` once settled (immediately if it already is). */
  onSettled(callback: (future: Future<T>) => void): void {
    if (this.settled) callback(this);
    else this.callbacks.push(callback);
  }

  private settle(): void {
    const waiters = this.waiters;
    this.waiters = [];
    const failed = this.state === 'rejected';
    for (const task of waiters) this.host.wake(task, this.value, this.error, failed);
    for (const callback of this.callbacks.splice(0)) callback(this);
  }
}
