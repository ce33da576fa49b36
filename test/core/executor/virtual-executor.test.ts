import { describe, expect, it } from 'vitest';
import { EXECUTOR_POOL_SIZE } from '../../../src/core/executor';
import { Session, type SessionEvent } from '../../../src/core/session';

describe('VirtualExecutor (offload on the virtual clock)', () => {
  it('runs at most EXECUTOR_POOL_SIZE jobs at once; the rest wait for a worker, shown on the timeline', () => {
    const session = new Session();
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    const jobs = EXECUTOR_POOL_SIZE * 2 + 1;
    session.loadScript('s.txt', `repeat ${jobs} spawn offload 1`);
    session.scheduler.runUntilIdle(Infinity);

    const offloads = new Set(events.flatMap((e) => (e.type === 'task-created' && e.name === 'offload 1' ? [e.id] : [])));
    expect(offloads.size).toBe(jobs);
    const doneAt = events.flatMap((e) => (e.type === 'task-done' && offloads.has(e.id) ? [e.t] : [])).sort((a, b) => a - b);
    // Waves of the pool's size: 1 s, 2 s, then the last one at 3 s.
    const expected = Array.from({ length: jobs }, (_, i) => Math.floor(i / EXECUTOR_POOL_SIZE) + 1);
    expect(doneAt).toEqual(expected);
    // The jobs beyond the pool wait for a worker, and the timeline says so.
    const waiting = events.filter((e) => e.type === 'task-waiting' && e.on.kind === 'future' && e.on.label.startsWith('waiting for a worker'));
    expect(waiting).toHaveLength(jobs - EXECUTOR_POOL_SIZE);
  });

  it('a cancelled job, queued or running, frees its place for the next', () => {
    const session = new Session();
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    // Pool full of long jobs that are cancelled at 1 s; the short queued ones then run.
    session.loadScript('s.txt', `repeat ${EXECUTOR_POOL_SIZE} spawn timeout 1 offload 100\nspawn offload 0.5`);
    session.scheduler.runUntilIdle(Infinity);
    const short = events.find((e) => e.type === 'task-created' && e.name === 'offload 0.5')!;
    const done = events.find((e) => e.type === 'task-done' && 'id' in e && e.id === (short as { id: number }).id)!;
    expect(done.t).toBeCloseTo(1.5, 9);
  });
});
