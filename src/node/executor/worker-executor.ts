import { Worker } from 'node:worker_threads';
import type { Executor, ExecutorJob } from '../../core/executor/executor';
import type { Future } from '../../core/scheduler/future';

/**
 * The worker's whole program: busy-work for the asked time, then answer. It is
 * plain CommonJS given as text, so it runs the same under tsx, a build, or tests.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (job) => {
  const until = process.hrtime.bigint() + BigInt(job.ns);
  let spins = 0;
  while (process.hrtime.bigint() < until) spins++;
  parentPort.postMessage({ id: job.id, spins });
});
`;

interface Pending {
  done: Future<void>;
  worker: Worker;
}

/**
 * `offload S` on the real clock: the S seconds of work run in a worker thread
 * (a real `worker_threads` Worker busy for S seconds) while the scheduler's
 * thread goes on playing; the job's Future is resolved from outside when the
 * worker answers (asyncio's run_in_executor with a thread pool).
 *
 * Workers are kept for the next job (starting one costs tens of ms) and do
 * not keep the process alive when idle.
 */
export class WorkerExecutor implements Executor {
  private readonly idle: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly maxIdle = 4) {}

  run(job: ExecutorJob, done: Future<void>): () => void {
    if (this.closed) {
      done.reject(new Error('the executor is closed'));
      return () => {};
    }
    const id = this.nextId++;
    const worker = this.idle.pop() ?? this.startWorker();
    worker.ref();
    this.pending.set(id, { done, worker });
    worker.postMessage({ id, ns: job.ns });
    return () => {
      // Abandoned (its task was cancelled): stop the work, and the worker with it.
      if (!this.pending.delete(id)) return;
      void worker.terminate();
    };
  }

  /** Jobs running now. */
  get busy(): number {
    return this.pending.size;
  }

  /** Stop every worker; jobs still running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...[...this.pending.values()].map((p) => p.worker)];
    for (const { done } of this.pending.values()) done.reject(new Error('the executor was closed'));
    this.pending.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (message: { id: number }) => {
      const job = this.pending.get(message.id);
      if (job === undefined) return;
      this.pending.delete(message.id);
      worker.unref();
      if (!this.closed && this.idle.length < this.maxIdle) this.idle.push(worker);
      else void worker.terminate();
      job.done.resolve(undefined);
    });
    worker.on('error', (error) => {
      for (const [id, job] of this.pending) {
        if (job.worker !== worker) continue;
        this.pending.delete(id);
        job.done.reject(error);
      }
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }
}
