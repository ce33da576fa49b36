/**
 * Gathers session events into batches so a renderer gets one message per
 * ~animation frame instead of one per event: a batch goes out `intervalMs`
 * after its first event, or at once when it holds `maxEvents`.
 *
 * A view is sent at most `maxPerSecond` events a second (MAX_VIEW_EVENTS_PER_SECOND).
 * Beyond it, what a view can do without is coalesced: of a task's state
 * changes (running, ready, sleeping, blocking, waiting) in one batch only the
 * last is kept, and of its loop-lag reports the latest. Creations, ends,
 * notes, diagnostics and output are always sent, in order.
 */
import { MAX_VIEW_EVENTS_PER_SECOND } from '../../core/scheduler/limits';
import type { SessionEvent } from '../../core/session/api';

export interface BatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock (for the rate limit). Default: performance.now. */
  nowMs?(): number;
}

const nodeTimers: BatcherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BatcherOptions {
  intervalMs?: number;
  maxEvents?: number;
  /** Events a second beyond which state changes are coalesced (default MAX_VIEW_EVENTS_PER_SECOND). */
  maxPerSecond?: number;
  timers?: BatcherTimers;
}

/** The events that only say what state a task is in now: the last one of a task stands for the others. */
const STATE_EVENTS = new Set(['task-running', 'task-ready', 'task-sleeping', 'task-blocking', 'task-waiting', 'loop-lag']);

export class EventBatcher {
  private pending: SessionEvent[] = [];
  private timer: unknown = null;
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly maxPerSecond: number;
  private readonly timers: BatcherTimers;
  private readonly nowMs: () => number;
  private windowStartMs = -Infinity;
  private sentInWindow = 0;
  /** Events coalesced away so far (for tests and the benchmark). */
  coalesced = 0;

  constructor(
    private readonly sink: (events: SessionEvent[]) => void,
    options: BatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 16;
    this.maxEvents = options.maxEvents ?? 1000;
    this.maxPerSecond = options.maxPerSecond ?? MAX_VIEW_EVENTS_PER_SECOND;
    this.timers = options.timers ?? nodeTimers;
    this.nowMs = this.timers.nowMs?.bind(this.timers) ?? (() => performance.now());
  }

  push(event: SessionEvent): void {
    this.pending.push(event);
    if (this.pending.length >= this.maxEvents) {
      // Over the rate: shrink the batch in place and keep gathering until the timer; else send it now.
      if (this.overRate(this.pending.length)) this.coalesce();
      if (this.pending.length >= this.maxEvents) this.flush();
    } else if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Send what is pending now (before a snapshot, so order is kept). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    if (this.overRate(this.pending.length)) this.coalesce();
    const batch = this.pending;
    this.pending = [];
    this.sentInWindow += batch.length;
    this.sink(batch);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  /** Would sending `count` more events now go over the rate of this second? */
  private overRate(count: number): boolean {
    const now = this.nowMs();
    if (now - this.windowStartMs >= 1000) {
      this.windowStartMs = now;
      this.sentInWindow = 0;
    }
    return this.sentInWindow + count > this.maxPerSecond;
  }

  /** Keep, of each task's state events in the pending batch, only the last (in its place). */
  private coalesce(): void {
    const events = this.pending;
    const lastState = new Map<number, number>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (STATE_EVENTS.has(e.type) && 'id' in e) lastState.set((e.type === 'loop-lag' ? -1 : 1) * (e.id + 1), i);
    }
    const kept: SessionEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (STATE_EVENTS.has(e.type) && 'id' in e && lastState.get((e.type === 'loop-lag' ? -1 : 1) * (e.id + 1)) !== i) continue;
      kept.push(e);
    }
    this.coalesced += events.length - kept.length;
    this.pending = kept;
  }
}
