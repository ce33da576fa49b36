/**
 * What the app host needs of an engine session: the part of the core's
 * `Session` (src/core/session/session.ts) it drives. Kept as an interface so
 * the host can be tested with a small fake and does not care how the session
 * is built.
 */
import type { Scheduler } from '../../core/scheduler/scheduler';
import type { SessionControl } from '../../core/session/api';

/** The core's session controls (SessionControl), and the scheduler its clock drives. */
export type EngineSession = Omit<SessionControl, 'ended' | 'errorCount'> & { readonly scheduler: Scheduler };

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
  /** Pause and continue logical time (a RealTimeDriver has them; without them set-paused is unavailable). */
  pause?(): void;
  resume?(): void;
  readonly paused?: boolean;
  /** Wall ns since the clock started, and the wall ns of a logical time (a RealTimeDriver has both; OSC out stamps by them). */
  wallNs?(): number;
  wallAtNs?(logicalNs: number): number;
}

/**
 * Builds a fresh engine session and the clock it runs on (not started), and
 * what to release when the session is over (its worker threads).
 */
export type EngineFactory = () => { session: EngineSession; clock: EngineClock; close?: () => void | Promise<void> };

/** A script by name, as loaded, checked or exported. */
export interface ScriptText {
  name: string;
  text: string;
  /** For an export: how to load the samples it names, as the session did (app-session/samples.ts). */
  samples?: { files: { base?: string; root?: string; examplesDir?: string }; dropped: { name: string; data: Uint8Array }[] };
}
