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

/**
 * The task timeline as Chrome Trace Event JSON, which Perfetto and
 * chrome://tracing open: one track per source (more when tasks of a source
 * overlap without nesting), one slice per task nested inside its parent's,
 * note changes as instant events and the number of sounding notes as a counter.
 * Timestamps are logical time; each slice's args carry its wall times.
 */
export function toChromeTrace(events: readonly SessionEvent[]): ChromeTrace {
  const tasks = new Map<number, TaskRecord>();
  const order: TaskRecord[] = [];
  const wallStart = new Map<number, number>();
  const wallEnd = new Map<number, number>();
  const marks: TraceEvent[] = [];
  let lastT = 0;
  for (const e of events) {
    if ('t' in e && e.t > lastT) lastT = e.t;
    switch (e.type) {
      case 'task-created': {
        const record: TaskRecord = {
          id: e.id,
          parent: e.parent,
          name: e.name,
          kind: e.kind,
          source: e.source,
          pos: e.pos,
          start: e.t,
          end: null,
          state: 'running',
        };
        tasks.set(e.id, record);
        order.push(record);
        wallStart.set(e.id, e.wall);
        break;
      }
      case 'task-named': {
        const record = tasks.get(e.id);
        if (record) record.alias = e.alias;
        break;
      }
      case 'task-waiting': {
        const record = tasks.get(e.id);
        if (!record || e.on.kind === 'future') break;
        const ids = e.on.kind === 'task' ? [e.on.id] : e.on.ids;
        record.awaited ??= [];
        for (const id of ids) if (!record.awaited.includes(id)) record.awaited.push(id);
        break;
      }
      case 'task-done':
      case 'task-cancelled':
      case 'task-failed': {
        const record = tasks.get(e.id);
        if (!record) break;
        record.end = e.t;
        record.state = e.type.slice('task-'.length);
        if (e.type === 'task-failed') record.error = `${e.error.name}: ${e.error.message}`;
        if (e.type === 'task-cancelled') record.cancelled = { by: e.by, reason: e.reason };
        wallEnd.set(e.id, e.wall);
        break;
      }
      case 'notes':
        marks.push({ name: e.notes.length ? `notes ${e.notes.join(' ')}` : 'silence', ph: 'i', s: 'g', pid: PID, tid: 0, ts: e.t * US, cat: 'notes', args: { notes: e.notes, freqs: e.freqs, ...(e.voices ? { voices: e.voices.map(({ id, owner, note, level, onset }) => ({ id, owner, note, level, onset: nsToSeconds(onset) })) } : {}) } });
        marks.push({ name: 'active notes', ph: 'C', pid: PID, tid: 0, ts: e.t * US, args: { notes: e.notes.length } });
        break;
      case 'loop-lag':
        marks.push({ name: `loop lag ${(e.late * 1000).toFixed(1)} ms`, ph: 'i', s: 'p', pid: PID, tid: 0, ts: e.t * US, cat: 'lag', args: { lateSeconds: e.late, task: e.id } });
        break;
      case 'seed':
        marks.push({ name: `seed ${e.seed}`, ph: 'i', s: 'g', pid: PID, tid: 0, ts: e.t * US, cat: 'music', args: { source: e.source, seed: e.seed } });
        break;
      case 'cue':
        marks.push({ name: `cue ${e.name}`, ph: 'i', s: 'g', pid: PID, tid: 0, ts: e.t * US, cat: 'music', args: { source: e.source, task: e.taskId, woke: e.woke } });
        break;
      case 'live-swap':
        marks.push({ name: `live ${e.name}: new body`, ph: 'i', s: 'g', pid: PID, tid: 0, ts: e.t * US, cat: 'music', args: { source: e.source, task: e.taskId, pass: e.pass } });
        break;
      case 'diagnostic': {
        const d = e.diagnostic;
        marks.push({ name: `error ${d.source}:${d.line}:${d.col}`, ph: 'i', s: 'g', pid: PID, tid: 0, ts: e.t * US, cat: 'error', args: { message: d.message } });
        break;
      }
    }
  }

  const lanes = assignLanes(order, lastT);
  const traceEvents: TraceEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, ts: 0, args: { name: 'corotone' } }];
  for (const lane of lanes.names) {
    traceEvents.push({ name: 'thread_name', ph: 'M', pid: PID, tid: lane.tid, ts: 0, args: { name: lane.name } });
    traceEvents.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: lane.tid, ts: 0, args: { sort_index: lane.tid } });
  }
  for (const record of order) {
    const end = record.end ?? lastT;
    traceEvents.push({
      name: record.name,
      cat: record.kind,
      ph: 'X',
      pid: PID,
      tid: lanes.of.get(record.id)!,
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
        wallStart: wallStart.get(record.id),
        wallEnd: wallEnd.get(record.id) ?? null,
      },
    });
  }
  traceEvents.push(...marks);
  return { traceEvents, displayTimeUnit: 'ms', otherData: { producer: 'corotone', timeBase: 'logical seconds as microseconds' } };
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
