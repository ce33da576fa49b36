import { Worker } from 'node:worker_threads';
import { EXECUTOR_POOL_SIZE, JobQueue, type Executor, type ExecutorJob } from '../../core/executor/executor';
import type { Future } from '../../core/scheduler/future';

/**
 * The worker's whole program: busy-work for the asked time (or until told to
 * stop through the shared flag), then answer. It is plain CommonJS given as
 * text, so it runs the same under tsx, a bundle, or tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stop);
parentPort.on('message', (job) => {
  const until = process.hrtime.bigint() + BigInt(job.ns);
  let spins = 0;
  while (process.hrtime.bigint() < until && Atomics.load(stop, 0) === 0) spins++;
  parentPort.postMessage({ id: job.id, spins });
});
`;

interface PooledJob {
  id: number;
  job: ExecutorJob;
  done: Future<void>;
  started: Future<void> | undefined;
  worker: PoolWorker | null;
  abandoned: boolean;
}

interface PoolWorker {
  thread: Worker;
  /** Set to 1 to make the worker drop its job at once. */
  stop: Int32Array;
  job: PooledJob | null;
}

/**
 * `offload S` on the real clock: the S seconds of work run in a worker thread
 * (a real `worker_threads` Worker busy for S seconds) while the scheduler's
 * thread goes on playing; the job's Future is resolved from outside when the
 * worker answers (asyncio's run_in_executor with its thread pool).
 *
 * At most `poolSize` threads ever exist (EXECUTOR_POOL_SIZE by default); a job
 * that finds them all busy waits in the queue, and its `started` future tells
 * the timeline when a worker takes it. Workers are kept for the next job
 * (starting one costs tens of ms), do not keep the process alive when idle,
 * and drop an abandoned job through a shared flag, so a cancelled job frees
 * its worker at once without killing the thread.
 */
export class WorkerExecutor implements Executor {
  private readonly queue: JobQueue<PooledJob>;
  private readonly idle: PoolWorker[] = [];
  private readonly threads = new Set<PoolWorker>();
  private nextId = 1;
  private closed = false;
  /** The most threads alive at once so far. */
  peakThreads = 0;

  constructor(poolSize = EXECUTOR_POOL_SIZE) {
    this.queue = new JobQueue(poolSize, (job) => this.begin(job));
  }

  run(job: ExecutorJob, done: Future<void>, started?: Future<void>): () => void {
    if (this.closed) {
      const error = new Error('the executor is closed');
      started?.reject(error);
      done.reject(error);
      return () => {};
    }
    const entry: PooledJob = { id: this.nextId++, job, done, started, worker: null, abandoned: false };
    this.queue.add(entry);
    return () => {
      // Abandoned (its task was cancelled): out of the queue, or its worker told to stop.
      if (this.queue.withdraw(entry)) return;
      if (entry.worker === null || entry.abandoned || done.settled) return;
      entry.abandoned = true;
      Atomics.store(entry.worker.stop, 0, 1);
    };
  }

  /** Jobs running now. */
  get busy(): number {
    return this.queue.running;
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.queue.queued;
  }

  /** Threads alive now. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Stop every worker; jobs running or queued are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the executor was closed');
    for (const entry of this.queue.clear()) {
      entry.started?.reject(error);
      entry.done.reject(error);
    }
    const workers = [...this.threads];
    for (const w of workers) if (w.job !== null && !w.job.abandoned) w.job.done.reject(error);
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.thread.terminate()));
  }

  private begin(entry: PooledJob): boolean {
    const worker = this.idle.pop() ?? this.startWorker();
    Atomics.store(worker.stop, 0, 0);
    worker.job = entry;
    entry.worker = worker;
    worker.thread.ref();
    worker.thread.postMessage({ id: entry.id, ns: Math.max(0, Math.round(entry.job.ns)) });
    entry.started?.resolve(undefined);
    return true;
  }

  private startWorker(): PoolWorker {
    const stop = new SharedArrayBuffer(4);
    const worker: PoolWorker = { thread: new Worker(WORKER_SOURCE, { eval: true, workerData: { stop } }), stop: new Int32Array(stop), job: null };
    this.threads.add(worker);
    this.peakThreads = Math.max(this.peakThreads, this.threads.size);
    worker.thread.on('message', (message: { id: number }) => {
      const entry = worker.job;
      if (entry === null || entry.id !== message.id || this.closed) return;
      worker.job = null;
      worker.thread.unref();
      this.idle.push(worker);
      this.queue.finished();
      if (!entry.abandoned) entry.done.resolve(undefined);
    });
    worker.thread.on('error', (error) => {
      this.threads.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      const entry = worker.job;
      worker.job = null;
      if (entry === null || this.closed) return;
      this.queue.finished();
      if (!entry.abandoned) entry.done.reject(error);
    });
    worker.thread.on('exit', () => this.threads.delete(worker));
    return worker;
  }
}
