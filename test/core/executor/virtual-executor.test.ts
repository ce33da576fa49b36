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

  it('a job that cannot start (the most tasks are alive) fails its offload, located, and frees its worker for later jobs', () => {
    const session = new Session({ limits: { maxTasks: 40 } });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    // The fuzz's find: 100 spawned offloads of no time at once, each wanting a task for its work too.
    session.loadScript('s.txt', 'eval repeat 100 spawn offload 0; wait 0.1');
    session.scheduler.runUntilIdle(Infinity);
    const errors = events.flatMap((e) => (e.type === 'diagnostic' ? [`${e.diagnostic.line}:${e.diagnostic.col}: ${e.diagnostic.message}`] : []));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/^1:\d+: too many tasks: 40 are alive, the most a session may have at once/);
    expect(session.scheduler.liveTasks).toBe(0);
    // Every worker is free again: a pool's worth of later offloads all start at once, and end 0.25 s later.
    const from = session.scheduler.nowNanos;
    const before = events.length;
    session.loadScript('later.txt', `repeat ${EXECUTOR_POOL_SIZE} spawn offload 0.25`);
    session.scheduler.runUntilIdle(Infinity);
    const later = new Set(events.slice(before).flatMap((e) => (e.type === 'task-created' && e.name === 'offload 0.25' ? [e.id] : [])));
    const ends = events.slice(before).flatMap((e) => (e.type === 'task-done' && later.has(e.id) ? [Math.round(e.t * 1e9) - from] : []));
    expect(ends).toEqual(Array(EXECUTOR_POOL_SIZE).fill(250_000_000));
  });
});
