import { Session, type SessionConfig, type SessionEvent } from '../../../src/core/session';

/** A session on the virtual clock with every event recorded, and ways to ask about them. */
export function play(lines: string[] | string, config: SessionConfig = {}, name = 's.txt') {
  const session = new Session(config);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const load = (text: string[] | string, source = name) => session.loadScript(source, Array.isArray(text) ? text.join('\n') : text);
  load(lines);
  const run = (limit?: number) => session.scheduler.runUntilIdle(limit);
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  /** `t:notes` for every change of the sounding set. */
  const notes = () => of('notes').map((e) => `${e.t}:${e.notes.join(',')}`);
  const created = (name: string) => of('task-created').filter((e) => e.name === name);
  const task = (name: string) => {
    const found = created(name);
    if (found.length === 0) throw new Error(`no task named ${JSON.stringify(name)}; tasks: ${of('task-created').map((e) => e.name).join(' | ')}`);
    return found[0];
  };
  /** How a task ended and when: `done@2`. */
  const end = (id: number) => {
    const e = events.find((x) => 'id' in x && x.id === id && /^task-(done|failed|cancelled)$/.test(x.type));
    return e === undefined ? 'running' : `${e.type.slice(5)}@${e.t}`;
  };
  const outputs = () => of('output').map((e) => e.text);
  const diagnostics = () => of('diagnostic').map((e) => e.diagnostic);
  return { session, events, load, run, of, notes, created, task, end, outputs, diagnostics };
}
