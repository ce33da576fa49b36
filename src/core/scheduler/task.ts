import { Awaitable } from './awaitable';
import type { SourcePosition, TaskKind, WaitTarget } from './events';

/** What a task yields to the scheduler: the only ways a coroutine suspends (made by the functions of ops.ts). */
export type Op =
  | { readonly kind: 'sleep'; readonly ns: number }
  | { readonly kind: 'await'; readonly on: Awaitable<unknown> }
  | { readonly kind: 'block'; readonly ns: number }
  | { readonly kind: 'pause' };

/** A coroutine: the body of a task, or a piece of one delegated to with `yield*`. */
export type Co<T = void> = Generator<Op, T, unknown>;

export type TaskState = 'ready' | 'running' | 'sleeping' | 'blocking' | 'waiting' | 'done' | 'failed' | 'cancelled';

export interface TaskOptions {
  /** What the timeline shows: usually the command line. */
  name: string;
  /** What kind of task this is (default 'task'). */
  kind?: TaskKind;
  pos?: SourcePosition | null;
  /** Defaults to the task that is running when spawn is called. */
  parent?: Task<unknown> | null;
  /** The lane the task belongs to; defaults to the parent's. */
  source?: string;
}

const CANCEL_REQUESTED = 1;
const ERROR_OBSERVED = 2;
const RESUME_THROWS = 4;
const CONDEMNED = 8;

/**
 * A coroutine run by the scheduler. Created only by `Scheduler.spawn`.
 *
 * A program may hold 100k of these at once (every one a sleeper, say), and all
 * of them are created in one go and live on, so each field costs 8 bytes times
 * 100k, allocated and then copied by the young-generation GC as it promotes
 * them. Hence the packing: the booleans share one small integer, the result and
 * the error share one slot (the state says which), what the next resumption
 * sends in is one slot (a flag says whether it is thrown), and the joiners and
 * end callbacks share one list that exists only once somebody watches.
 */
export class Task<T> extends Awaitable<T> {
  state: TaskState = 'ready';
  /** @internal CANCEL_REQUESTED | ERROR_OBSERVED | RESUME_THROWS | CONDEMNED */
  private flags = 0;
  /** @internal what the next resumption sends into the generator: a value, or an error to throw (see `resumeThrows`) */
  resumeWith: unknown = undefined;
  /** @internal a cancel to deliver at the next suspension (its message), or null */
  deliverCancel: string | null = null;
  /** @internal the key of the timer this task sleeps on (see TimerHeap), or -1 */
  timerSeq = -1;
  /** @internal what it waits on (a task or a future) while waiting */
  waitingOn: Awaitable<unknown> | null = null;

  constructor(
    readonly id: number,
    /** The command as written (a live loop's is its newest `live` line: see live.ts). */
    public name: string,
    readonly kind: TaskKind,
    readonly parent: Task<unknown> | null,
    readonly source: string,
    public pos: SourcePosition | null,
    /** @internal */
    readonly gen: Co<T>,
  ) {
    super();
  }

  get settled(): boolean {
    return this.ended;
  }

  get failed(): boolean {
    return this.state === 'failed' || this.state === 'cancelled';
  }

  waitTarget(): WaitTarget {
    return { kind: 'task', id: this.id };
  }

  /** What the task returned, once it is done. */
  get result(): T | undefined {
    return this.state === 'done' ? (this.outcome as T) : undefined;
  }

  /** What the task failed with (a CancelledError if it was cancelled), once it has. */
  get error(): unknown {
    return this.state === 'failed' || this.state === 'cancelled' ? this.outcome : undefined;
  }

  /** Set when cancel() was asked for; the task may still be running its cleanup. */
  get cancelRequested(): boolean {
    return (this.flags & CANCEL_REQUESTED) !== 0;
  }

  set cancelRequested(value: boolean) {
    this.flags = value ? this.flags | CANCEL_REQUESTED : this.flags & ~CANCEL_REQUESTED;
  }

  /** The error was handed to somebody (a joiner or an observer). */
  get errorObserved(): boolean {
    return (this.flags & ERROR_OBSERVED) !== 0;
  }

  set errorObserved(value: boolean) {
    this.flags = value ? this.flags | ERROR_OBSERVED : this.flags & ~ERROR_OBSERVED;
  }

  /** @internal a bulk cancellation (panic, stop) has it in line: it is cancelled before it may run again */
  get condemned(): boolean {
    return (this.flags & CONDEMNED) !== 0;
  }

  set condemned(value: boolean) {
    this.flags = value ? this.flags | CONDEMNED : this.flags & ~CONDEMNED;
  }

  /** @internal the next resumption throws `resumeWith` into the generator instead of sending it */
  get resumeThrows(): boolean {
    return (this.flags & RESUME_THROWS) !== 0;
  }

  /** @internal the next resumption sends `value` into the generator */
  sendOnResume(value: unknown): void {
    this.flags &= ~RESUME_THROWS;
    this.resumeWith = value;
  }

  /** @internal the next resumption throws `error` into the generator */
  throwOnResume(error: unknown): void {
    this.flags |= RESUME_THROWS;
    this.resumeWith = error;
  }

  /** @internal records how the task ended (the state says whether `outcome` is a result or an error) */
  settle(state: 'done' | 'failed' | 'cancelled', outcome: unknown): void {
    this.state = state;
    this.outcome = outcome;
  }

  get ended(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled';
  }

  /** Runs `callback` once the task has ended (immediately if it has). */
  onEnd(callback: (task: Task<T>) => void): void {
    this.onSettled(callback);
  }
}
