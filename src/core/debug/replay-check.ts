/**
 * The check of a rebuilt moment (replay.ts) against the original session at
 * that moment, read from the original's history: the same events up to T
 * (wall stamps aside), the same live tasks with their names, aliases and
 * states, the same notes held. What differs is said in words a user can act
 * on, the first few of each kind.
 */
import type { SessionEvent, SessionSnapshot } from '../session/api';
import type { TaskState } from '../scheduler/task';
import { nsToSeconds } from '../time';

/** The state of a session at one moment, as its events tell it and as a snapshot lists it. */
export interface MomentState {
  /** Live tasks by id: `name [alias] state`. */
  tasks: Map<number, string>;
  /** Notes held, ascending. */
  notes: number[];
}

/** How many differences of each kind a check reports (the rest are counted). */
const SHOWN = 3;

/**
 * Events that say how the real clock went, not what the session did: a late
 * resumption, a skip ahead; and the host's own diagnostics of a refused
 * script (no task). A rebuild on the virtual clock has none of them.
 */
function comparable(event: SessionEvent): boolean {
  if (event.type === 'loop-lag' || event.type === 'engine-behind') return false;
  return !(event.type === 'diagnostic' && event.taskId === null);
}

/** An event as the check compares it: without its wall stamp (and a note event's `ns`, which `t` already says). */
function key(event: SessionEvent): string {
  const { wall: _wall, ...rest } = event;
  return JSON.stringify(rest);
}

/** The events up to logical time `atNs` that a rebuild must match. */
export function eventsUpTo(events: readonly SessionEvent[], atNs: number): SessionEvent[] {
  const t = nsToSeconds(atNs);
  const out: SessionEvent[] = [];
  for (const event of events) if (event.t <= t && comparable(event)) out.push(event);
  return out;
}

const STATE_OF: Partial<Record<SessionEvent['type'], TaskState>> = {
  'task-created': 'ready',
  'task-ready': 'ready',
  'task-running': 'running',
  'task-sleeping': 'sleeping',
  'task-blocking': 'blocking',
  'task-waiting': 'waiting',
};

/** The moment the events tell of: the tasks still live at their end, in their last state, and the notes last heard. */
export function stateFromEvents(events: readonly SessionEvent[]): MomentState {
  const live = new Map<number, { name: string; alias?: string; state: TaskState }>();
  let notes: number[] = [];
  for (const e of events) {
    if (e.type === 'task-created') live.set(e.id, { name: e.name, state: 'ready' });
    else if (e.type === 'task-named') {
      const task = live.get(e.id);
      if (task) task.alias = e.alias;
    } else if (e.type === 'live-swap') {
      // The loop's task takes its new body's line as its name.
      const task = live.get(e.taskId);
      if (task) task.name = e.text;
    } else if (e.type === 'task-done' || e.type === 'task-failed' || e.type === 'task-cancelled') live.delete(e.id);
    else if (e.type === 'notes') notes = e.notes;
    else if (e.type === 'stream-end') notes = [];
    else {
      const state = STATE_OF[e.type];
      const task = 'id' in e ? live.get(e.id) : undefined;
      if (state !== undefined && task) task.state = state;
    }
  }
  const tasks = new Map<number, string>();
  for (const [id, task] of live) tasks.set(id, describe(task.name, task.alias, task.state));
  return { tasks, notes: [...notes] };
}

/** The moment a live session's snapshot shows. */
export function stateFromSnapshot(snapshot: Pick<SessionSnapshot, 'tasks' | 'notes'>): MomentState {
  const tasks = new Map<number, string>();
  for (const task of snapshot.tasks) tasks.set(task.id, describe(task.name, task.alias, task.state));
  return { tasks, notes: [...snapshot.notes] };
}

function describe(name: string, alias: string | undefined, state: TaskState): string {
  return `${JSON.stringify(name)}${alias === undefined ? '' : ` [${alias}]`} ${state}`;
}

/**
 * What differs between the original's history up to `atNs` and a rebuild
 * standing there (its events and its snapshot); empty when they are equal.
 */
export function compareMoment(
  originalEvents: readonly SessionEvent[],
  rebuiltEvents: readonly SessionEvent[],
  rebuilt: Pick<SessionSnapshot, 'tasks' | 'notes'>,
  atNs: number,
): string[] {
  const before = eventsUpTo(originalEvents, atNs);
  const after = eventsUpTo(rebuiltEvents, atNs);
  const out: string[] = [];
  out.push(...eventDifferences(before, after));
  const expected = stateFromEvents(before);
  const actual = stateFromSnapshot(rebuilt);
  out.push(...taskDifferences(expected.tasks, actual.tasks));
  if (expected.notes.join(',') !== actual.notes.join(',')) {
    out.push(`notes held: the original held [${expected.notes.join(', ')}], the rebuild holds [${actual.notes.join(', ')}]`);
  }
  return out;
}

function eventDifferences(before: readonly SessionEvent[], after: readonly SessionEvent[]): string[] {
  const n = Math.min(before.length, after.length);
  for (let i = 0; i < n; i++) {
    const a = key(before[i]);
    const b = key(after[i]);
    if (a !== b) return [`event ${i + 1} at t = ${before[i].t} s: the original had ${a}, the rebuild ${b}`];
  }
  if (before.length !== after.length) {
    const more = before.length > after.length ? 'original' : 'rebuild';
    const extra = (before.length > after.length ? before : after)[n];
    return [`the ${more} has ${Math.abs(before.length - after.length)} more events up to there, the first ${key(extra)}`];
  }
  return [];
}

function taskDifferences(expected: Map<number, string>, actual: Map<number, string>): string[] {
  const out: string[] = [];
  for (const [id, want] of expected) {
    const got = actual.get(id);
    if (got !== want) out.push(got === undefined ? `task ${id} ${want}: live in the original, not in the rebuild` : `task ${id}: ${want} in the original, ${got} in the rebuild`);
  }
  for (const [id, got] of actual) if (!expected.has(id)) out.push(`task ${id} ${got}: live in the rebuild, not in the original`);
  return out.length > SHOWN ? [...out.slice(0, SHOWN), `and ${out.length - SHOWN} more tasks that differ`] : out;
}
