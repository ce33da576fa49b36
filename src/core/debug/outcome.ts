import type { SessionEvent } from '../session/api';
import type { Session } from '../session/session';
import { formatSeconds } from './inspect';

/** How one task ended, named so that two runs can be compared (ids differ when tasks start in another order). */
export interface TaskEnd {
  /** The task's command and those of the tasks it runs in: `race.txt › race a | b › beep C4 1`. */
  path: string;
  name: string;
  line: number | null;
  state: 'done' | 'failed' | 'cancelled';
  t: number;
}

/** What a run sounded like and how its tasks ended: equal outcomes are one outcome, whatever order made them. */
export interface Outcome {
  /** Each change of the sounding notes: time and the notes held (a note held twice counts twice). */
  sound: { t: number; notes: number[] }[];
  /** Every task's end, sorted: the same ends in another order of ending are the same outcome. */
  ends: TaskEnd[];
  /** One string of all of it: the key runs are grouped by. */
  key: string;
}

/**
 * Listens to a session and writes down its outcome: the notes it sounded
 * (per instant, as heard: `notes` events) and how each task ended.
 */
export class OutcomeRecorder {
  private readonly paths = new Map<number, { path: string; name: string; line: number | null }>();
  private readonly sound: Outcome['sound'] = [];
  private readonly ends: TaskEnd[] = [];
  /** Events of this run that are not about the task running now (see Footprint). */
  foreign = 0;
  /** The task whose resumption is running, as the explorer says. */
  running: number | null = null;

  constructor(session: Session) {
    session.subscribe((event) => this.onEvent(event));
  }

  private onEvent(event: SessionEvent): void {
    if (!isOwnOnly(event, this.running)) this.foreign++;
    switch (event.type) {
      case 'task-created': {
        const parent = event.parent === null ? undefined : this.paths.get(event.parent);
        const path = parent === undefined ? event.name : `${parent.path} › ${event.name}`;
        this.paths.set(event.id, { path, name: event.name, line: event.pos?.line ?? null });
        return;
      }
      case 'notes': {
        const notes = (event.voices ?? event.notes.map((note) => ({ note }))).map((v) => v.note).sort((a, b) => a - b);
        this.sound.push({ t: event.t, notes });
        return;
      }
      case 'task-done':
      case 'task-failed':
      case 'task-cancelled': {
        const who = this.paths.get(event.id) ?? { path: `task ${event.id}`, name: `task ${event.id}`, line: null };
        this.ends.push({ ...who, state: event.type === 'task-done' ? 'done' : event.type === 'task-failed' ? 'failed' : 'cancelled', t: event.t });
        return;
      }
    }
  }

  outcome(): Outcome {
    const ends = [...this.ends].sort((a, b) => a.t - b.t || compare(a.path, b.path) || compare(a.state, b.state));
    const key = JSON.stringify([this.sound, ends.map((e) => [e.path, e.state, e.t])]);
    return { sound: [...this.sound], ends, key };
  }
}

/** What a resumption's own events are: the task itself running, going to sleep or ready, late, or ending; and the notes published as an instant ends. */
function isOwnOnly(event: SessionEvent, running: number | null): boolean {
  switch (event.type) {
    case 'task-running':
    case 'task-sleeping':
    case 'task-ready':
    case 'loop-lag':
    // Its own end: whoever it ends for is woken (the explorer sees the queue grow) or called back (and does something seen).
    case 'task-done':
    case 'task-failed':
    case 'task-cancelled':
      return event.id === running;
    case 'notes':
      return true;
    default:
      return false;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An end in a line of text: `"beep C4 1" (line 3) cancelled at 1 s`. */
export function describeEnd(end: TaskEnd): string {
  return `${JSON.stringify(end.name)}${end.line === null ? '' : ` (line ${end.line})`} ${end.state} at ${formatSeconds(end.t)}`;
}
