/**
 * What the app host needs of an engine session: the part of the core's
 * `Session` (src/core/session/session.ts) it drives. Kept as an interface so
 * the host can be tested with a small fake and does not care how the session
 * is built.
 */
import type { TimedInput } from '../../core/debug/replay-inputs';
import type { Scheduler } from '../../core/scheduler/scheduler';
import type { Task } from '../../core/scheduler/task';
import type { Session } from '../../core/session/session';
import type { LineSourceHandle, SessionControl, SessionEvent } from '../../core/session/api';

/**
 * The core's session controls (SessionControl), the scheduler its clock
 * drives, and what the stepper inspects while paused: the live tasks, and the
 * stream whose notes a step publishes at once.
 */
export type EngineSession = Omit<SessionControl, 'ended' | 'errorCount'> & {
  readonly scheduler: Scheduler;
  liveTasks(): Task<unknown>[];
  readonly stream: { flush(ns: number): void };
};

/** The clock the session runs on (a RealTimeDriver), as far as the host needs it. */
export interface EngineClock {
  /** Start from the session's logical time (`paused`: standing there until resume). */
  start(paused?: boolean): void;
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

/** Replay from here: rebuild a session from its recorded inputs, standing at logical time `atNs`. */
export interface RebuildRequest {
  inputs: readonly TimedInput[];
  atNs: number;
  /** Give the new session what the inputs do not carry (the decoded samples), before they replay. */
  prepare?: (session: Session) => void;
}

/** What a rebuild made besides the session: its events up to the moment, and the sources its inputs opened, by handle. */
export interface RebuiltParts {
  events: SessionEvent[];
  handles: LineSourceHandle[];
  /** For each input replayed, how many of `events` came before it. */
  inputAt: number[];
}

/** An engine session, its clock (not started), and what to release when it is over (its worker threads). */
export interface BuiltEngine {
  session: EngineSession;
  clock: EngineClock;
  close?: () => void | Promise<void>;
  /** Set when the factory rebuilt the session as asked (a factory that cannot rebuild leaves it out). */
  rebuilt?: RebuiltParts;
}

/**
 * Builds a fresh engine session, or, given a RebuildRequest, one rebuilt to
 * that moment (offline, on the virtual clock) if the factory can.
 */
export type EngineFactory = (rebuild?: RebuildRequest) => BuiltEngine;

/** A script by name, as loaded, checked or exported. */
export interface ScriptText {
  name: string;
  text: string;
  /** For an export: how to load the samples it names, as the session did (app-session/samples.ts). */
  samples?: { files: { base?: string; root?: string; examplesDir?: string }; dropped: { name: string; data: Uint8Array }[] };
}
