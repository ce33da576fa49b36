/**
 * A lane: the tasks of one source, each a record with the times its state
 * changed. A lane keeps its tasks in start order (events arrive in
 * logical-time order) and groups them in fixed-size chunks that know their
 * time span, so the view finds what is on screen without walking 10,000
 * tasks; it gives each task a row, rows grouped by nesting depth.
 */
import type { TaskInfo } from '../../core/scheduler/events';
import type { Diagnostic } from '../../core/session/api';
import type { StateCode } from './state';

/** A task as the timeline keeps it: its identity and where and how it is drawn. */
export interface TaskRecord extends TaskInfo {
  lane: Lane;
  depth: number;
  /** Row inside the lane (rows are grouped by depth; see Lane.rowOrder). */
  row: number;
  start: number;
  /** NaN while the task lives. */
  end: number;
  /** Current state, or how it ended. */
  state: StateCode;
  /** State changes: segStart[i] is when segState[i] began. */
  segStart: number[];
  segState: StateCode[];
  error: string | null;
  unhandled: boolean;
  diagnostic: Diagnostic | null;
  /** The session's name for a task run with spawn or `&` (`t1`), from its `task-named` event. */
  alias: string | null;
  /** What it waited on (joins, gather/settle/race/timeout), in time order; null if it never waited on a task. */
  waits: WaitEdge[] | null;
  /** Waits on this task by others. */
  waitedBy: WaitEdge[] | null;
  /**
   * Siblings cancelled because this task ended (a failure in a gather, a race's
   * winner, a timeout's timer): each cancelled at this task's end.
   */
  cancels: TaskRecord[] | null;
  /** The sibling whose end cancelled this task, if any. */
  cancelledBy: TaskRecord | null;
}

/** One wait of a task on others: `task-waiting.on` = a task (join) or tasks (gather, settle, race, timeout). */
export interface WaitEdge {
  from: TaskRecord;
  to: TaskRecord[];
  kind: 'task' | 'tasks';
  /** When the wait began. */
  t: number;
  /** When the waiter went on (NaN while it waits). */
  end: number;
}

export const CHUNK_SIZE = 128;
/** A lane idle for longer than this (s) before a task begins in it began to play anew (see Lane.playedFrom). */
export const PLAY_GAP_SECONDS = 0.5;
/** Rows a lane opens per depth before bars start sharing rows. */
export const MAX_ROWS_PER_DEPTH = 32;

export interface Chunk {
  first: number;
  minStart: number;
  closedMaxEnd: number;
  open: number;
}

interface Row {
  depth: number;
  /** End of the last task placed in the row; NaN while it is open. */
  lastEnd: number;
  lastTask: TaskRecord | null;
}

export class Lane {
  readonly tasks: TaskRecord[] = [];
  readonly chunks: Chunk[] = [];
  readonly rows: Row[] = [];
  /** rowOrder[row] = vertical slot of the row (rows sorted by depth, then age). */
  rowOrder: number[] = [];
  /** Loop-lag marks in this lane: times and how late. */
  readonly lagT: number[] = [];
  readonly lagLate: number[] = [];
  /** Tasks of this lane alive now, not counting the source itself: the lane plays while any is. */
  busy = 0;
  /** When the lane last began to play (its first task after an idle spell), and when its last task ended. */
  playedFrom = 0;
  lastEnd = -Infinity;
  /** Cues stated in this lane (`cue` events): when, the task that cued, the syncs it woke. */
  readonly cues: { t: number; from: TaskRecord; to: TaskRecord[] }[] = [];
  /** Live loops of this lane taking a new body (`live-swap` events): when, the loop's task, its name and the `live` line now playing. */
  readonly swaps: { t: number; task: TaskRecord; name: string; text: string }[] = [];
  /** Steps of this lane's patterns (`step` events of seq and euclid), in time order: when, the pattern's task, whether it sounds. */
  readonly steps: { t: number; task: TaskRecord; hit: boolean }[] = [];

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}

  get rowCount(): number {
    return this.rows.length;
  }

  add(task: TaskRecord): void {
    const i = this.tasks.length;
    this.tasks.push(task);
    if (i % CHUNK_SIZE === 0) this.chunks.push({ first: i, minStart: task.start, closedMaxEnd: -Infinity, open: 0 });
    const chunk = this.chunks[this.chunks.length - 1];
    chunk.minStart = Math.min(chunk.minStart, task.start);
    chunk.open++;
  }

  closed(task: TaskRecord, index: number): void {
    const chunk = this.chunks[Math.floor(index / CHUNK_SIZE)];
    chunk.open--;
    if (task.end > chunk.closedMaxEnd) chunk.closedMaxEnd = task.end;
  }

  /** Pick a row for a task of `depth` starting at `start`: the first of its depth that is free. */
  placeRow(task: TaskRecord): number {
    let sameDepth = 0;
    let oldest = -1;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r];
      if (row.depth !== task.depth) continue;
      sameDepth++;
      if (!Number.isNaN(row.lastEnd) && row.lastEnd <= task.start) {
        this.occupy(r, task);
        return r;
      }
      if (oldest < 0 || (this.rows[oldest].lastTask?.start ?? 0) > (row.lastTask?.start ?? 0)) oldest = r;
    }
    if (sameDepth >= MAX_ROWS_PER_DEPTH && oldest >= 0) {
      this.occupy(oldest, task);
      return oldest;
    }
    this.rows.push({ depth: task.depth, lastEnd: NaN, lastTask: task });
    this.sortRows();
    return this.rows.length - 1;
  }

  taskEnded(task: TaskRecord): void {
    const row = this.rows[task.row];
    if (row && row.lastTask === task) row.lastEnd = task.end;
  }

  private occupy(r: number, task: TaskRecord): void {
    this.rows[r].lastEnd = NaN;
    this.rows[r].lastTask = task;
  }

  private sortRows(): void {
    const order = this.rows.map((row, i) => ({ depth: row.depth, i }));
    order.sort((a, b) => a.depth - b.depth || a.i - b.i);
    this.rowOrder = new Array(this.rows.length);
    order.forEach((o, slot) => (this.rowOrder[o.i] = slot));
  }

  /** Calls `visit` with the index of every task whose span meets [t0, t1] (`now` ends open tasks). */
  forEachVisible(t0: number, t1: number, visit: (task: TaskRecord) => void): void {
    const tasks = this.tasks;
    // Starts come in time order, but nothing here relies on it: a chunk is
    // skipped by its span, a task by its own.
    for (const chunk of this.chunks) {
      if (chunk.minStart > t1) continue;
      if (chunk.open === 0 && chunk.closedMaxEnd < t0) continue;
      const last = Math.min(tasks.length, chunk.first + CHUNK_SIZE);
      for (let i = chunk.first; i < last; i++) {
        const task = tasks[i];
        if (task.start > t1) continue;
        if (!Number.isNaN(task.end) && task.end < t0) continue;
        visit(task);
      }
    }
  }
}
