/** What the timeline's tooltip and detail card say about a task, a note or a mark, as lines of text. */
import { noteName } from '../../core/language/pitch';
import { noteFrequency } from '../../core/stream/notes';
import { STATE_NAMES, type TaskRecord } from './model';
import type { Hit } from './layout';
import { STATE_COLOURS } from './palette';

/** What a task's bar says: its command, after its spawn name (`t1`) if it has one. */
export function taskLabel(task: TaskRecord): string {
  return task.alias === null ? task.name : `${task.alias}  ${task.name}`;
}

export interface TextLine {
  readonly text: string;
  /** The CSS class that styles it. */
  readonly cls?: string;
  readonly colour?: string;
}

/** Where a task is: `terminal:6:1` (as its errors say), or its kind and id when it has no place in a source. */
export function taskPlace(task: TaskRecord): string {
  const pos = task.diagnostic ?? task.pos;
  return pos ? `${pos.source}:${pos.line}:${pos.col}` : task.source;
}

function identity(task: TaskRecord): string {
  return `${task.kind} at ${taskPlace(task)} · task #${task.id}${task.alias ? ` (${task.alias})` : ''}`;
}

/** The tooltip of what the pointer is over (not a lane's background). */
export function describeHit(hit: Exclude<Hit, null | { kind: 'lane' }>): TextLine[] {
  if (hit.kind === 'task') {
    const t = hit.task;
    const end = Number.isNaN(t.end) ? null : t.end;
    return [
      { text: taskLabel(t), cls: 'tip-title' },
      { text: `${identity(t)} · ${STATE_NAMES[t.state]}${t.unhandled ? ' · unhandled' : ''}`, cls: 'tip-state', colour: STATE_COLOURS[t.state] },
      { text: `${fmt(t.start)} → ${end === null ? 'now' : fmt(end)}${end === null ? '' : ` (${fmt(end - t.start)})`}` },
      ...(t.error ? [{ text: t.error, cls: 'tip-error' }] : []),
      ...relations(t),
    ];
  }
  if (hit.kind === 'note') {
    const b = hit.bar;
    return [
      { text: `note ${b.note} (${noteName(b.note)}) · ${noteFrequency(b.note).toFixed(2)} Hz`, cls: 'tip-title' },
      { text: `${fmt(b.start)} → ${Number.isNaN(b.end) ? 'now' : fmt(b.end)}` },
    ];
  }
  if (hit.kind === 'late') {
    return [
      { text: hit.count === 1 ? 'late audio event' : `${hit.count} late audio events`, cls: 'tip-title' },
      {
        text: `near ${fmt(hit.t)}: arrived after its audio time, played at once (up to ${ms(hit.worst)} late)`,
        cls: 'tip-late',
      },
    ];
  }
  if (hit.kind === 'behind') {
    return [
      { text: `engine behind by ${ms(hit.behind)}`, cls: 'tip-title' },
      { text: `at ${fmt(hit.t)}: the work could not keep up with the clock, which skipped ${ms(hit.skipped)} ahead`, cls: 'tip-behind' },
    ];
  }
  if (hit.kind === 'swap') {
    return [
      { text: `live ${hit.name}: a new body from here`, cls: 'tip-title' },
      { text: `at ${fmt(hit.t)}: ${hit.text}` },
    ];
  }
  if (hit.kind === 'header') {
    return [{ text: `${hit.lane.name}: ${hit.lane.tasks.length} tasks · click to open or close`, cls: 'tip-title' }];
  }
  return [
    { text: `loop lag in ${hit.lane.name}`, cls: 'tip-title' },
    { text: `at ${fmt(hit.t)}: a resumption ran ${ms(hit.late)} late (the host was busy)`, cls: 'tip-lag' },
  ];
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)} ms`;
}

/** The detail card of a selected task; `lineOf` finds the text of a source's line, when known. */
export function describeTask(task: TaskRecord, lineOf: (source: string, line: number) => string | undefined): TextLine[] {
  const out: TextLine[] = [
    { text: taskLabel(task), cls: 'tip-title' },
    { text: `${identity(task)} · ${STATE_NAMES[task.state]}`, cls: 'tip-state', colour: STATE_COLOURS[task.state] },
  ];
  const pos = task.diagnostic ?? task.pos;
  if (pos) {
    const text = lineOf(pos.source, pos.line);
    if (text !== undefined) out.push({ text: `${pos.line} | ${text}`, cls: 'source-line' });
  }
  if (task.diagnostic) out.push({ text: task.diagnostic.message, cls: 'tip-error' });
  if (task.error) out.push({ text: task.error, cls: 'tip-error' });
  return [...out, ...relations(task)];
}

/** Who a task awaited, who awaited it, and which cancellations its end caused or caused it, in words. */
function relations(task: TaskRecord): TextLine[] {
  const out: TextLine[] = [];
  const name = (t: TaskRecord) => `${t.alias ?? `#${t.id}`} ${t.name}`;
  const list = (tasks: readonly TaskRecord[]) => {
    const shown = tasks.slice(0, 4).map(name).join(', ');
    return tasks.length > 4 ? `${shown} and ${tasks.length - 4} more` : shown;
  };
  const last = task.waits?.[task.waits.length - 1];
  if (last) out.push({ text: `awaits ${list(last.to)}`, cls: 'tip-wait' });
  const by = task.waitedBy?.map((e) => e.from).filter((t, i, all) => all.indexOf(t) === i);
  if (by && by.length > 0) out.push({ text: `awaited by ${list(by)}`, cls: 'tip-dim' });
  if (task.cancels) out.push({ text: `its end cancelled ${list(task.cancels)}`, cls: 'tip-error' });
  if (task.cancelledBy) out.push({ text: `cancelled when ${name(task.cancelledBy)} ${STATE_NAMES[task.cancelledBy.state]}`, cls: 'tip-error' });
  return out;
}

function fmt(t: number): string {
  return `${t.toFixed(Math.abs(t) < 10 ? 3 : 2)}s`;
}
