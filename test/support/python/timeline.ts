import type { SessionEvent } from '../../../src/core/session';

/** The events both programs print, as parsed JSON (the Python's are a subset of the schema). */
type Event = { type: string; t: number; id?: number; parent?: number | null; kind?: string; notes?: number[]; on?: { kind: string; ids?: number[] } };

/**
 * What a listener hears and sees of a run, comparable between corotone and the
 * exported Python: every change of the sounding notes (`t:notes`), and every
 * task that is an asyncio task in the Python (a source, a spawned task, a part
 * of gather, group, settle or race) with when it was created and how and when it
 * ended. A task is named by its place in the tree (`1.2`: the second such task
 * started by the first), so ids that count other tasks do not matter.
 *
 * corotone also runs each line, each `;`-part of eval, each phrase call and each
 * timeout's body and timer as a task of its own (for its timeline); in asyncio
 * those are awaits in the running task, so they are left out here.
 */
export function timeline(events: readonly Event[], keep: (created: Event, partIds: Set<number>) => boolean): { notes: string[]; tasks: string[] } {
  const notes = events.filter((e) => e.type === 'notes').map((e) => `${e.t}:${e.notes!.join(',')}`);
  const timers = new Set(events.filter((e) => e.type === 'task-created' && e.kind === 'timer').map((e) => e.id!));
  const partIds = new Set<number>();
  for (const e of events) {
    if (e.type === 'task-waiting' && e.on?.kind === 'tasks' && !e.on.ids!.some((id) => timers.has(id))) for (const id of e.on.ids!) partIds.add(id);
  }
  const parentOf = new Map<number, number | null>();
  const kept = new Map<number, string>();
  const children = new Map<string, number>();
  const rows = new Map<number, { created: number; end: string }>();
  for (const e of events) {
    if (e.type !== 'task-created') continue;
    parentOf.set(e.id!, e.parent ?? null);
    if (!keep(e, partIds)) continue;
    let parent = e.parent ?? null;
    while (parent !== null && !kept.has(parent)) parent = parentOf.get(parent) ?? null;
    const prefix = parent === null ? '' : `${kept.get(parent)!}.`;
    const index = (children.get(prefix) ?? 0) + 1;
    children.set(prefix, index);
    kept.set(e.id!, `${prefix}${index}`);
    rows.set(e.id!, { created: e.t, end: 'running' });
  }
  for (const e of events) {
    const row = e.id === undefined ? undefined : rows.get(e.id);
    if (row !== undefined && /^task-(done|failed|cancelled)$/.test(e.type)) row.end = `${e.type.slice(5)}@${e.t}`;
  }
  const tasks = [...rows].map(([id, row]) => `${kept.get(id)!} created@${row.created} ${row.end}`).sort();
  return { notes, tasks };
}

/**
 * corotone's tasks that asyncio has too. A phrase called as a `;`-part is one:
 * corotone runs it as a task inside its caller's, and so does the Python
 * (`await asyncio.create_task(phrase())`); a timeout's body is not.
 */
export function corotoneTimeline(events: readonly SessionEvent[], phraseNames: readonly string[]) {
  const names = new Set(phraseNames.map((n) => n.toLowerCase()));
  const watched = new Set<number>();
  for (const e of events) if (e.type === 'task-waiting' && e.on.kind === 'tasks') for (const id of e.on.ids) watched.add(id);
  return timeline(
    events as unknown as Event[],
    (e, parts) => e.kind === 'source' || e.kind === 'spawned' || parts.has(e.id!) || (e.kind === 'command' && !watched.has(e.id!) && names.has(String((e as { name?: string }).name).toLowerCase())),
  );
}

/** The phrases a script defines (`def NAME ...`). */
export function phraseNames(text: string): string[] {
  return [...text.matchAll(/^\s*def\s+(\S+)/gim)].map((m) => m[1]);
}

/** The exported Python prints only asyncio's tasks. */
export function pythonTimeline(jsonLines: string) {
  const events = jsonLines.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Event);
  return timeline(events, () => true);
}
