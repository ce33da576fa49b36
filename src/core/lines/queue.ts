import type { Future } from '../scheduler/future';
import { await_, type Co } from '../scheduler/ops';
import type { Scheduler } from '../scheduler/scheduler';

/**
 * Items that arrive over time from outside the scheduler (lines typed at a
 * terminal), taken one at a time by a task. A task that finds the queue empty
 * waits on a Future that the next push resolves, so it sleeps without a timer
 * and the scheduler can go idle.
 */
export class ArrivalQueue<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiting: Future<T | undefined> | null = null;
  private isClosed = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly label: string,
  ) {}

  /** No more items will come (those queued are still taken). */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Items queued and not yet taken. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Queue an item; false (and dropped) once closed. */
  push(item: T): boolean {
    if (this.isClosed) return false;
    if (this.waiting !== null) {
      const future = this.waiting;
      this.waiting = null;
      future.resolve(item);
    } else this.items.push(item);
    return true;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.waiting !== null) {
      const future = this.waiting;
      this.waiting = null;
      future.resolve(undefined);
    }
  }

  /** Drop what is queued; later items are still taken. */
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  /** Drop what is queued and take no more. */
  discard(): void {
    this.items.length = 0;
    this.head = 0;
    this.close();
  }

  /** The next item, waiting for it if need be; undefined once closed and drained. */
  *next(): Co<T | undefined> {
    if (this.head < this.items.length) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return item;
    }
    if (this.isClosed) return undefined;
    const future = this.scheduler.future<T | undefined>(this.label);
    this.waiting = future;
    try {
      return yield* await_(future);
    } finally {
      // Cancelled while waiting: the next item must not go to a future nobody awaits.
      if (this.waiting === future) this.waiting = null;
    }
  }
}
