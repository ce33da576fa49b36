import type { CancelCause } from './events';
import type { Task } from './task';

/** One bulk cancellation (a panic, a stop): the tasks still to cancel, and why. */
interface Batch {
  readonly tasks: readonly Task<unknown>[];
  at: number;
  readonly message: string;
  readonly cause: CancelCause;
}

export type CancelOne = (task: Task<unknown>, message: string, cause: CancelCause) => void;

/**
 * Bulk cancellations in progress. Cancelling 160k tasks at once held the host
 * for a second; here every task is condemned at once (a flag: it may not run
 * again before its cancel) and the cancels are delivered a bounded number at a
 * time, as the scheduler's work allows.
 */
export class BulkCancels {
  private readonly batches: Batch[] = [];

  get pending(): boolean {
    return this.batches.length > 0;
  }

  add(tasks: readonly Task<unknown>[], message: string, cause: CancelCause): void {
    for (let i = 0; i < tasks.length; i++) if (!tasks[i].ended) tasks[i].condemned = true;
    this.batches.push({ tasks, at: 0, message, cause });
  }

  /** Cancel `task` now (it is condemned and about to run), for the oldest batch's reason. */
  cancelNow(task: Task<unknown>, cancel: CancelOne): void {
    task.condemned = false;
    const batch = this.batches[0];
    if (batch !== undefined) cancel(task, batch.message, batch.cause);
  }

  /** Deliver up to `max` cancels, in the order they were asked for; returns how many tasks it looked at. */
  run(max: number, cancel: CancelOne): number {
    let done = 0;
    while (done < max && this.batches.length > 0) {
      const batch = this.batches[0];
      const { tasks } = batch;
      while (done < max && batch.at < tasks.length) {
        const task = tasks[batch.at++];
        done++;
        // Not one cancelled already as it came to run (cancelNow), nor one that ended meanwhile.
        if (!task.condemned) continue;
        task.condemned = false;
        if (!task.ended) cancel(task, batch.message, batch.cause);
      }
      if (batch.at >= tasks.length) this.batches.shift();
    }
    return done;
  }
}
