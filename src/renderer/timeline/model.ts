/**
 * The timeline's data: every task as a record in its source's lane, with the
 * times its state changed, plus the notes as a piano roll and the lag marks.
 * Pure (no DOM) so layout and hit-testing are tested in Node.
 *
 * Each lane keeps its tasks in start order (events arrive in logical-time
 * order) and groups them in fixed-size chunks that know their time span, so
 * the view finds what is on screen without walking 10,000 tasks.
 */
import type { CancelReason, TaskInfo } from '../../core/scheduler/events';
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
  /** Live loops of this lane taking a new body (`live-swap` events). */
  readonly swaps: { t: number; task: TaskRecord }[] = [];

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
  /** The voice it draws (a note heard again is a new voice, so a new bar); absent for notes known only from a snapshot. */
  voice?: number;
  /** The task that holds the voice (null: a voice of the demo's shared set). */
  owner?: number | null;
}

/** Timeline seconds between one session's end and the next session's start (after a quit). */
export const SESSION_GAP = 0.5;

export class TimelineModel {
  readonly lanes: Lane[] = [];
  /**
   * Where the current session's logical time 0 is on the timeline. Sessions
   * after a quit start at 0 again; they are drawn after the ones before, whose
   * history stays (see {@link startSession}).
   */
  base = 0;
  /** Timeline times where a session ended and the next began. */
  readonly sessionBreaks: number[] = [];
  /** Open waits by waiter id. */
  private readonly openWaits = new Map<number, WaitEdge>();
  private readonly laneByName = new Map<string, Lane>();
  private readonly byId = new Map<number, TaskRecord>();
  private readonly indexInLane = new Map<number, number>();
  /** Piano roll, in start order. */
  readonly noteBars: NoteBar[] = [];
  /** Bars sounding now, by voice id (or `n<note>` for a note known only from a snapshot). */
  private readonly sounding = new Map<number | string, NoteBar>();
  /** Late audio events (renderer side): their logical times and lateness. */
  readonly lateT: number[] = [];
  readonly lateBy: number[] = [];
  /** Where the engine fell behind the clock (`engine-behind`): times, by how much, and what the clock skipped (s). */
  readonly behindT: number[] = [];
  readonly behindBy: number[] = [];
  readonly behindSkipped: number[] = [];
  lowNote = Infinity;
  highNote = -Infinity;
  /** Latest logical time seen in an event. */
  latest = 0;
  /** How many of the events applied so far were stamped exactly {@link latest} (to tell them from ones missed at that instant). */
  private atLatest = 0;
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
    this.base = 0;
    this.sessionBreaks.length = 0;
    this.openWaits.clear();
    this.lanes.length = 0;
    this.laneByName.clear();
    this.byId.clear();
    this.indexInLane.clear();
    this.noteBars.length = 0;
    this.sounding.clear();
    this.lateT.length = 0;
    this.lateBy.length = 0;
    this.behindT.length = 0;
    this.behindBy.length = 0;
    this.behindSkipped.length = 0;
    this.lowNote = Infinity;
    this.highNote = -Infinity;
    this.latest = 0;
    this.atLatest = 0;
    this.liveCount = 0;
    this.liveSources = 0;
    this.version++;
  }

  /**
   * Rebuild from a snapshot: live tasks the recent events do not create come
   * first (they began before the window), then the recent events replay, then
   * the live tasks take the state the snapshot gives them.
   */
  loadSnapshot(snapshot: SessionSnapshot, options: { keepHistory?: boolean } = {}): void {
    if (options.keepHistory) this.startSession();
    else this.clear();
    const base = this.base;
    const created = new Set<number>();
    let firstT = snapshot.t;
    for (const event of snapshot.recent) {
      if (event.type === 'task-created') created.add(event.id);
      if ('t' in event) firstT = Math.min(firstT, event.t);
    }
    for (const t of snapshot.tasks) {
      if (!created.has(t.id)) this.create(t, firstT + base);
    }
    for (const event of snapshot.recent) this.apply(event);
    this.settleTo(snapshot, base);
  }

  /**
   * A newer snapshot of the session already shown (the page reconnected, or
   * asked again): what is known stays as it is; the recent events newer than
   * the last one applied fill the gap; live tasks it never saw begin where it
   * lost sight (or where the recent window begins, if later); live tasks take
   * the states the snapshot gives, and tasks it no longer lists as live have
   * ended (when exactly is lost with the gap: at the snapshot's time, as done).
   * Returns the events it applied (the ones missed), for the caller to show.
   */
  mergeSnapshot(snapshot: SessionSnapshot): SessionEvent[] {
    const base = this.base;
    const seen = this.latest;
    const created = new Set<number>();
    let firstT = snapshot.t;
    for (const event of snapshot.recent) {
      if (event.type === 'task-created') created.add(event.id);
      firstT = Math.min(firstT, event.t);
    }
    const start = Math.min(snapshot.t + base, Math.max(seen, firstT + base));
    for (const t of snapshot.tasks) {
      if (!created.has(t.id)) this.create(t, start);
    }
    // Events come in order, and the recent window is the stream's latest part:
    // those before the last one applied were applied, and of those at its very
    // instant, the first `atLatest` were.
    let skipAtSeen = this.atLatest;
    const missed: SessionEvent[] = [];
    for (const event of snapshot.recent) {
      const t = event.t + base;
      if (t < seen) continue;
      if (t === seen && skipAtSeen > 0) {
        skipAtSeen--;
        continue;
      }
      this.apply(event);
      missed.push(event);
    }
    const live = new Set(snapshot.tasks.map((t) => t.id));
    for (const record of [...this.byId.values()]) {
      if (Number.isNaN(record.end) && !live.has(record.id)) this.finish(record.id, STATE.done, snapshot.t + base, record.error);
    }
    this.settleTo(snapshot, base);
    return missed;
  }

  /** Live tasks take the snapshot's states, and notes and time stand where it says. */
  private settleTo(snapshot: SessionSnapshot, base: number): void {
    for (const t of snapshot.tasks) {
      const record = this.byId.get(t.id);
      if (record && Number.isNaN(record.end) && t.state !== STATE_NAMES[record.state]) {
        this.setState(record, stateCode(t.state), snapshot.t + base);
      }
    }
    this.setNotes(snapshot.notes, snapshot.t + base);
    this.reachSnapshotTime(snapshot.t + base);
    this.version++;
  }

  /** A snapshot is read at `t`: no event before it is newer. */
  private reachSnapshotTime(t: number): void {
    if (t > this.latest) {
      this.latest = t;
      this.atLatest = 0;
    }
  }

  /**
   * A new session begins (after `quit`): what the old one showed stays, closed
   * at its end; the new one's logical time 0 is drawn {@link SESSION_GAP} after
   * it, past a break. Task ids start over, so the old records leave the index
   * by id (they stay in their lanes).
   */
  startSession(): void {
    if (this.lanes.length === 0 && this.noteBars.length === 0) {
      this.clear();
      return;
    }
    const end = this.latest;
    for (const task of [...this.byId.values()]) if (Number.isNaN(task.end)) this.finish(task.id, STATE.cancelled, end, task.error);
    this.setNotes([], end);
    for (const edge of this.openWaits.values()) edge.end = end;
    this.openWaits.clear();
    this.byId.clear();
    this.indexInLane.clear();
    this.liveCount = 0;
    this.liveSources = 0;
    this.sessionBreaks.push(end + SESSION_GAP / 2);
    this.base = end + SESSION_GAP;
    this.latest = this.base;
    this.atLatest = 0;
    this.version++;
  }

  /** Mark an audio event that played late (renderer-side lateness). */
  markLate(t: number, lateBy: number): void {
    this.lateT.push(t + this.base);
    this.lateBy.push(lateBy);
    this.version++;
  }

  apply(raw: SessionEvent): void {
    // A session after a quit is drawn after the ones before it.
    const event = this.base === 0 || !('t' in raw) ? raw : ({ ...raw, t: raw.t + this.base } as SessionEvent);
    if (event.t > this.latest) {
      this.latest = event.t;
      this.atLatest = 1;
    } else if (event.t === this.latest) this.atLatest++;
    switch (event.type) {
      case 'task-created':
        this.create(event, event.t);
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
        if (event.on.kind !== 'future') this.waitOn(event.id, event.on.kind === 'task' ? [event.on.id] : event.on.ids, event.on.kind, event.t);
        break;
      case 'task-done':
        this.finish(event.id, STATE.done, event.t, null);
        break;
      case 'task-cancelled':
        this.finish(event.id, STATE.cancelled, event.t, null);
        if (typeof event.by === 'number') this.cancelledBy(event.id, event.by, event.reason);
        break;
      case 'task-named': {
        const task = this.byId.get(event.id);
        if (task) task.alias = event.alias;
        break;
      }
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
      case 'engine-behind':
        this.behindT.push(event.t);
        this.behindBy.push(event.behind);
        this.behindSkipped.push(event.skipped);
        break;
      case 'cue': {
        const from = event.taskId === null ? undefined : this.byId.get(event.taskId);
        const to = event.woke.map((id) => this.byId.get(id)).filter((t): t is TaskRecord => t !== undefined);
        if (from && to.length > 0) from.lane.cues.push({ t: event.t, from, to });
        break;
      }
      case 'live-swap': {
        const task = this.byId.get(event.taskId);
        if (task) task.lane.swaps.push({ t: event.t, task });
        break;
      }
      case 'diagnostic': {
        const task = event.taskId === null ? undefined : this.byId.get(event.taskId);
        if (task) task.diagnostic = event.diagnostic;
        break;
      }
      case 'notes':
        if (event.voices !== undefined) this.setVoices(event.voices, event.t);
        else this.setNotes(event.notes, event.t);
        break;
      case 'stream-end':
        this.setNotes([], event.t);
        break;
      default:
        return;
    }
    this.version++;
  }

  private create(info: TaskInfo, t: number): void {
    const { id, parent, name, kind, source, pos } = info;
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
      alias: null,
      waits: null,
      waitedBy: null,
      cancels: null,
      cancelledBy: null,
    };
    record.row = lane.placeRow(record);
    this.indexInLane.set(id, lane.tasks.length);
    lane.add(record);
    this.byId.set(id, record);
    this.liveCount++;
    if (kind === 'source') this.liveSources++;
    // the next line of a script starts as the last one ends: it goes on playing, it does not begin again
    else if (lane.busy++ === 0 && !(t - lane.lastEnd <= PLAY_GAP_SECONDS)) lane.playedFrom = t;
  }

  private waitOn(id: number, ids: readonly number[], kind: 'task' | 'tasks', t: number): void {
    const from = this.byId.get(id);
    if (!from) return;
    const to: TaskRecord[] = [];
    for (const target of ids) {
      const record = this.byId.get(target);
      if (record) to.push(record);
    }
    if (to.length === 0) return;
    this.endWait(id, t);
    const edge: WaitEdge = { from, to, kind, t, end: NaN };
    (from.waits ??= []).push(edge);
    for (const target of to) (target.waitedBy ??= []).push(edge);
    this.openWaits.set(id, edge);
  }

  private endWait(id: number, t: number): void {
    const edge = this.openWaits.get(id);
    if (edge === undefined) return;
    edge.end = t;
    this.openWaits.delete(id);
  }

  /**
   * A sibling's end cancelled this task (a failure in a gather, a race's
   * winner, a timeout's timer): drawn as a crossed connector from it.
   */
  private cancelledBy(id: number, by: number, reason: CancelReason): void {
    if (reason !== 'group-failure' && reason !== 'race' && reason !== 'timeout') return;
    const task = this.byId.get(id);
    const cause = this.byId.get(by);
    if (!task || !cause || cause === task) return;
    task.cancelledBy = cause;
    (cause.cancels ??= []).push(task);
  }

  private transition(id: number, state: StateCode, t: number): void {
    const task = this.byId.get(id);
    if (!task || !Number.isNaN(task.end)) return;
    if (task.state === STATE.waiting && state !== STATE.waiting) this.endWait(id, t);
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
    this.endWait(id, t);
    this.liveCount--;
    if (task.kind === 'source') this.liveSources--;
    else task.lane.busy--;
    if (t > task.lane.lastEnd) task.lane.lastEnd = t;
    task.lane.closed(task, this.indexInLane.get(id)!);
    task.lane.taskEnded(task);
  }

  /** Notes without voices (a snapshot, an older sender): one bar per note while it sounds. */
  private setNotes(notes: readonly number[], t: number): void {
    const now = new Set(notes);
    for (const [key, bar] of this.sounding) {
      if (!now.has(bar.note)) {
        bar.end = t;
        this.sounding.delete(key);
      }
    }
    const drawn = new Set([...this.sounding.values()].map((bar) => bar.note));
    for (const note of notes) if (!drawn.has(note)) this.startBar(`n${note}`, { note, start: t, end: NaN });
  }

  /** One bar per voice: a note that ends and starts again at one instant is a new voice, and a new bar. */
  private setVoices(voices: readonly { id: number; note: number; owner: number | null }[], t: number): void {
    const ids = new Set(voices.map((v) => v.id));
    const held = new Set(voices.map((v) => v.note));
    // A snapshot's note bar goes on as the first voice of its note that has none.
    const adopt = new Map<number, NoteBar>();
    for (const [key, bar] of this.sounding) {
      if (typeof key === 'string' && held.has(bar.note)) adopt.set(bar.note, bar);
      else if (typeof key === 'number' && ids.has(key)) continue;
      else bar.end = t;
      this.sounding.delete(key);
    }
    for (const v of voices) {
      if (this.sounding.has(v.id)) continue;
      const bar = adopt.get(v.note);
      if (bar !== undefined) {
        adopt.delete(v.note);
        bar.voice = v.id;
        bar.owner = v.owner;
        this.sounding.set(v.id, bar);
      } else this.startBar(v.id, { note: v.note, start: t, end: NaN, voice: v.id, owner: v.owner });
    }
    for (const bar of adopt.values()) bar.end = t;
  }

  private startBar(key: number | string, bar: NoteBar): void {
    this.sounding.set(key, bar);
    this.noteBars.push(bar);
    if (bar.note < this.lowNote) this.lowNote = bar.note;
    if (bar.note > this.highNote) this.highNote = bar.note;
  }

  /** Notes sounding now, ascending. */
  get activeNotes(): number[] {
    return [...new Set([...this.sounding.values()].map((bar) => bar.note))].sort((a, b) => a - b);
  }
}
