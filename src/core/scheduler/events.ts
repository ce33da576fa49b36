/**
 * Lifecycle events of the scheduler. They are what the timeline view, the trace
 * export and `--events` are built on. Times are seconds: `t` is logical time,
 * `wall` is the clock's wall reading (real seconds since the clock started, or
 * the virtual clock's simulated wall, which runs ahead of `t` only under `block`).
 */
export interface SourcePosition {
  source: string;
  line: number;
  col: number;
}

/**
 * What a task is, closed: a source of lines, one of its lines, a command run
 * inside a line (a part of eval, gather, race ...), a task started with spawn
 * or `&`, the deadline of a timeout, the virtual clock's stand-in for an
 * offloaded job, or a task spawned on the scheduler directly (tests, benchmarks).
 */
export type TaskKind = 'source' | 'line' | 'command' | 'spawned' | 'timer' | 'worker' | 'task';

/** A task's identity: what `task-created` says and a snapshot lists. */
export interface TaskInfo {
  id: number;
  /** The task it was spawned from, or null for a source. */
  parent: number | null;
  /** What the timeline shows: the command as written. */
  name: string;
  kind: TaskKind;
  /** The lane (the source) it belongs to. */
  source: string;
  /** Where its command is written, when it has one. */
  pos: SourcePosition | null;
}

/** A control from outside any task: a viewer's request, a key, the CLI. */
export type CancelControl = 'cancel' | 'stop' | 'interrupt' | 'panic' | 'quit';

/**
 * Why a task was cancelled:
 * - a control (by a task that ran the command, or from outside): `cancel`, `stop`, `interrupt`, `panic`, `quit`;
 * - `group-failure`: a part of its group failed (by = the failed part);
 * - `race`: a task it ran against finished first (by = the winner; also a timeout's timer when the command finished in time);
 * - `timeout`: its timeout's deadline passed (by = the timer);
 * - `awaiter-cancelled`: the task that waited for it was cancelled (by = that task), as asyncio does;
 * - `awaited-cancelled`: the task it waited for was cancelled (by = that task);
 * - `owner-ended`: the command that started it was cancelled or ended, and took it along (by = the command's task);
 * - `raised`: it raised the cancellation itself (by = itself).
 */
export type CancelReason = CancelControl | 'group-failure' | 'race' | 'timeout' | 'awaiter-cancelled' | 'awaited-cancelled' | 'owner-ended' | 'raised';

export interface CancelCause {
  /** The task that cancelled it, or the control from outside any task. */
  by: number | CancelControl;
  reason: CancelReason;
}

/** What a waiting task waits on: one task (a join), several (gather, settle, race, timeout: their ids), or another future. */
export type WaitTarget =
  | { kind: 'task'; id: number }
  | { kind: 'future'; label: string }
  | { kind: 'tasks'; ids: number[] };

interface Stamp {
  t: number;
  wall: number;
}

export type TaskEvent =
  | (Stamp & { type: 'task-created' } & TaskInfo)
  | (Stamp & { type: 'task-running'; id: number })
  | (Stamp & { type: 'task-ready'; id: number })
  | (Stamp & { type: 'task-sleeping'; id: number; until: number })
  | (Stamp & { type: 'task-blocking'; id: number; until: number })
  | (Stamp & { type: 'task-waiting'; id: number; on: WaitTarget })
  | (Stamp & { type: 'task-done'; id: number })
  | (Stamp & { type: 'task-failed'; id: number; error: { name: string; message: string } })
  /** A failed task's error was not retrieved (joined or observed) by the end of its instant. */
  | (Stamp & { type: 'task-unhandled'; id: number; error: { name: string; message: string } })
  | (Stamp & { type: 'task-cancelled'; id: number } & CancelCause)
  /** A resumption ran later than its logical time by more than the lag threshold. */
  | (Stamp & { type: 'loop-lag'; id: number; late: number });

export type TaskEventListener = (event: TaskEvent) => void;
