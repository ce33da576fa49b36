/**
 * What the app host needs of an engine session: the part of the core's
 * `Session` (src/core/session/session.ts) it drives. Kept as an interface so
 * the host can be tested with a small fake and does not care how the session
 * is built.
 */
import type { Scheduler } from '../../core/scheduler/scheduler';
import type { Diagnostic, LineSourceHandle, SessionEventListener, SessionSnapshot } from '../../core/session/api';

export interface EngineSession {
  readonly scheduler: Scheduler;
  subscribe(listener: SessionEventListener): () => void;
  openSource(name: string): LineSourceHandle;
  /** Parse a script and start its good lines as a source; its parse errors are reported (as events) first. */
  loadScript(name: string, text: string): { diagnostics: Diagnostic[]; taskId: number | null };
  /** Parse a script without running anything: every error at once (definitions do not leak into the session). */
  check(name: string, text: string): Diagnostic[];
  cancelTask(id: number): boolean;
  stopSource(name: string): boolean;
  /** Ctrl+C: cancel what a source runs and drop its queued lines; it keeps reading. */
  interruptSource(name: string): boolean;
  stopAll(): void;
  panic(): void;
  snapshot(): SessionSnapshot;
  quit(): void;
}

/** The clock the session runs on (a RealTimeDriver), as far as the host needs it. */
export interface EngineClock {
  start(): void;
  stop(): void;
  /** Wall seconds since the clock started. */
  readonly wall: number;
  /** Logical seconds per wall second; setting it changes speed from now on, without a jump in logical time. */
  speed: number;
  /** Logical time (ns) the wall clock stands at now. */
  logicalNowNs(): number;
}

/**
 * Builds a fresh engine session and the clock it runs on (not started), and
 * what to release when the session is over (its worker threads).
 */
export type EngineFactory = () => { session: EngineSession; clock: EngineClock; close?: () => void | Promise<void> };
