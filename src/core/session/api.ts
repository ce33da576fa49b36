/**
 * The engine session: what the CLI, the Electron main process and web mode all
 * drive. One session = one scheduler + one frequency stream + any number of
 * line sources (stdin, script files, the renderer's terminal), each running its
 * lines strictly one after another, sources concurrently with each other.
 *
 * This file is the contract between the layers; the implementation is
 * `session.ts`. Everything here is plain data that can cross IPC as JSON.
 */
import type { SourcePosition, TaskEvent } from '../scheduler/events';
import type { StreamEvent } from '../stream/stream';

/** A located error: `source:line:col: message`. Lines and columns count from 1. */
export interface Diagnostic {
  source: string;
  line: number;
  col: number;
  /** Column just past the offending text, when known. */
  endCol?: number;
  /** What was wrong, in a sentence: "expected a duration in seconds, found \"x\"". */
  message: string;
  /** The text found at the position, if any. */
  found?: string;
  /** What was expected there. */
  expected?: string;
  /** A suggestion, e.g. `did you mean "chord"?`. */
  hint?: string;
}

export interface Stamp {
  /** Logical time, seconds. */
  t: number;
  /** Wall time, seconds since the session's clock started. */
  wall: number;
}

export type SessionEvent =
  | TaskEvent
  | StreamEvent
  /** A parse or run-time error, located. `taskId` is the line's task when there is one. */
  | (Stamp & { type: 'diagnostic'; diagnostic: Diagnostic; taskId: number | null })
  /** Text a command prints for the user (help, tasks, spawn's task name). */
  | (Stamp & { type: 'output'; source: string; text: string; taskId: number | null })
  | (Stamp & { type: 'source-opened'; source: string; taskId: number })
  /** A source ran out of lines (or was stopped, or hit an error with --strict). */
  | (Stamp & { type: 'source-ended'; source: string; reason: 'eof' | 'quit' | 'stopped' | 'error' })
  /** quit/exit: the stream is stopped and the session is over. */
  | (Stamp & { type: 'session-ended' });

export type SessionEventListener = (event: SessionEvent) => void;

export interface SessionOptions {
  /** Stop a source at its first error (the CLI's --strict). */
  strict?: boolean;
  /** Loop-lag threshold in seconds (default 0.02). */
  lagThreshold?: number;
}

/** Handle for a source of lines that arrive over time (stdin, a terminal). */
export interface LineSourceHandle {
  readonly name: string;
  /** Queue one line (text without its newline). */
  pushLine(text: string): void;
  /** Queue raw bytes; they are split into lines (CRLF, BOM, invalid UTF-8 handled). */
  pushBytes(bytes: Uint8Array): void;
  /** No more lines will come. */
  end(): void;
}

/** What a newly attached viewer (a reloaded renderer) needs to carry on. */
export interface SessionSnapshot {
  t: number;
  wall: number;
  notes: number[];
  /** Tasks that have not ended, with their current state. */
  tasks: { id: number; parent: number | null; name: string; kind: string; source: string; pos: SourcePosition | null; state: string }[];
  /** The most recent events (bounded), oldest first. */
  recent: SessionEvent[];
}
