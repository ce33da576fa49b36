import type { CancelCause, TaskInfo } from '../scheduler/events';
import type { SessionEvent } from '../session/api';
import { nsToSeconds } from '../time';

/** One entry of the Chrome Trace Event format (the subset we write). */
export interface TraceEvent {
  name: string;
  ph: 'X' | 'M' | 'i' | 'C';
  pid: number;
  tid: number;
  /** Microseconds of logical time. */
  ts: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, unknown>;
}

interface TaskRecord extends TaskInfo {
  start: number;
  end: number | null;
  state: string;
  error?: string;
  /** Its spawn name (`t1`). */
  alias?: string;
  cancelled?: CancelCause;
  /** The tasks it waited on (joins, gather, race ...), each id once, in the order first awaited. */
  awaited?: number[];
}

const PID = 1;
const US = 1e6;

type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

/**
 * The task timeline as Chrome Trace Event JSON, which Perfetto and
 * chrome://tracing open: one track per source (more when tasks of a source
 * overlap without nesting), one slice per task nested inside its parent's,
 * note changes as instant events and the number of sounding notes as a counter.
 * Timestamps are logical time; each slice's args carry its wall times.
 */
export function toChromeTrace(events: readonly SessionEvent[]): ChromeTrace {
  const log = new TaskLog();
  const marks: TraceEvent[] = [];
  let lastT = 0;
  for (const e of events) {
    if ('t' in e && e.t > lastT) lastT = e.t;
    if (!log.apply(e)) marks.push(...marksOf(e));
  }
  const lanes = assignLanes(log.order, lastT);
  const traceEvents: TraceEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, ts: 0, args: { name: 'corotone' } }];
  for (const lane of lanes.names) {
    traceEvents.push({ name: 'thread_name', ph: 'M', pid: PID, tid: lane.tid, ts: 0, args: { name: lane.name } });
    traceEvents.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: lane.tid, ts: 0, args: { sort_index: lane.tid } });
  }
  for (const record of log.order) traceEvents.push(log.sliceOf(record, lanes.of.get(record.id)!, lastT));
  traceEvents.push(...marks);
  return { traceEvents, displayTimeUnit: 'ms', otherData: { producer: 'corotone', timeBase: 'logical seconds as microseconds' } };
}

/** The tasks a session's events tell of, in the order they were created, with their wall times. */
class TaskLog {
  readonly order: TaskRecord[] = [];
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly wallStart = new Map<number, number>();
  private readonly wallEnd = new Map<number, number>();

  /** Take in one event about a task; false if it is about none (a mark, or some other event). */
  apply(e: SessionEvent): boolean {
    switch (e.type) {
      case 'task-created':
        this.create(e);
        return true;
      case 'task-named': {
        const record = this.tasks.get(e.id);
        if (record) record.alias = e.alias;
        return true;
      }
      case 'task-waiting':
        this.wait(e);
        return true;
      case 'task-done':
      case 'task-cancelled':
      case 'task-failed':
        this.end(e);
        return true;
      default:
        return false;
    }
  }

  private create(e: EventOf<'task-created'>): void {
    const record: TaskRecord = { id: e.id, parent: e.parent, name: e.name, kind: e.kind, source: e.source, pos: e.pos, start: e.t, end: null, state: 'running' };
    this.tasks.set(e.id, record);
    this.order.push(record);
    this.wallStart.set(e.id, e.wall);
  }

  /** Each task it awaits, once, in the order first awaited (a future is no task). */
  private wait(e: EventOf<'task-waiting'>): void {
    const record = this.tasks.get(e.id);
    if (!record || e.on.kind === 'future') return;
    const ids = e.on.kind === 'task' ? [e.on.id] : e.on.ids;
    record.awaited ??= [];
    for (const id of ids) if (!record.awaited.includes(id)) record.awaited.push(id);
  }

  private end(e: EventOf<'task-done' | 'task-cancelled' | 'task-failed'>): void {
    const record = this.tasks.get(e.id);
    if (!record) return;
    record.end = e.t;
    record.state = e.type.slice('task-'.length);
    if (e.type === 'task-failed') record.error = `${e.error.name}: ${e.error.message}`;
    if (e.type === 'task-cancelled') record.cancelled = { by: e.by, reason: e.reason };
    this.wallEnd.set(e.id, e.wall);
  }

  /** A task's slice on lane `tid`; one not finished by `lastT` ends there. */
  sliceOf(record: TaskRecord, tid: number, lastT: number): TraceEvent {
    const end = record.end ?? lastT;
    return {
      name: record.name,
      cat: record.kind,
      ph: 'X',
      pid: PID,
      tid,
      ts: record.start * US,
      dur: (end - record.start) * US,
      args: {
        id: record.id,
        parent: record.parent,
        state: record.end === null ? 'unfinished' : record.state,
        ...(record.pos ? { at: `${record.pos.source}:${record.pos.line}:${record.pos.col}` } : {}),
        ...(record.error ? { error: record.error } : {}),
        ...(record.alias ? { alias: record.alias } : {}),
        ...(record.cancelled ? { cancelledBy: record.cancelled.by, cancelReason: record.cancelled.reason } : {}),
        ...(record.awaited ? { awaited: record.awaited } : {}),
        wallStart: this.wallStart.get(record.id),
        wallEnd: this.wallEnd.get(record.id) ?? null,
      },
    };
  }
}

/** An instant event on the first track: `s` says how far it reaches (global, or the process). */
function instant(name: string, s: 'g' | 'p', t: number, cat: string, args: Record<string, unknown>): TraceEvent {
  return { name, ph: 'i', s, pid: PID, tid: 0, ts: t * US, cat, args };
}

/** The marks an event that is not about a task leaves on the trace (none for most). */
function marksOf(e: SessionEvent): TraceEvent[] {
  switch (e.type) {
    case 'notes':
      return notesMarks(e);
    case 'loop-lag':
      return [instant(`loop lag ${(e.late * 1000).toFixed(1)} ms`, 'p', e.t, 'lag', { lateSeconds: e.late, task: e.id })];
    case 'seed':
      return [instant(`seed ${e.seed}`, 'g', e.t, 'music', { source: e.source, seed: e.seed })];
    case 'tempo':
      return [instant(`bpm ${e.bpm}`, 'g', e.t, 'music', { source: e.source, bpm: e.bpm })];
    case 'cue':
      return [instant(`cue ${e.name}`, 'g', e.t, 'music', { source: e.source, task: e.taskId, woke: e.woke })];
    case 'live-swap':
      return [instant(`live ${e.name}: new body`, 'g', e.t, 'music', { source: e.source, task: e.taskId, pass: e.pass })];
    case 'diagnostic': {
      const d = e.diagnostic;
      return [instant(`error ${d.source}:${d.line}:${d.col}`, 'g', e.t, 'error', { message: d.message })];
    }
    default:
      return [];
  }
}

/** A change of the sounding notes: an instant event with them (and their voices), and the counter of how many sound. */
function notesMarks(e: EventOf<'notes'>): TraceEvent[] {
  const voices = e.voices ? { voices: e.voices.map(({ id, owner, note, level, onset }) => ({ id, owner, note, level, onset: nsToSeconds(onset) })) } : {};
  return [
    instant(e.notes.length ? `notes ${e.notes.join(' ')}` : 'silence', 'g', e.t, 'notes', { notes: e.notes, freqs: e.freqs, ...voices }),
    { name: 'active notes', ph: 'C', pid: PID, tid: 0, ts: e.t * US, args: { notes: e.notes.length } },
  ];
}

interface Lane {
  tid: number;
  name: string;
  source: string;
  /** Ends of the slices open on this lane, innermost last. */
  open: { id: number; end: number }[];
}

/**
 * Slices on one track must nest. Each task goes on its parent's lane when it
 * nests there, otherwise on the first lane of its source where it does, or a new one.
 */
function assignLanes(order: TaskRecord[], lastT: number): { of: Map<number, number>; names: { tid: number; name: string }[] } {
  const of = new Map<number, number>();
  const lanes: Lane[] = [];
  const sorted = [...order].sort((a, b) => a.start - b.start || (b.end ?? lastT) - (a.end ?? lastT) || a.id - b.id);
  const fits = (lane: Lane, start: number, end: number): boolean => {
    while (lane.open.length > 0 && lane.open[lane.open.length - 1].end <= start) lane.open.pop();
    const top = lane.open[lane.open.length - 1];
    return top === undefined || top.end >= end;
  };
  for (const record of sorted) {
    const start = record.start;
    const end = record.end ?? lastT;
    const parentLane = record.parent !== null ? of.get(record.parent) : undefined;
    let lane = parentLane !== undefined ? lanes[parentLane - 1] : undefined;
    if (lane && !fits(lane, start, end)) lane = undefined;
    lane ??= lanes.find((l) => l.source === record.source && fits(l, start, end));
    if (!lane) {
      const count = lanes.filter((l) => l.source === record.source).length;
      lane = { tid: lanes.length + 1, name: count === 0 ? record.source : `${record.source} (${count + 1})`, source: record.source, open: [] };
      lanes.push(lane);
    }
    lane.open.push({ id: record.id, end });
    of.set(record.id, lane.tid);
  }
  return { of, names: lanes.map((l) => ({ tid: l.tid, name: l.name })) };
}
