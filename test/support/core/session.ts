import { Session, type SessionConfig, type SessionEvent } from '../../../src/core/session';

/** A session on the virtual clock with every event recorded, and ways to ask about them (what a user's tool sees). */
export function harness(config: SessionConfig = {}, name = 's.txt') {
  const session = new Session(config);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const load = (text: string[] | string, source = name) => session.loadScript(source, Array.isArray(text) ? text.join('\n') : text);
  const run = (limit?: number) => session.scheduler.runUntilIdle(limit);
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  /** `t:notes` for every change of the sounding set. */
  const notes = () => of('notes').map((e) => `${e.t}:${e.notes.join(',')}`);
  const created = (name: string) => of('task-created').filter((e) => e.name === name);
  /** The first task created with this name, if any. */
  const taskNamed = (name: string) => created(name)[0];
  /** The first task created with this name (it must exist). */
  const task = (name: string) => {
    const found = created(name);
    if (found.length === 0) throw new Error(`no task named ${JSON.stringify(name)}; tasks: ${of('task-created').map((e) => e.name).join(' | ')}`);
    return found[0];
  };
  /** The event that ended a task, if it has ended. */
  const endOf = (id: number) => events.find((x) => 'id' in x && x.id === id && /^task-(done|failed|cancelled)$/.test(x.type));
  /** How a task ended and when: `done@2`. */
  const end = (id: number) => {
    const e = endOf(id);
    return e === undefined ? 'running' : `${e.type.slice(5)}@${e.t}`;
  };
  const outputs = () => of('output').map((e) => e.text);
  const diagnostics = () => of('diagnostic').map((e) => e.diagnostic);
  return { session, events, load, run, of, notes, created, taskNamed, task, endOf, end, outputs, diagnostics };
}

/** `harness` with a script loaded. */
export function play(lines: string[] | string, config: SessionConfig = {}, name = 's.txt') {
  const h = harness(config, name);
  h.load(lines);
  return h;
}
