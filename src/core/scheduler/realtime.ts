import { nsToSeconds, secondsToNs } from '../time';
import { MAX_BEHIND_SECONDS, PUMP_SLICE_MS, PUMP_STEPS_PER_CHECK } from './limits';
import type { EngineBehindEvent } from './events';
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

export type { EngineBehindEvent } from './events';

export interface RealTimeOptions {
  speed?: number;
  timers?: TimerFunctions;
  /** Wall time (ms) one pump may run tasks before it lets the host's I/O in. Default PUMP_SLICE_MS. */
  sliceMs?: number;
  /** How far (s) the engine may fall behind before the clock skips ahead. Default MAX_BEHIND_SECONDS. */
  maxBehind?: number;
}

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
  /** Inside a pump (work signalled now is seen by its loop), or waiting out the host's turn after a cut slice. */
  private pumping = false;
  private yielding = false;
  private running = false;
  private speedFactor: number;
  private readonly sliceMs: number;
  private readonly maxBehindNs: number;
  private behindListeners: ((event: EngineBehindEvent) => void)[] = [];
  /** Pumps that ran out of their slice with work left (for tests and the status bar). */
  slicesCut = 0;
  /** Logical seconds the clock has skipped ahead because the engine fell behind. */
  skippedSeconds = 0;

  constructor(
    private readonly scheduler: Scheduler,
    options: RealTimeOptions = {},
  ) {
    this.speedFactor = options.speed ?? 1;
    this.timers = options.timers ?? hostTimers;
    this.sliceMs = options.sliceMs ?? PUMP_SLICE_MS;
    this.maxBehindNs = secondsToNs(options.maxBehind ?? MAX_BEHIND_SECONDS);
  }

  /** Told each time the engine falls so far behind that the clock skips ahead. */
  onBehind(listener: (event: EngineBehindEvent) => void): () => void {
    this.behindListeners = [...this.behindListeners, listener];
    return () => {
      this.behindListeners = this.behindListeners.filter((l) => l !== listener);
    };
  }

  private readonly timers: TimerFunctions;

  get speed(): number {
    return this.speedFactor;
  }

  /** Change the playback speed without a jump in logical time. */
  set speed(value: number) {
    if (!(value > 0)) throw new RangeError('speed must be positive');
    // Paused, the clock stands still whatever its speed: resume picks the new one up.
    if (this.pausedAtNs !== null) {
      this.speedFactor = value;
      return;
    }
    const wall = this.wallNs();
    this.originLogicalNs = this.logicalNowNs();
    this.originWallNs = wall;
    this.speedFactor = value;
    this.reschedule();
  }

  /** Start from the scheduler's logical time; `paused`, standing there until `resume` (a session rebuilt to a moment, for a debugger). */
  start(paused = false): void {
    if (this.running) return;
    this.running = true;
    this.startNs = this.timers.nowMs() * 1e6;
    this.originWallNs = 0;
    this.originLogicalNs = this.scheduler.nowNanos;
    if (paused) this.pausedAtNs = this.originLogicalNs;
    this.scheduler.useRealClock(this);
    this.scheduler.onWork = () => this.queuePump();
    this.queuePump();
  }

  /** Logical time (ns) the clock stands at while paused, or null. */
  private pausedAtNs: number | null = null;

  get paused(): boolean {
    return this.pausedAtNs !== null;
  }

  /**
   * Pause the logical clock (the stepper's pause, live): from now nothing runs
   * and logical time stands where the clock is. Work that arrives meanwhile
   * (a typed line, a worker's answer) waits, queued at that time.
   */
  pause(): void {
    if (this.pausedAtNs !== null) return;
    this.pausedAtNs = this.logicalNowNs();
    this.clearTimer();
  }

  /**
   * Continue from the logical time it paused at (or where steps taken while
   * paused have moved the engine to): no time is skipped and nothing is late.
   */
  resume(): void {
    if (this.pausedAtNs === null) return;
    this.originLogicalNs = Math.max(this.pausedAtNs, this.scheduler.nowNanos);
    this.originWallNs = this.wallNs();
    this.pausedAtNs = null;
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
    // Paused, it stands where it paused, or where steps taken since have moved the engine (core/debug/stepper.ts).
    if (this.pausedAtNs !== null) return Math.max(this.pausedAtNs, this.scheduler.nowNanos);
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
    // Not from inside a pump, nor while the host has its turn: a chain of microtask pumps would starve its I/O.
    if (this.pumpQueued || !this.running || this.pumping || this.yielding || this.pausedAtNs !== null) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /**
   * Runs what is due, a bounded slice of it: at most `sliceMs` of wall time
   * (looked at every PUMP_STEPS_PER_CHECK resumptions), then the host gets its
   * turn (input, sockets, signals, panic) before the rest. Timers that came due
   * while the work ran (a long instant: 100k first slices, say) run in the same
   * slice, each at its own logical time, rather than after a host timer.
   */
  private pump(): void {
    if (!this.running || this.pausedAtNs !== null) return;
    this.pumping = true;
    try {
      this.runSlice();
    } finally {
      this.pumping = false;
    }
  }

  /** The wall time (ms) the running slice ends. */
  private deadline = Infinity;
  private readonly sliceOver = (): boolean => this.timers.nowMs() >= this.deadline;

  private runSlice(): void {
    const s = this.scheduler;
    const deadline = this.timers.nowMs() + this.sliceMs;
    this.deadline = deadline;
    s.sliceOver = this.sliceOver;
    try {
      this.runDueUntil(deadline);
    } finally {
      s.sliceOver = null;
    }
  }

  private runDueUntil(deadline: number): void {
    const s = this.scheduler;
    let more: boolean;
    let unchecked = 0;
    for (;;) {
      const before = s.resumptions + s.work;
      more = s.runDue(this.logicalNowNs(), PUMP_STEPS_PER_CHECK - unchecked);
      if (!this.running) return;
      if (s.heldUntilWallNs !== undefined) break;
      if (!more) {
        const next = s.nextTimerNs();
        more = s.hasReady || (next !== undefined && next <= this.logicalNowNs());
        if (!more) break;
      }
      // The wall clock is looked at once per PUMP_STEPS_PER_CHECK units of work (a read costs a system call's worth).
      unchecked += s.resumptions + s.work - before;
      if (unchecked < PUMP_STEPS_PER_CHECK) continue;
      unchecked = 0;
      if (this.timers.nowMs() >= deadline) break;
    }
    // A task that paused mid-resumption (its held time is -Infinity) is a slice cut short too.
    if ((more && s.heldUntilWallNs === undefined) || s.heldUntilWallNs === -Infinity) {
      this.slicesCut++;
      this.skipIfFarBehind();
      // Let the host in (a host timer of 0 ms fires after pending I/O), then go on.
      this.clearTimer();
      this.yielding = true;
      this.handleAtNs = this.wallNs();
      this.handle = this.timers.setTimeout(this.onHostTimer, 0);
      return;
    }
    this.reschedule();
  }

  /** Behind by more than the limit: the clock skips ahead to where the engine is, and says so. */
  private skipIfFarBehind(): void {
    const engineNs = this.scheduler.nowNanos;
    const behindNs = this.logicalNowNs() - engineNs;
    if (behindNs <= this.maxBehindNs) return;
    this.originWallNs = this.wallNs();
    this.originLogicalNs = engineNs;
    this.skippedSeconds += nsToSeconds(behindNs);
    const event: EngineBehindEvent = {
      type: 'engine-behind',
      t: nsToSeconds(engineNs),
      wall: this.wall,
      behind: nsToSeconds(behindNs),
      skipped: nsToSeconds(behindNs),
    };
    for (const listener of this.behindListeners) listener(event);
  }

  private reschedule(): void {
    if (!this.running) return;
    const held = this.scheduler.heldUntilWallNs;
    const next = this.scheduler.nextTimerNs();
    if (held === undefined && next === undefined) {
      this.clearTimer();
      return;
    }
    const atNs = held ?? this.wallAtNs(next!);
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
    this.yielding = false;
    this.pump();
  };

  private clearTimer(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.handleAtNs = Infinity;
    this.yielding = false;
  }
}
