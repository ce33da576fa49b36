/**
 * Gathers session events into batches so a renderer gets one message per
 * ~animation frame instead of one per event: a batch goes out `intervalMs`
 * after its first event, or at once when it holds `maxEvents`.
 */
import type { SessionEvent } from '../../core/session/api';

export interface BatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: BatcherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BatcherOptions {
  intervalMs?: number;
  maxEvents?: number;
  timers?: BatcherTimers;
}

export class EventBatcher {
  private pending: SessionEvent[] = [];
  private timer: unknown = null;
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly timers: BatcherTimers;

  constructor(
    private readonly sink: (events: SessionEvent[]) => void,
    options: BatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 16;
    this.maxEvents = options.maxEvents ?? 1000;
    this.timers = options.timers ?? nodeTimers;
  }

  push(event: SessionEvent): void {
    this.pending.push(event);
    if (this.pending.length >= this.maxEvents) this.flush();
    else if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Send what is pending now (before a snapshot, so order is kept). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.sink(batch);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
