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
import { recordInputs, type Hold } from '../../core/debug/record-inputs';
import type { RealClock } from '../../core/scheduler/clock';
import { InputLog, type SessionInput, type TimedInput } from '../../core/debug/replay-inputs';
import type { LineSourceHandle } from '../../core/session/api';
import { secondsToNs } from '../../core/time';
import type { BuiltEngine, EngineClock, EngineFactory, EngineSession, RebuildRequest, RebuiltParts } from './engine';
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

/** A session rebuilt to a moment (replay from here), not yet driven: swap it in, or drop it. */
export interface RebuiltEngine {
  readonly built: BuiltEngine & { rebuilt: RebuiltParts };
  /** The inputs it was rebuilt from (those up to the moment). */
  readonly inputs: readonly TimedInput[];
  readonly atNs: number;
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
  /** The inputs of the current engine, for replay from here (replay-inputs.ts). */
  private log = new InputLog();
  /** The sources a swapped-in engine had opened, their lines recorded (by handle). */
  private reopen: (index: number) => LineSourceHandle | undefined = () => undefined;

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

  /** The current engine's recorded inputs. */
  get inputs(): InputLog {
    return this.log;
  }

  /** Source `index` (its handle in the inputs) of an engine swapped in, its lines recorded. */
  reopened(index: number): LineSourceHandle | undefined {
    return this.reopen(index);
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
    if (paused === this.paused) return;
    this.record({ kind: 'paused', paused });
    if (paused) this.clock.pause?.();
    else this.clock.resume?.();
  }

  private record(input: SessionInput): void {
    const s = this.current.scheduler;
    this.log.record(s.presentNanos, s.resumptions + s.work, input);
  }

  /**
   * Run `body`, an input that reaches the engine other than through its
   * controls (a debugger's step while paused: `scheduler.stepAt`,
   * `advanceToNextTimer`), recorded first as `input` so Replay from here
   * replays it too.
   */
  input<T>(input: SessionInput, body: () => T): T {
    this.record(input);
    return body();
  }

  /**
   * Replay from here: a new engine rebuilt offline from the current one's
   * inputs up to logical time `t` (s), not yet driven. Null if the factory
   * cannot rebuild.
   */
  rebuild(t: number, prepare?: RebuildRequest['prepare']): RebuiltEngine | null {
    const atNs = secondsToNs(t);
    const inputs = this.log.upTo(atNs);
    const built = this.createEngine({ inputs, atNs, prepare });
    if (built.rebuilt === undefined) {
      void Promise.resolve(built.close?.()).catch(() => {});
      return null;
    }
    return { built: built as RebuiltEngine['built'], inputs, atNs };
  }

  /** Drop a rebuilt engine that is not swapped in. */
  discard(engine: RebuiltEngine): void {
    try {
      engine.built.session.quit();
    } catch {
      // over already
    }
    void Promise.resolve(engine.built.close?.()).catch(() => {});
  }

  /**
   * The rebuilt engine takes over from the current one, driven on the real
   * clock from its moment (paused there if `paused`); the current one stops.
   * Its inputs go on from those it was rebuilt from.
   */
  swapIn(engine: RebuiltEngine, paused: boolean): void {
    if (this.stopped) return;
    this.stopEngine();
    this.install(engine.built, new InputLog(this.log.cap, engine.inputs), engine.built.rebuilt.handles, paused);
  }

  /** Play logical time at `speed` times real time from now on. */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be positive');
    this.playbackSpeed = speed;
    if (this.clock.speed !== speed) {
      this.record({ kind: 'speed', speed });
      this.clock.speed = speed;
    }
  }

  /** Stop the engine for good (the host session closes). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopEngine();
  }

  private start(): void {
    this.install(this.createEngine(), new InputLog(this.log.cap), [], false);
  }

  private install(built: BuiltEngine, log: InputLog, opened: readonly LineSourceHandle[], paused: boolean): void {
    const { clock, close } = built;
    const recording = recordInputs(built.session, log, opened, holdClock(built.session, clock));
    const session = recording.session;
    this.log = log;
    this.reopen = recording.reopened;
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
    clock.start(paused);
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

/**
 * While the host hands the session one input, the real clock's reading is
 * held: the session reads the time several times while it handles a request
 * (the present, each event's stamp), and every read must be the time the
 * input is recorded at, or its replay would not be the same run.
 */
function holdClock(session: EngineSession, clock: EngineClock): Hold {
  const { wallNs, wallAtNs } = clock;
  if (wallNs === undefined || wallAtNs === undefined) return (body) => body();
  const scheduler = session.scheduler;
  return (body) => {
    if (!scheduler.isReal) return body();
    const ns = clock.logicalNowNs();
    scheduler.useRealClock({ wallNs: () => wallNs.call(clock), wallAtNs: (at) => wallAtNs.call(clock, at), logicalNowNs: () => ns });
    try {
      return body();
    } finally {
      scheduler.useRealClock(clock as unknown as RealClock);
    }
  };
}
