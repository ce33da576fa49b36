/**
 * The app's engine on the real clock: `offload` works in a real worker thread
 * (the scheduler's thread stays free, so the melody plays on), `block` holds
 * it; in slow motion an offload lasts its logical time.
 */
import { describe, expect, it } from 'vitest';
import type { Executor, ExecutorJob } from '../../../src/core/executor/executor';
import type { Future } from '../../../src/core/scheduler/future';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import { atClockSpeed, createRealEngine } from '../../../src/node/app-session/real-engine';
import type { HostMessage, SessionEvent } from '../../../src/protocol';

/** Longest stretch (seconds) this thread's timers could not run while `body` ran. */
async function longestStall(body: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await body();
  } finally {
    clearInterval(timer);
  }
  return worst / 1000;
}

function liveApp() {
  const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
  const events: SessionEvent[] = [];
  const view: View = { send: (m: HostMessage) => m.type === 'events' && events.push(...m.events) };
  app.attach(view);
  /** Run a line in the terminal and resolve when its task ends. */
  const line = async (text: string): Promise<{ start: number; end: number }> => {
    const seen = events.length;
    await app.handle({ id: 1, type: 'submit-line', line: text }, view);
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      const created = events.slice(seen).find((e) => e.type === 'task-created' && e.kind === 'line' && e.name === text);
      if (created?.type !== 'task-created') continue;
      const ended = events.find((e) => (e.type === 'task-done' || e.type === 'task-failed') && e.id === created.id);
      if (ended) return { start: created.t, end: ended.t };
    }
  };
  return { app, events, line };
}

describe('the app engine on the real clock', () => {
  it('runs offload in a worker thread, and neither offload nor block holds the host thread', async () => {
    const { app, events, line } = liveApp();
    try {
      let offloaded = { start: 0, end: 0 };
      const free = await longestStall(async () => {
        offloaded = await line('offload 0.4');
      });
      expect(offloaded.end - offloaded.start).toBeGreaterThanOrEqual(0.4);
      // no stand-in task: the virtual clock's executor would have made one of kind 'worker'
      expect(events.some((e) => e.type === 'task-created' && e.kind === 'worker')).toBe(false);
      const held = await longestStall(async () => {
        await line('block 0.4');
      });
      // block holds the scheduler (every other task waits), no longer the host: its I/O goes on (issue 11).
      expect(held).toBeLessThan(0.2);
      expect(free).toBeLessThan(0.2);
    } finally {
      app.dispose();
    }
  });

  it('in slow motion an offload of S keeps its worker busy S/speed real seconds', () => {
    const jobs: ExecutorJob[] = [];
    const recorder: Executor = { run: (job: ExecutorJob, _done: Future<void>) => (jobs.push(job), () => {}) };
    let speed = 1;
    const executor = atClockSpeed(recorder, () => speed);
    executor.run({ ns: 2e9, label: 'worker: offload 2' }, null as unknown as Future<void>);
    speed = 0.25;
    executor.run({ ns: 2e9, label: 'worker: offload 2' }, null as unknown as Future<void>);
    expect(jobs.map((j) => j.ns)).toEqual([2e9, 8e9]);
    expect(jobs[1].label).toBe('worker: offload 2');
  });
});
