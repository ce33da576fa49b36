/**
 * The timeline's tasks: a record per task in its source's lane, found by id,
 * with its state changes, whom it waited on and whom its end cancelled, and
 * the count of tasks alive. The task events of a session come here
 * ({@link TaskBook.applyTaskEvent}).
 */
import type { CancelReason, TaskInfo } from '../../core/scheduler/events';
import type { SessionEvent } from '../../core/session/api';
import { Lane, PLAY_GAP_SECONDS, type TaskRecord, type WaitEdge } from './lane';
import { STATE, type StateCode } from './state';

export class TaskBook {
  readonly lanes: Lane[] = [];
  private readonly laneByName = new Map<string, Lane>();
  private readonly byId = new Map<number, TaskRecord>();
  private readonly indexInLane = new Map<number, number>();
  /** Open waits by waiter id. */
  private readonly openWaits = new Map<number, WaitEdge>();
  /** Tasks that have not ended. */
  liveCount = 0;
  /** Of those, the sources themselves (a source lives while it may get lines). */
  liveSources = 0;

  get size(): number {
    return this.byId.size;
  }

  task(id: number): TaskRecord | undefined {
    return this.byId.get(id);
  }

  /** Every task the index by id holds (this session's). */
  records(): TaskRecord[] {
    return [...this.byId.values()];
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
    this.openWaits.clear();
    this.lanes.length = 0;
    this.laneByName.clear();
    this.forgetIds();
  }

  /**
   * A session ended at `t`: its live tasks end as cancelled, its waits stop,
   * and its ids leave the index (the next session's start over); the records
   * stay in their lanes.
   */
  closeSession(t: number): void {
    for (const task of this.records()) if (Number.isNaN(task.end)) this.finish(task.id, STATE.cancelled, t, task.error);
    for (const edge of this.openWaits.values()) edge.end = t;
    this.openWaits.clear();
    this.forgetIds();
  }

  private forgetIds(): void {
    this.byId.clear();
    this.indexInLane.clear();
    this.liveCount = 0;
    this.liveSources = 0;
  }

  /** Applies a task's event (its life, its name, its cues, swaps and diagnostics); false for an event of another kind. */
  applyTaskEvent(event: SessionEvent): boolean {
    switch (event.type) {
      case 'task-created':
        this.create(event, event.t);
        return true;
      case 'task-running':
      case 'task-ready':
      case 'task-sleeping':
      case 'task-blocking':
        this.transition(event.id, STATE[STATE_OF[event.type]], event.t);
        return true;
      case 'task-waiting':
        this.transition(event.id, STATE.waiting, event.t);
        if (event.on.kind !== 'future') this.waitOn(event.id, event.on.kind === 'task' ? [event.on.id] : event.on.ids, event.on.kind, event.t);
        return true;
      case 'task-done':
        this.finish(event.id, STATE.done, event.t, null);
        return true;
      case 'task-cancelled':
        this.finish(event.id, STATE.cancelled, event.t, null);
        if (typeof event.by === 'number') this.cancelledBy(event.id, event.by, event.reason);
        return true;
      case 'task-failed':
        this.finish(event.id, STATE.failed, event.t, `${event.error.name}: ${event.error.message}`);
        return true;
      default:
        return this.applyTaskNote(event);
    }
  }

  /** What an event says about a task it does not change the state of. */
  private applyTaskNote(event: SessionEvent): boolean {
    switch (event.type) {
      case 'task-named': {
        const task = this.byId.get(event.id);
        if (task) task.alias = event.alias;
        return true;
      }
      case 'task-unhandled': {
        const task = this.byId.get(event.id);
        if (task) task.unhandled = true;
        return true;
      }
      case 'cue': {
        const from = event.taskId === null ? undefined : this.byId.get(event.taskId);
        const to = event.woke.map((id) => this.byId.get(id)).filter((t): t is TaskRecord => t !== undefined);
        if (from && to.length > 0) from.lane.cues.push({ t: event.t, from, to });
        return true;
      }
      case 'live-swap': {
        const task = this.byId.get(event.taskId);
        if (task) {
          task.lane.swaps.push({ t: event.t, task, name: event.name, text: event.text });
          // the bar, its tooltip and the editor's lit line show the body that plays now
          task.name = event.text;
          task.pos = event.pos;
        }
        return true;
      }
      case 'step': {
        const task = this.byId.get(event.taskId);
        if (task) task.lane.steps.push({ t: event.t, task, hit: event.hit });
        return true;
      }
      case 'diagnostic': {
        const task = event.taskId === null ? undefined : this.byId.get(event.taskId);
        if (task) task.diagnostic = event.diagnostic;
        return true;
      }
      default:
        return false;
    }
  }

  /** A task begins at `t` (from its event, or from a snapshot that lists it live); a known id is left as it is. */
  create(info: TaskInfo, t: number): void {
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

  /** A task is in `state` from `t` (a state of an ended task ends it). */
  setState(task: TaskRecord, state: StateCode, t: number): void {
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

  /** A task ends at `t` in `state` (done, failed or cancelled); an ended or unknown one is left as it is. */
  finish(id: number, state: StateCode, t: number, error: string | null): void {
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
}

/** The state each plain state event puts its task in. */
const STATE_OF = {
  'task-running': 'running',
  'task-ready': 'ready',
  'task-sleeping': 'sleeping',
  'task-blocking': 'blocking',
} as const;
