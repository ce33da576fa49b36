/**
 * The engine's lifetime in a host session: it starts one engine session on
 * its clock, replaces it with a fresh one after `quit` (the window or page
 * goes on), keeps the playback speed across the replacement, and stops the
 * engine (and its worker threads) when the host session closes.
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '../../core/session/api';
import { nsToSeconds } from '../../core/time';
import type { ClockInfo } from '../../protocol';
import type { EngineClock, EngineFactory, EngineSession } from './engine';
import type { OscClock } from '../osc/osc-out';

export interface EngineLifetimeHooks {
  /** A new engine started (the first, or one after quit): reset what belongs to one engine. */
  started(engine: EngineSession): void;
  /** Each event of the current engine. */
  event(event: SessionEvent): void;
  /** The engine ended (quit) and is about to be replaced. */
  replacing(): void;
  /** A fresh engine has taken over from the one that ended. */
  replaced(): void;
}

export class EngineLifetime {
  private current!: EngineSession;
  private clock!: EngineClock;
  private closeEngine: (() => void | Promise<void>) | undefined;
  private unsubscribe: (() => void) | null = null;
  /** Speed of logical time; it carries over to the session that follows a quit. */
  private playbackSpeed = 1;
  private id = '';
  private stopped = false;

  constructor(
    private readonly createEngine: EngineFactory,
    private readonly hooks: EngineLifetimeHooks,
  ) {
    this.start();
  }

  get engine(): EngineSession {
    return this.current;
  }

  /** Identifies the current engine session (it changes only after `quit`). */
  get sessionId(): string {
    return this.id;
  }

  get speed(): number {
    return this.playbackSpeed;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The clock as OSC out reads it: wall ns, and the wall ns of a logical time (the same object for one engine). */
  get oscClock(): OscClock {
    return this.clockForOsc;
  }

  private clockForOsc!: OscClock;

  /** Logical seconds the clock stands at now. */
  now(): number {
    return nsToSeconds(this.clock.logicalNowNs());
  }

  get wall(): number {
    return this.clock.wall;
  }

  clockInfo(): ClockInfo {
    const info: ClockInfo = { t: this.now(), wall: this.clock.wall, epochMs: Date.now(), speed: this.clock.speed };
    return this.paused ? { ...info, paused: true } : info;
  }

  /** Whether the logical clock is paused (a new engine after quit starts running). */
  get paused(): boolean {
    return this.clock.paused === true;
  }

  /** Can this engine's clock pause at all? */
  get canPause(): boolean {
    return this.clock.pause !== undefined && this.clock.resume !== undefined;
  }

  /** Pause or continue logical time: nothing runs while paused, and continue goes on from the same time. */
  setPaused(paused: boolean): void {
    if (paused) this.clock.pause?.();
    else this.clock.resume?.();
  }

  /** Play logical time at `speed` times real time from now on. */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be positive');
    this.playbackSpeed = speed;
    if (this.clock.speed !== speed) this.clock.speed = speed;
  }

  /** Stop the engine for good (the host session closes). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopEngine();
  }

  private start(): void {
    const { session, clock, close } = this.createEngine();
    this.current = session;
    this.clock = clock;
    this.clockForOsc =
      clock.wallNs !== undefined && clock.wallAtNs !== undefined
        ? { wallNs: () => clock.wallNs!(), wallAtNs: (ns) => clock.wallAtNs!(ns) }
        : { wallNs: () => clock.wall * 1e9, wallAtNs: (ns) => clock.wall * 1e9 + (ns - clock.logicalNowNs()) / clock.speed };
    this.closeEngine = close;
    // Before start: the new clock starts from its present at the speed in force.
    if (clock.speed !== this.playbackSpeed) clock.speed = this.playbackSpeed;
    this.id = randomUUID();
    this.hooks.started(session);
    this.unsubscribe = session.subscribe((event) => this.onEvent(event));
    clock.start();
  }

  private onEvent(event: SessionEvent): void {
    this.hooks.event(event);
    if (event.type === 'session-ended' && !this.stopped) queueMicrotask(() => this.replace());
  }

  /** After `quit` the engine is over; the host goes on with a fresh one. */
  private replace(): void {
    if (this.stopped) return;
    this.hooks.replacing();
    this.stopEngine();
    this.start();
    this.hooks.replaced();
  }

  private stopEngine(): void {
    // Unsubscribed first: the events of quitting an engine that is over go nowhere.
    this.unsubscribe?.();
    this.unsubscribe = null;
    try {
      this.current.quit();
    } catch {
      // already over
    }
    this.clock.stop();
    const close = this.closeEngine;
    this.closeEngine = undefined;
    // The session's worker threads (offload): a job still running is abandoned.
    if (close) void Promise.resolve().then(close).catch(() => {});
  }
}
