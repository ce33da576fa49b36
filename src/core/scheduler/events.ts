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

export type WaitTarget =
  | { kind: 'task'; id: number }
  | { kind: 'future'; label: string }
  | { kind: 'tasks'; ids: number[] };

interface Stamp {
  t: number;
  wall: number;
}

export type TaskEvent =
  | (Stamp & {
      type: 'task-created';
      id: number;
      parent: number | null;
      name: string;
      kind: string;
      source: string;
      pos: SourcePosition | null;
    })
  | (Stamp & { type: 'task-running'; id: number })
  | (Stamp & { type: 'task-ready'; id: number })
  | (Stamp & { type: 'task-sleeping'; id: number; until: number })
  | (Stamp & { type: 'task-blocking'; id: number; until: number })
  | (Stamp & { type: 'task-waiting'; id: number; on: WaitTarget })
  | (Stamp & { type: 'task-done'; id: number })
  | (Stamp & { type: 'task-failed'; id: number; error: { name: string; message: string } })
  /** A failed task's error was not retrieved (joined or observed) by the end of its instant. */
  | (Stamp & { type: 'task-unhandled'; id: number; error: { name: string; message: string } })
  | (Stamp & { type: 'task-cancelled'; id: number })
  /** A resumption ran later than its logical time by more than the lag threshold. */
  | (Stamp & { type: 'loop-lag'; id: number; late: number });

export type TaskEventListener = (event: TaskEvent) => void;
