import type { Future } from '../scheduler/future';
import { sleepNs, type Co } from '../scheduler/ops';
import type { Scheduler } from '../scheduler/scheduler';
import type { Task } from '../scheduler/task';

/** A piece of work to do outside the scheduler's thread: `offload S` (run_in_executor). */
export interface ExecutorJob {
  /** How much work: this many ns of busy computation. */
  ns: number;
  /** What it is, for the timeline. */
  label: string;
}

/**
 * How many jobs run at once; the rest wait in a queue, first come first
 * served (asyncio's default executor is a pool too). The number is fixed, not
 * taken from the machine's cores, so a script's logical times are the same
 * live and offline and on every machine. Six is asyncio's min(32, cores + 4)
 * for the 2-core machines corotone is built on; a job is S seconds of wall
 * time, so threads beyond the cores do not make it longer, and six workers
 * cost ~40 MB where 200 unpooled ones cost 1.4 GB (issue 11).
 */
export const EXECUTOR_POOL_SIZE = 6;

/**
 * Runs jobs off the scheduler's thread and resolves each job's Future when it is
 * done (asyncio's loop.run_in_executor). The future is resolved from outside
 * any task, so the task awaiting it sleeps without holding the thread.
 */
export interface Executor {
  /**
   * Queue `job`; resolve `started` when a worker takes it (at once when one
   * is free) and `done` when it is finished. Returns a function that abandons
   * the job, queued or running.
   */
  run(job: ExecutorJob, done: Future<void>, started?: Future<void>): () => void;
}

/**
 * The first-come-first-served queue in front of a pool of `size` workers,
 * shared by the virtual and the worker-thread executors so both start jobs in
 * the same order at the same moments.
 */
export class JobQueue<W> {
  private readonly waiting: W[] = [];
  private active = 0;

  /** `begin` starts a job on a worker, and says false if it could not (the worker is then free for the next). */
  constructor(
    readonly size: number,
    private readonly begin: (work: W) => boolean,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`the pool size must be a whole number of 1 or more, got ${size}`);
  }

  /** Jobs running now. */
  get running(): number {
    return this.active;
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.waiting.length;
  }

  add(work: W): void {
    this.waiting.push(work);
    this.startWaiting();
  }

  /** A job left the queue unstarted; true when it was still there. */
  withdraw(work: W): boolean {
    const at = this.waiting.indexOf(work);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    return true;
  }

  /** A running job ended (finished, failed or abandoned): its worker takes the next. */
  finished(): void {
    this.active--;
    this.startWaiting();
  }

  /** Free workers take the jobs waiting, in order (a loop, not recursion: many may fail to start in a row). */
  private startWaiting(): void {
    while (this.active < this.size && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.active++;
      if (!this.begin(next)) this.active--;
    }
  }

  clear(): W[] {
    const left = this.waiting.splice(0);
    this.active = 0;
    return left;
  }
}

interface VirtualJob {
  job: ExecutorJob;
  done: Future<void>;
  started: Future<void> | undefined;
  /** The task that offloaded (the worker task's parent, whenever it starts). */
  parent: Task<unknown> | null;
  task: Task<void> | null;
}

/**
 * The executor of the virtual clock (tests, offline renders): a job of S
 * seconds finishes S of logical time after a worker of the pool takes it, as
 * a real worker thread would, and nothing on the scheduler's thread is held
 * meanwhile. The work is stood in for by a task of kind 'worker' (a child of
 * the task that offloads), so the timeline shows where the work went.
 */
export class VirtualExecutor implements Executor {
  private readonly queue: JobQueue<VirtualJob>;

  constructor(
    private readonly scheduler: Scheduler,
    poolSize = EXECUTOR_POOL_SIZE,
  ) {
    this.queue = new JobQueue(poolSize, (work) => this.begin(work));
  }

  run(job: ExecutorJob, done: Future<void>, started?: Future<void>): () => void {
    const work: VirtualJob = { job, done, started, parent: this.scheduler.current, task: null };
    this.queue.add(work);
    return () => {
      if (this.queue.withdraw(work)) return;
      if (work.task === null || work.done.settled) return;
      this.scheduler.cancel(work.task, 'cancelled', { by: this.scheduler.current?.id ?? 'cancel', reason: 'owner-ended' });
      this.queue.finished();
    };
  }

  private begin(work: VirtualJob): boolean {
    work.started?.resolve(undefined);
    try {
      work.task = this.scheduler.spawn(this.work(work), { name: work.job.label, kind: 'worker', parent: work.parent });
      return true;
    } catch (error) {
      // No task can stand for the work (the session's most tasks are alive): the job fails with that, located by its command.
      work.done.reject(error);
      return false;
    }
  }

  private *work(work: VirtualJob): Co {
    yield* sleepNs(work.job.ns);
    work.done.resolve(undefined);
    this.queue.finished();
  }
}
