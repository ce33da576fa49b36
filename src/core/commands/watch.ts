import type { Future } from '../scheduler/future';
import { await_ } from '../scheduler/ops';
import type { Scheduler } from '../scheduler/scheduler';
import type { Co, Task } from '../scheduler/task';

/**
 * Hands out tasks in the order they end (asyncio.as_completed): what gather,
 * settle, race and timeout wait on. The future the task waits on stands for
 * the watched tasks: its `task-waiting` event names their ids (`{ kind:
 * 'tasks', ids }`), and `tasks` shows its label, `all of tasks 5, 6, 7`.
 *
 * A watched task's failure counts as observed: whoever watches it decides what
 * becomes of the error (gather rethrows it, settle reports it).
 */
export class TaskWatch {
  private readonly ended: Task<unknown>[] = [];
  private head = 0;
  private pending: number;
  private waiting: Future<void> | null = null;
  private readonly label: string;
  private readonly ids: readonly number[];

  constructor(
    private readonly scheduler: Scheduler,
    readonly tasks: readonly Task<unknown>[],
    /** Waiting for all of them (gather, settle) or the first (race, timeout): for the label. */
    what: 'all of' | 'first of',
  ) {
    this.ids = tasks.map((t) => t.id);
    this.label = `${what} tasks ${this.ids.join(', ')}`;
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
      const future = this.scheduler.future<void>(this.label, this.ids);
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
