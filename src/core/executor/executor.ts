import type { Future } from '../scheduler/future';
import { sleepNs, type Co } from '../scheduler/ops';
import type { Scheduler } from '../scheduler/scheduler';

/** A piece of work to do outside the scheduler's thread: `offload S` (run_in_executor). */
export interface ExecutorJob {
  /** How much work: this many ns of busy computation. */
  ns: number;
  /** What it is, for the timeline. */
  label: string;
}

/**
 * Runs jobs off the scheduler's thread and resolves each job's Future when it is
 * done (asyncio's loop.run_in_executor). The future is resolved from outside
 * any task, so the task awaiting it sleeps without holding the thread.
 */
export interface Executor {
  /** Start `job`; resolve `done` when it is finished. Returns a function that abandons the job. */
  run(job: ExecutorJob, done: Future<void>): () => void;
}

/**
 * The executor of the virtual clock (tests, offline renders): a job of S
 * seconds finishes S of logical time after it starts, as a real worker thread
 * would, and nothing on the scheduler's thread is held meanwhile. The work is
 * stood in for by a task of kind 'worker' (a child of the task that offloads),
 * so the timeline shows where the work went.
 */
export class VirtualExecutor implements Executor {
  constructor(private readonly scheduler: Scheduler) {}

  run(job: ExecutorJob, done: Future<void>): () => void {
    const task = this.scheduler.spawn(work(job.ns, done), { name: job.label, kind: 'worker' });
    return () => {
      this.scheduler.cancel(task, 'cancelled', { by: this.scheduler.current?.id ?? 'cancel', reason: 'owner-ended' });
    };
  }
}

function* work(ns: number, done: Future<void>): Co {
  yield* sleepNs(ns);
  done.resolve(undefined);
}
