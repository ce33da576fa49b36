import type { Future } from '../../scheduler/future';
import { await_, type Co } from '../../scheduler/ops';
import type { Scheduler } from '../../scheduler/scheduler';
import type { WaitTarget } from '../../scheduler/events';
import type { Task } from '../../scheduler/task';

/** The label of the future a watch waits on: `all of tasks 5, 6, 7` (gather, settle) or `first of tasks 5, 6` (race, timeout). */
export function watchLabel(what: 'all of' | 'first of', tasks: readonly Task<unknown>[]): string {
  return `${what} tasks ${tasks.map((t) => t.id).join(', ')}`;
}

const WATCH_LABEL = /^(?:all|first) of tasks (\d+(?:, \d+)*)$/;

/**
 * What a task that waits on a watch really waits on: the tasks, as a WaitTarget
 * `{ kind: 'tasks', ids }` (the timeline can draw who awaits whom), or null for
 * any other future.
 */
export function watchedTasks(label: string): WaitTarget | null {
  const match = WATCH_LABEL.exec(label);
  return match === null ? null : { kind: 'tasks', ids: match[1].split(', ').map(Number) };
}

/**
 * Hands out tasks in the order they end (asyncio.as_completed): what gather,
 * settle, race and timeout wait on. The task that waits shows in the timeline
 * as waiting on a future named after the tasks it watches.
 *
 * A watched task's failure counts as observed: whoever watches it decides what
 * becomes of the error (gather rethrows it, settle reports it).
 */
export class TaskWatch {
  private readonly ended: Task<unknown>[] = [];
  private head = 0;
  private pending: number;
  private waiting: Future<void> | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    readonly tasks: readonly Task<unknown>[],
    private readonly label: string,
  ) {
    this.pending = tasks.length;
    for (const task of tasks) task.onEnd((t) => this.onEnd(t));
  }

  /** Tasks not yet handed out by `next`. */
  get remaining(): number {
    return this.pending + this.ended.length - this.head;
  }

  /** The next task to end (waiting for it if none has), or undefined once all have been handed out. */
  *next(): Co<Task<unknown> | undefined> {
    while (this.head >= this.ended.length) {
      if (this.pending === 0) return undefined;
      const future = this.scheduler.future<void>(this.label);
      this.waiting = future;
      yield* await_(future);
    }
    return this.ended[this.head++];
  }

  /** Wait until every watched task has ended (after cancelling them: their cleanup has run). */
  *drain(): Co {
    while ((yield* this.next()) !== undefined) {
      // handed out and dropped
    }
  }

  private onEnd(task: Task<unknown>): void {
    task.errorObserved = true;
    this.pending--;
    this.ended.push(task);
    const future = this.waiting;
    if (future !== null) {
      this.waiting = null;
      future.resolve(undefined);
    }
  }
}
