/**
 * The engine session: what the CLI, the Electron main process and web mode all
 * drive. One session = one scheduler + one frequency stream + any number of
 * line sources (stdin, script files, the renderer's terminal), each running its
 * lines strictly one after another, sources concurrently with each other.
 *
 * This file is the contract between the layers; the implementation is
 * `session.ts`. Everything here is plain data that can cross IPC as JSON.
 */
import type { Diagnostic } from '../language/diagnostics';
import type { MusicFact } from '../language/music';
import type { ScriptParse, ScriptParseOptions } from '../language/script-parse';
import type { TaskEvent, TaskInfo } from '../scheduler/events';
import type { TaskState } from '../scheduler/task';
import type { StreamEvent } from '../stream/stream';

/** The language owns it (`language/diagnostics`); the session's contract speaks it. */
export type { Diagnostic } from '../language/diagnostics';

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
  /** A task started with spawn or `&` got its alias (`t1`), which `cancel` and `tasks` know it by in `source`. */
  | (Stamp & { type: 'task-named'; id: number; alias: string; source: string })
  /** Text a command prints for the user (help, tasks, spawn's task name). */
  | (Stamp & { type: 'output'; source: string; text: string; taskId: number | null })
  | (Stamp & { type: 'source-opened'; source: string; taskId: number })
  /** The music's facts: a cue and the syncs it woke, a live loop's new body taking over, the seed of a source's chance. */
  | (Stamp & MusicFact)
  /** A source ran out of lines (or was stopped, or hit an error with --strict). */
  | (Stamp & { type: 'source-ended'; source: string; reason: 'eof' | 'quit' | 'stopped' | 'error' })
  /** quit/exit: the stream is stopped and the session is over. */
  | (Stamp & { type: 'session-ended' })
  /** The engine fell `behind` s behind the real clock, which skipped `skipped` s ahead (the driver's EngineBehindEvent). */
  | (Stamp & { type: 'engine-behind'; behind: number; skipped: number });

export type SessionEventListener = (event: SessionEvent) => void;

export interface SessionOptions {
  /** Stop a source at its first error (the CLI's --strict). */
  strict?: boolean;
  /** Loop-lag threshold in seconds (default 0.02). */
  lagThreshold?: number;
  /**
   * How many recent events `snapshot()` keeps (default 500; 0 keeps none).
   * Events are recorded only while at least one listener is subscribed, so a
   * session nobody watches builds no events at all.
   */
  recentEvents?: number;
  /**
   * What `quit`/`exit` ends. 'session' (the default, the CLI, as the demo
   * does): everything. 'source' (the app): the source that ran it only; in a
   * source of typed lines (a terminal) it stops that source's tasks and the
   * terminal stays open. `session.quit()` from outside always ends the session.
   */
  quitEnds?: 'session' | 'source';
}

/** What `loadScript` found: every parse error (already emitted as `diagnostic` events) and the source's task. */
export interface LoadResult {
  diagnostics: Diagnostic[];
  /** The source's task, or null if the session has ended. */
  taskId: number | null;
}

/** The controls of a session, as the CLI, the Electron main process and web mode drive it. */
export interface SessionControl {
  /** True once quit/exit has ended the session. */
  readonly ended: boolean;
  /** Diagnostics reported so far (for an exit status). */
  readonly errorCount: number;
  subscribe(listener: SessionEventListener): () => void;
  /** A source of lines that arrive over time (stdin, a terminal). */
  openSource(name: string): LineSourceHandle;
  /** A whole script at once: its parse errors are reported now, its good lines run (none if strict). */
  loadScript(name: string, text: string): LoadResult;
  /** Parse a script without running anything (`--check`): every error at once. */
  check(name: string, text: string): Diagnostic[];
  /**
   * A script to parse one line per `step` (a host parses it in slices between
   * its other work), then play with `loadParsed` without parsing it again.
   * Its phrases stay out of the session until it plays.
   */
  parseScript(name: string, text: string, options?: ScriptParseOptions): ScriptParse;
  /**
   * Play a script this session's `parseScript` parsed (what is left of it is
   * parsed now), as `loadScript` plays it: its errors reported, its good lines run.
   */
  loadParsed(script: ScriptParse): LoadResult;
  /** Cancel one task (its `finally` blocks run: a chord releases its notes). False if it is not live. */
  cancelTask(id: number): boolean;
  /** Stop a source: its reading, its running line and every task in its lane. False if none was live. */
  stopSource(name: string): boolean;
  /**
   * Ctrl+C at a prompt: cancel what a source is running (its line and every
   * task in its lane) and drop the lines queued behind it; the source keeps
   * reading. False if there was nothing to stop.
   */
  interruptSource(name: string): boolean;
  /** Cancel every task; the session goes on (new sources may open). */
  stopAll(): void;
  /** stopAll, and silence the stream at once. */
  panic(): void;
  snapshot(): SessionSnapshot;
  /** End the session as `quit` does: cancel everything, end the stream, emit `session-ended`. */
  quit(): void;
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

/** A live task in a snapshot: who it is, the state it is in, and its alias (`t1`) if spawn or `&` named it. */
export type SnapshotTask = TaskInfo & { state: TaskState; alias?: string };

/** What a newly attached viewer (a reloaded renderer) needs to carry on. */
export interface SessionSnapshot {
  t: number;
  wall: number;
  notes: number[];
  /** Tasks that have not ended, with their current state. */
  tasks: SnapshotTask[];
  /** The most recent events (bounded), oldest first. */
  recent: SessionEvent[];
}
