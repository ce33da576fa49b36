/**
 * Gathers session events into batches so a renderer gets one message per
 * ~animation frame instead of one per event: a batch goes out at most every
 * `intervalMs`, or at once when it holds `maxEvents`. The first event after a
 * quiet interval does not wait for it: its batch goes at the end of the
 * host's turn (so what that turn pushed goes along). Nor does a notes event
 * that starts sound after silence (a typed line's first note: the user hears
 * the wait), at most once an interval, so the message rate stays bounded.
 *
 * While a typed line plays (expectInput, from its submission until its sound
 * has rested INPUT_QUIET_MS), every notes event goes at the end of the turn,
 * at most one such batch every INPUT_INTERVAL_MS: the page places a typed
 * line's notes with the short input lookahead, which then has to cover only
 * the trip's jitter, not the batch interval (issue 18, item 17).
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

// 0 ms: setImmediate, the end of this turn (a setTimeout waits at least 1 ms).
const nodeTimers: BatcherTimers = {
  setTimeout: (callback, ms) => (ms <= 0 ? { immediate: setImmediate(callback) } : setTimeout(callback, ms)),
  clearTimeout: (handle) => {
    if (typeof handle === 'object' && handle !== null && 'immediate' in handle) clearImmediate((handle as { immediate: NodeJS.Immediate }).immediate);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** While a typed line plays, notes events wait at most this long for their batch (ms). */
export const INPUT_INTERVAL_MS = 4;
/** A typed line stops counting as playing once its sound has rested this long (ms). */
export const INPUT_QUIET_MS = 1000;

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
  /** When the last batch went out, and the last one sent early for a note (ms, nowMs's clock). */
  private lastFlushMs = -Infinity;
  private lastNoteFlushMs = -Infinity;
  /** The last notes event pushed had notes sounding. */
  private sounding = false;
  /** Until when (ms) notes events count as a typed line's (see expectInput). */
  private inputUntilMs = -Infinity;
  /** When the pending batch is due (ms, nowMs's clock), or null with nothing pending. */
  private dueAtMs: number | null = null;
  /** In how many ms the pending batch is due (0: at the end of this turn), or null with nothing pending. */
  dueInMs: number | null = null;
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

  /** A line was typed: until its sound rests INPUT_QUIET_MS, its notes events are not held for the interval. */
  expectInput(): void {
    this.inputUntilMs = this.nowMs() + INPUT_QUIET_MS;
  }

  push(event: SessionEvent): void {
    this.pending.push(event);
    const startsSound = event.type === 'notes' && event.notes.length > 0 && !this.sounding;
    if (event.type === 'notes') this.sounding = event.notes.length > 0;
    if (this.pending.length >= this.maxEvents) {
      // Over the rate: shrink the batch in place and keep gathering until the timer; else send it now.
      if (this.overRate(this.pending.length)) this.coalesce();
      if (this.pending.length >= this.maxEvents) this.flush();
      return;
    }
    const now = this.nowMs();
    const input = event.type === 'notes' && now < this.inputUntilMs;
    // a typed line that keeps sounding keeps counting as played now
    if (input && this.sounding) this.inputUntilMs = now + INPUT_QUIET_MS;
    const gap = input ? INPUT_INTERVAL_MS : this.intervalMs;
    if ((input || startsSound) && this.dueInMs !== 0 && now - this.lastNoteFlushMs >= gap) {
      this.lastNoteFlushMs = now;
      this.arm(0);
    } else if (input && this.dueInMs !== 0 && (this.dueAtMs === null || this.dueAtMs > this.lastNoteFlushMs + gap)) {
      // too soon after the last early batch: the next one, not the whole interval
      this.lastNoteFlushMs += gap;
      this.arm(this.lastNoteFlushMs - now);
    } else if (this.timer === null) this.arm(Math.max(0, this.lastFlushMs + this.intervalMs - now));
  }

  private arm(ms: number): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.dueInMs = ms;
    this.dueAtMs = this.nowMs() + ms;
    this.timer = this.timers.setTimeout(() => this.flush(), ms);
  }

  /** Send what is pending now (before a snapshot, so order is kept). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.dueInMs = null;
    this.dueAtMs = null;
    if (this.pending.length === 0) return;
    this.lastFlushMs = this.nowMs();
    if (this.overRate(this.pending.length)) this.coalesce();
    const batch = this.pending;
    this.pending = [];
    this.sentInWindow += batch.length;
    this.sink(batch);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.dueInMs = null;
    this.dueAtMs = null;
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
