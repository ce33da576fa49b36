import { nsToSeconds } from '../time';
import type { RealClock, Scheduler } from './scheduler';

export interface TimerFunctions {
  nowMs(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const hostTimers: TimerFunctions = {
  nowMs: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/** How many times a pump runs what is due before it lets the host's other work in (see `pump`). */
const MAX_PASSES_PER_PUMP = 4;

/**
 * Runs a scheduler on the real clock. Timers fire at their wall time, but each
 * resumption happens at its exact logical time however late the host timer
 * fired; lateness shows as `loop-lag` events. `speed` plays logical time slower
 * than real time (0.25 = a quarter speed) for watching a lesson in slow motion.
 */
export class RealTimeDriver implements RealClock {
  private originWallNs = 0;
  private originLogicalNs = 0;
  private startNs = 0;
  private handle: unknown = null;
  private handleAtNs = Infinity;
  private pumpQueued = false;
  private running = false;
  private speedFactor: number;

  constructor(
    private readonly scheduler: Scheduler,
    options: { speed?: number; timers?: TimerFunctions } = {},
  ) {
    this.speedFactor = options.speed ?? 1;
    this.timers = options.timers ?? hostTimers;
  }

  private readonly timers: TimerFunctions;

  get speed(): number {
    return this.speedFactor;
  }

  /** Change the playback speed without a jump in logical time. */
  set speed(value: number) {
    if (!(value > 0)) throw new RangeError('speed must be positive');
    const wall = this.wallNs();
    this.originLogicalNs = this.logicalNowNs();
    this.originWallNs = wall;
    this.speedFactor = value;
    this.reschedule();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startNs = this.timers.nowMs() * 1e6;
    this.originWallNs = 0;
    this.originLogicalNs = this.scheduler.nowNanos;
    this.scheduler.useRealClock(this);
    this.scheduler.onWork = () => this.queuePump();
    this.queuePump();
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
    this.scheduler.onWork = null;
  }

  wallNs(): number {
    return this.timers.nowMs() * 1e6 - this.startNs;
  }

  /** Wall seconds since start. */
  get wall(): number {
    return nsToSeconds(this.wallNs());
  }

  wallAtNs(logicalNs: number): number {
    return this.originWallNs + (logicalNs - this.originLogicalNs) / this.speedFactor;
  }

  logicalNowNs(): number {
    return Math.round(this.originLogicalNs + (this.wallNs() - this.originWallNs) * this.speedFactor);
  }

  /** `ns` is logical time: at half speed, `block 1` holds the thread for two real seconds. */
  hold(ns: number): void {
    const until = this.wallNs() + ns / this.speedFactor;
    while (this.wallNs() < until) {
      // busy: this is what a blocking call does to an event loop
    }
  }

  private queuePump(): void {
    if (this.pumpQueued || !this.running) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.running) return;
    // Timers that came due while the work ran (a long instant: 100k first slices, say) run at once, each at
    // its own logical time, rather than after a host timer, which fires a millisecond later at the soonest.
    // A few passes at most, then the host gets its turn (input, sockets) before the rest.
    for (let pass = 0; pass < MAX_PASSES_PER_PUMP; pass++) {
      this.scheduler.runDue(this.logicalNowNs());
      const next = this.scheduler.nextTimerNs();
      if (!this.running || next === undefined || next > this.logicalNowNs()) break;
    }
    this.reschedule();
  }

  private reschedule(): void {
    if (!this.running) return;
    const next = this.scheduler.nextTimerNs();
    if (next === undefined) {
      this.clearTimer();
      return;
    }
    const atNs = this.wallAtNs(next);
    if (this.handle !== null && this.handleAtNs === atNs) return;
    this.clearTimer();
    this.handleAtNs = atNs;
    const delayMs = Math.max(0, (atNs - this.wallNs()) / 1e6);
    this.handle = this.timers.setTimeout(this.onHostTimer, delayMs);
  }

  /** One callback for every host timer: a pump a millisecond allocates no closure of its own. */
  private readonly onHostTimer = (): void => {
    this.handle = null;
    this.handleAtNs = Infinity;
    this.pump();
  };

  private clearTimer(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.handleAtNs = Infinity;
  }
}
