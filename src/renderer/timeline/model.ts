/**
 * The timeline's data: every task as a record in its source's lane, with the
 * times its state changed, plus the notes as a piano roll and the lag marks.
 * Pure (no DOM) so layout and hit-testing are tested in Node.
 *
 * Each lane keeps its tasks in start order (events arrive in logical-time
 * order) and groups them in fixed-size chunks that know their time span, so
 * the view finds what is on screen without walking 10,000 tasks.
 */
import type { SourcePosition } from '../../core/scheduler/events';
import type { Diagnostic, SessionEvent, SessionSnapshot } from '../../core/session/api';

export const STATE = {
  ready: 0,
  running: 1,
  sleeping: 2,
  blocking: 3,
  waiting: 4,
  done: 5,
  failed: 6,
  cancelled: 7,
} as const;
export type StateCode = (typeof STATE)[keyof typeof STATE];
export const STATE_NAMES = ['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled'] as const;
export const STATE_COUNT = STATE_NAMES.length;

export function stateCode(name: string): StateCode {
  const i = (STATE_NAMES as readonly string[]).indexOf(name);
  return (i < 0 ? STATE.ready : i) as StateCode;
}

export interface TaskRecord {
  id: number;
  parent: number | null;
  name: string;
  kind: string;
  source: string;
  pos: SourcePosition | null;
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
}

export const CHUNK_SIZE = 128;
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

export interface NoteBar {
  note: number;
  start: number;
  /** NaN while it sounds. */
  end: number;
}

export class TimelineModel {
  readonly lanes: Lane[] = [];
  private readonly laneByName = new Map<string, Lane>();
  private readonly byId = new Map<number, TaskRecord>();
  private readonly indexInLane = new Map<number, number>();
  /** Piano roll, in start order. */
  readonly noteBars: NoteBar[] = [];
  private readonly sounding = new Map<number, NoteBar>();
  /** Late audio events (renderer side): their logical times and lateness. */
  readonly lateT: number[] = [];
  readonly lateBy: number[] = [];
  lowNote = Infinity;
  highNote = -Infinity;
  /** Latest logical time seen in an event. */
  latest = 0;
  /** Tasks that have not ended. */
  liveCount = 0;
  /** Of those, the sources themselves (a source lives while it may get lines). */
  liveSources = 0;
  /** Bumped on every change, so a view knows when to redraw. */
  version = 0;

  get taskCount(): number {
    return this.byId.size;
  }

  task(id: number): TaskRecord | undefined {
    return this.byId.get(id);
  }

  lane(name: string): Lane {
    let lane = this.laneByName.get(name);
    if (!lane) {
      lane = new Lane(name, this.lanes.length);
      this.lanes.push(lane);
      this.laneByName.set(name, lane);
    }
    return lane;
  }

  clear(): void {
    this.lanes.length = 0;
    this.laneByName.clear();
    this.byId.clear();
    this.indexInLane.clear();
    this.noteBars.length = 0;
    this.sounding.clear();
    this.lateT.length = 0;
    this.lateBy.length = 0;
    this.lowNote = Infinity;
    this.highNote = -Infinity;
    this.latest = 0;
    this.liveCount = 0;
    this.liveSources = 0;
    this.version++;
  }

  /**
   * Rebuild from a snapshot: live tasks the recent events do not create come
   * first (they began before the window), then the recent events replay, then
   * the live tasks take the state the snapshot gives them.
   */
  loadSnapshot(snapshot: SessionSnapshot): void {
    this.clear();
    const created = new Set<number>();
    let firstT = snapshot.t;
    for (const event of snapshot.recent) {
      if (event.type === 'task-created') created.add(event.id);
      if ('t' in event) firstT = Math.min(firstT, event.t);
    }
    for (const t of snapshot.tasks) {
      if (!created.has(t.id)) this.create(t.id, t.parent, t.name, t.kind, t.source, t.pos, firstT);
    }
    for (const event of snapshot.recent) this.apply(event);
    for (const t of snapshot.tasks) {
      const record = this.byId.get(t.id);
      if (record && Number.isNaN(record.end) && t.state !== STATE_NAMES[record.state]) {
        this.setState(record, stateCode(t.state), snapshot.t);
      }
    }
    this.setNotes(snapshot.notes, snapshot.t);
    this.latest = Math.max(this.latest, snapshot.t);
    this.version++;
  }

  /** Mark an audio event that played late (renderer-side lateness). */
  markLate(t: number, lateBy: number): void {
    this.lateT.push(t);
    this.lateBy.push(lateBy);
    this.version++;
  }

  apply(event: SessionEvent): void {
    if ('t' in event && event.t > this.latest) this.latest = event.t;
    switch (event.type) {
      case 'task-created':
        this.create(event.id, event.parent, event.name, event.kind, event.source, event.pos, event.t);
        break;
      case 'task-running':
        this.transition(event.id, STATE.running, event.t);
        break;
      case 'task-ready':
        this.transition(event.id, STATE.ready, event.t);
        break;
      case 'task-sleeping':
        this.transition(event.id, STATE.sleeping, event.t);
        break;
      case 'task-blocking':
        this.transition(event.id, STATE.blocking, event.t);
        break;
      case 'task-waiting':
        this.transition(event.id, STATE.waiting, event.t);
        break;
      case 'task-done':
        this.finish(event.id, STATE.done, event.t, null);
        break;
      case 'task-cancelled':
        this.finish(event.id, STATE.cancelled, event.t, null);
        break;
      case 'task-failed':
        this.finish(event.id, STATE.failed, event.t, `${event.error.name}: ${event.error.message}`);
        break;
      case 'task-unhandled': {
        const task = this.byId.get(event.id);
        if (task) task.unhandled = true;
        break;
      }
      case 'loop-lag': {
        const task = this.byId.get(event.id);
        const lane = task ? task.lane : this.lane('(scheduler)');
        lane.lagT.push(event.t);
        lane.lagLate.push(event.late);
        break;
      }
      case 'diagnostic': {
        const task = event.taskId === null ? undefined : this.byId.get(event.taskId);
        if (task) task.diagnostic = event.diagnostic;
        break;
      }
      case 'notes':
        this.setNotes(event.notes, event.t);
        break;
      case 'stream-end':
        this.setNotes([], event.t);
        break;
      default:
        return;
    }
    this.version++;
  }

  private create(
    id: number,
    parent: number | null,
    name: string,
    kind: string,
    source: string,
    pos: SourcePosition | null,
    t: number,
  ): void {
    if (this.byId.has(id)) return;
    const lane = this.lane(source);
    const parentRecord = parent === null ? undefined : this.byId.get(parent);
    const depth = parentRecord && parentRecord.lane === lane ? parentRecord.depth + 1 : 0;
    const record: TaskRecord = {
      id,
      parent,
      name,
      kind,
      source,
      pos,
      lane,
      depth,
      row: 0,
      start: t,
      end: NaN,
      state: STATE.ready,
      segStart: [t],
      segState: [STATE.ready],
      error: null,
      unhandled: false,
      diagnostic: null,
    };
    record.row = lane.placeRow(record);
    this.indexInLane.set(id, lane.tasks.length);
    lane.add(record);
    this.byId.set(id, record);
    this.liveCount++;
    if (kind === 'source') this.liveSources++;
  }

  private transition(id: number, state: StateCode, t: number): void {
    const task = this.byId.get(id);
    if (!task || !Number.isNaN(task.end)) return;
    this.setState(task, state, t);
  }

  private setState(task: TaskRecord, state: StateCode, t: number): void {
    if (state >= STATE.done) {
      this.finish(task.id, state, t, task.error);
      return;
    }
    task.state = state;
    const last = task.segStart.length - 1;
    // Several changes at one instant: only the last one lasts any time, but a
    // running slice is kept as the start of what follows so it can be marked.
    if (task.segStart[last] === t && task.segState[last] !== STATE.running) task.segState[last] = state;
    else {
      task.segStart.push(t);
      task.segState.push(state);
    }
  }

  private finish(id: number, state: StateCode, t: number, error: string | null): void {
    const task = this.byId.get(id);
    if (!task || !Number.isNaN(task.end)) return;
    task.end = t;
    task.state = state;
    task.error = error;
    this.liveCount--;
    if (task.kind === 'source') this.liveSources--;
    task.lane.closed(task, this.indexInLane.get(id)!);
    task.lane.taskEnded(task);
  }

  private setNotes(notes: readonly number[], t: number): void {
    const now = new Set(notes);
    for (const [note, bar] of this.sounding) {
      if (!now.has(note)) {
        bar.end = t;
        this.sounding.delete(note);
      }
    }
    for (const note of notes) {
      if (this.sounding.has(note)) continue;
      const bar = { note, start: t, end: NaN };
      this.sounding.set(note, bar);
      this.noteBars.push(bar);
      if (note < this.lowNote) this.lowNote = note;
      if (note > this.highNote) this.highNote = note;
    }
  }

  /** Notes sounding now, ascending. */
  get activeNotes(): number[] {
    return [...this.sounding.keys()].sort((a, b) => a - b);
  }
}
