/**
 * The timeline's data: every task as a record in its source's lane, with the
 * times its state changed (tasks.ts, lane.ts), plus the notes as a piano roll
 * (notes.ts) and the marks of trouble. This file takes in what a session
 * says: its events in order, its snapshots (a page that joins or comes back),
 * and a new session after a quit. Pure (no DOM) so layout and hit-testing are
 * tested in Node.
 */
import type { SessionEvent, SessionSnapshot } from '../../core/session/api';
import type { Lane, TaskRecord } from './lane';
import { NoteRoll, type NoteBar } from './notes';
import { STATE, STATE_NAMES, stateCode } from './state';
import { TaskBook } from './tasks';

export { STATE, STATE_COUNT, STATE_NAMES, stateCode, type StateCode } from './state';
export { CHUNK_SIZE, Lane, MAX_ROWS_PER_DEPTH, PLAY_GAP_SECONDS, type Chunk, type TaskRecord, type WaitEdge } from './lane';
export type { NoteBar } from './notes';

/** Timeline seconds between one session's end and the next session's start (after a quit). */
export const SESSION_GAP = 0.5;

export class TimelineModel {
  private readonly book = new TaskBook();
  private readonly roll = new NoteRoll();
  readonly lanes: Lane[] = this.book.lanes;
  /** Piano roll, in start order. */
  readonly noteBars: NoteBar[] = this.roll.bars;
  /**
   * Where the current session's logical time 0 is on the timeline. Sessions
   * after a quit start at 0 again; they are drawn after the ones before, whose
   * history stays (see {@link startSession}).
   */
  base = 0;
  /** Timeline times where a session ended and the next began. */
  readonly sessionBreaks: number[] = [];
  /** Late audio events (renderer side): their logical times and lateness. */
  readonly lateT: number[] = [];
  readonly lateBy: number[] = [];
  /** Where the engine fell behind the clock (`engine-behind`): times, by how much, and what the clock skipped (s). */
  readonly behindT: number[] = [];
  readonly behindBy: number[] = [];
  readonly behindSkipped: number[] = [];
  /** Latest logical time seen in an event. */
  latest = 0;
  /** How many of the events applied so far were stamped exactly {@link latest} (to tell them from ones missed at that instant). */
  private atLatest = 0;
  /** Bumped on every change, so a view knows when to redraw. */
  version = 0;

  get taskCount(): number {
    return this.book.size;
  }

  /** Tasks that have not ended. */
  get liveCount(): number {
    return this.book.liveCount;
  }

  /** Of those, the sources themselves (a source lives while it may get lines). */
  get liveSources(): number {
    return this.book.liveSources;
  }

  get lowNote(): number {
    return this.roll.low;
  }

  get highNote(): number {
    return this.roll.high;
  }

  /** Notes sounding now, ascending. */
  get activeNotes(): number[] {
    return this.roll.activeNotes;
  }

  task(id: number): TaskRecord | undefined {
    return this.book.task(id);
  }

  lane(name: string): Lane {
    return this.book.lane(name);
  }

  clear(): void {
    this.base = 0;
    this.sessionBreaks.length = 0;
    this.book.clear();
    this.roll.clear();
    this.lateT.length = 0;
    this.lateBy.length = 0;
    this.behindT.length = 0;
    this.behindBy.length = 0;
    this.behindSkipped.length = 0;
    this.latest = 0;
    this.atLatest = 0;
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
      if (!created.has(t.id)) this.book.create(t, firstT + base);
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
      if (!created.has(t.id)) this.book.create(t, start);
    }
    const missed = this.applyUnseen(snapshot.recent, seen);
    const live = new Set(snapshot.tasks.map((t) => t.id));
    for (const record of this.book.records()) {
      if (Number.isNaN(record.end) && !live.has(record.id)) this.book.finish(record.id, STATE.done, snapshot.t + base, record.error);
    }
    this.settleTo(snapshot, base);
    return missed;
  }

  /**
   * Applies the events of a recent window that came after the last one
   * applied, which was at `seen`. Events come in order, and the window is the
   * stream's latest part: those before `seen` were applied, and of those at
   * its very instant, the first `atLatest` were.
   */
  private applyUnseen(recent: readonly SessionEvent[], seen: number): SessionEvent[] {
    let skipAtSeen = this.atLatest;
    const missed: SessionEvent[] = [];
    for (const event of recent) {
      const t = event.t + this.base;
      if (t < seen) continue;
      if (t === seen && skipAtSeen > 0) {
        skipAtSeen--;
        continue;
      }
      this.apply(event);
      missed.push(event);
    }
    return missed;
  }

  /** Live tasks take the snapshot's states, and notes and time stand where it says. */
  private settleTo(snapshot: SessionSnapshot, base: number): void {
    for (const t of snapshot.tasks) {
      const record = this.book.task(t.id);
      if (record && Number.isNaN(record.end) && t.state !== STATE_NAMES[record.state]) {
        this.book.setState(record, stateCode(t.state), snapshot.t + base);
      }
    }
    this.roll.setNotes(snapshot.notes, snapshot.t + base);
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
    this.book.closeSession(end);
    this.roll.setNotes([], end);
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
    if (this.book.applyTaskEvent(event) || this.applyOther(event)) this.version++;
  }

  /** The marks of trouble and the notes; false for an event the timeline does not show. */
  private applyOther(event: SessionEvent): boolean {
    switch (event.type) {
      case 'loop-lag': {
        const task = this.book.task(event.id);
        const lane = task ? task.lane : this.lane('(scheduler)');
        lane.lagT.push(event.t);
        lane.lagLate.push(event.late);
        return true;
      }
      case 'engine-behind':
        this.behindT.push(event.t);
        this.behindBy.push(event.behind);
        this.behindSkipped.push(event.skipped);
        return true;
      case 'notes':
        if (event.voices !== undefined) this.roll.setVoices(event.voices, event.t);
        else this.roll.setNotes(event.notes, event.t);
        return true;
      case 'stream-end':
        this.roll.setNotes([], event.t);
        return true;
      default:
        return false;
    }
  }
}
