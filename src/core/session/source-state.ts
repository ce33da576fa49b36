import type { RunContext } from '../language/command';
import type { ParsedLine } from '../language/parser';
import type { ArrivalQueue } from '../lines/queue';
import type { LineSplitter } from '../lines/splitter';
import type { Task } from '../scheduler/task';

/** Why a source ended, as its `source-ended` event says. */
export type EndReason = 'eof' | 'quit' | 'stopped' | 'error';

/** A line waiting its turn in a source. */
export interface QueuedLine {
  parsed: ParsedLine;
  /** Its errors were reported already (at load). */
  reported: boolean;
}

/** A line source of a session: its queue of lines, the context they run in, and its task. */
export interface SourceState {
  readonly name: string;
  readonly queue: ArrivalQueue<QueuedLine>;
  readonly splitter: LineSplitter;
  readonly ctx: RunContext;
  task: Task<unknown> | null;
  /** Why it ended, when that is decided before the task ends (stop, quit, strict). */
  endReason: EndReason | null;
  endReported: boolean;
  /** Lines typed over time (openSource: a terminal, stdin), not a loaded script. */
  readonly typed: boolean;
}

/** The source reads no more lines; it ends for `reason` unless a reason was decided already. */
export function stopReading(state: SourceState, reason: EndReason): void {
  state.endReason ??= reason;
  state.queue.discard();
}
