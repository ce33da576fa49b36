import type { SourcePosition } from './events';
import type { Future } from './future';
import type { Co } from './ops';

export type TaskState = 'ready' | 'running' | 'sleeping' | 'blocking' | 'waiting' | 'done' | 'failed' | 'cancelled';

export interface TaskOptions {
  /** What the timeline shows: usually the command line. */
  name: string;
  /** What kind of task this is ('source', 'line', 'command', ...). */
  kind?: string;
  pos?: SourcePosition | null;
  /** Defaults to the task that is running when spawn is called. */
  parent?: Task<unknown> | null;
  /** The lane the task belongs to; defaults to the parent's. */
  source?: string;
}

/** A coroutine run by the scheduler. Created only by `Scheduler.spawn`. */
export class Task<T> {
  state: TaskState = 'ready';
  result: T | undefined = undefined;
  error: unknown = undefined;
  /** Set when cancel() was asked for; the task may still be running its cleanup. */
  cancelRequested = false;
  /** The error was handed to somebody (a joiner or an observer). */
  errorObserved = false;

  /** @internal a cancel to deliver at the next suspension (its message), or null */
  deliverCancel: string | null = null;
  /** @internal how the next resumption continues the generator */
  resumeValue: unknown = undefined;
  /** @internal */
  resumeError: unknown = undefined;
  /** @internal */
  resumeThrows = false;
  /** @internal the key of the timer this task sleeps on (see TimerHeap), or -1 */
  timerSeq = -1;
  /** @internal */
  waitingOn: Task<unknown> | Future<unknown> | null = null;
  /** @internal tasks that joined this one */
  joiners: Task<unknown>[] | null = null;
  /**
   * @internal callbacks run once this task ends. Typed for Task<unknown> so that
   * Task<T> stays assignable to Task<unknown> (a field typed with T in a parameter
   * position would make Task invariant); onEnd is where T is known.
   */
  endCallbacks: ((task: Task<unknown>) => void)[] | null = null;
  /** @internal the logical time (ns) this resumption was due, for lag measurement */
  dueNs = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: string,
    readonly parent: Task<unknown> | null,
    readonly source: string,
    readonly pos: SourcePosition | null,
    /** @internal */
    readonly gen: Co<T>,
  ) {}

  get ended(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled';
  }

  /** Runs `callback` once the task has ended (immediately if it has). */
  onEnd(callback: (task: Task<T>) => void): void {
    if (this.ended) {
      callback(this);
      return;
    }
    (this.endCallbacks ??= []).push(callback as (task: Task<unknown>) => void);
  }
}
