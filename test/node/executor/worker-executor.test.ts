import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXECUTOR_POOL_SIZE } from '../../../src/core/executor';
import { RealTimeDriver } from '../../../src/core/scheduler';
import { Session, type SessionEvent } from '../../../src/core/session';
import { WorkerExecutor } from '../../../src/node/executor';

// On the real clock: a melody plays while S seconds of work run on the
// scheduler's thread (block) or in a worker thread (offload).
async function playLive(work: string, executor: WorkerExecutor) {
  const session = new Session({ executor, lagThreshold: 0.02 });
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const driver = new RealTimeDriver(session.scheduler);
  session.loadScript('live.txt', ['loop beep 72 0.05; wait 0.05 &', 'wait 0.2', work, 'wait 0.2', 'stop'].join('\n'));
  driver.start();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (events.some((e) => e.type === 'source-ended')) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  driver.stop();
  const lateness = events.flatMap((e) => (e.type === 'loop-lag' ? [e.late] : []));
  const workTask = events.find((e) => e.type === 'task-created' && e.name === work)!;
  const workEnd = events.find((e) => e.type === 'task-done' && 'id' in e && e.id === (workTask as { id: number }).id)!;
  return { maxLate: Math.max(0, ...lateness), workStart: workTask.wall, workEnd: workEnd.wall };
}

describe('WorkerExecutor', () => {
  let executor: WorkerExecutor;
  afterEach(async () => {
    await executor.close();
  });

  it('offload works in a worker thread: the melody stays on time while it works; block makes it late', async () => {
    executor = new WorkerExecutor();
    const blocked = await playLive('block 0.3', executor);
    const offloaded = await playLive('offload 0.3', executor);
    // Both took their 0.3 s of work.
    expect(blocked.workEnd - blocked.workStart).toBeGreaterThanOrEqual(0.29);
    expect(offloaded.workEnd - offloaded.workStart).toBeGreaterThanOrEqual(0.29);
    // Held on the scheduler's thread, the melody waited for the whole block; in a worker it did not.
    expect(blocked.maxLate).toBeGreaterThan(0.2);
    expect(offloaded.maxLate).toBeLessThan(blocked.maxLate / 2);
  });

  it('abandons a job whose task is cancelled, and closes with nothing left running', async () => {
    executor = new WorkerExecutor();
    const session = new Session({ executor });
    const driver = new RealTimeDriver(session.scheduler);
    session.loadScript('s', 'offload 10 &');
    driver.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(executor.busy).toBe(1);
    session.stopAll();
    // The worker is told through a shared flag and frees its place when it answers.
    await vi.waitFor(() => expect(executor.busy).toBe(0), { timeout: 5000, interval: 5 });
    expect(executor.threadCount).toBe(1); // the thread is kept for the next job, not killed
    driver.stop();
  });

  it('200 concurrent offloads use at most the pool\'s threads, and finish in waves of the pool\'s size', async () => {
    executor = new WorkerExecutor();
    const threadsBefore = readdirSync('/proc/self/task').length;
    const session = new Session({ executor });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    const driver = new RealTimeDriver(session.scheduler);
    const jobs = 200;
    const seconds = 0.02;
    session.loadScript('s', `repeat ${jobs} spawn offload ${seconds}`);
    driver.start();
    let mostThreads = 0;
    const offloads = (): Set<number> => new Set(events.flatMap((e) => (e.type === 'task-created' && e.name === `offload ${seconds}` ? [e.id] : [])));
    const doneTimes = (ids: Set<number>): number[] => events.flatMap((e) => (e.type === 'task-done' && ids.has(e.id) ? [e.t] : []));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        mostThreads = Math.max(mostThreads, readdirSync('/proc/self/task').length - threadsBefore);
        if (doneTimes(offloads()).length >= jobs) {
          clearInterval(poll);
          resolve();
        }
      }, 2);
    });
    driver.stop();
    expect(mostThreads).toBeLessThanOrEqual(EXECUTOR_POOL_SIZE);
    expect(executor.peakThreads).toBe(EXECUTOR_POOL_SIZE);
    // The i-th job to finish waited for floor(i / pool) jobs ahead of it on its worker.
    const done = doneTimes(offloads()).sort((a, b) => a - b);
    expect(done).toHaveLength(jobs);
    done.forEach((t, i) => expect(t).toBeGreaterThanOrEqual((Math.floor(i / EXECUTOR_POOL_SIZE) + 1) * seconds - 1e-3));
    const waiting = events.filter((e) => e.type === 'task-waiting' && e.on.kind === 'future' && e.on.label.startsWith('waiting for a worker'));
    expect(waiting).toHaveLength(jobs - EXECUTOR_POOL_SIZE);
  });
});
