import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, type SessionEvent } from '../../../src/core/session';

export const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/examples');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES).filter((f) => f.endsWith('.txt')).sort();
}

/** Every lesson and the demo's commands.txt, as paths from the repository's root (the renders and exports of the tests run each). */
export function lessonPaths(): string[] {
  return [...exampleFiles().map((name) => `resources/examples/${name}`), 'resources/commands.txt'];
}

export function readExample(file: string): string {
  return readFileSync(path.join(EXAMPLES, file), 'utf8');
}

type Created = Extract<SessionEvent, { type: 'task-created' }>;

/** A task as the timeline sees it: when it started and ended, and how. */
export interface Span {
  id: number;
  name: string;
  kind: string;
  parent: number | null;
  line: number | null;
  start: number;
  end: number;
  how: 'done' | 'failed' | 'cancelled' | 'running';
}

/** Runs a script on the virtual clock (to its end, or to `until`) and answers questions about its events. */
export function runScript(text: string, name: string, until = 600) {
  const session = new Session();
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript(name, text);
  session.scheduler.runUntilIdle(until);
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  const spans: Span[] = of('task-created').map((c: Created) => {
    const ended = events.find((e) => 'id' in e && e.id === c.id && /^task-(done|failed|cancelled)$/.test(e.type));
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      parent: c.parent,
      line: c.pos?.line ?? null,
      start: c.t,
      end: ended?.t ?? Infinity,
      how: ended === undefined ? 'running' : (ended.type.slice(5) as Span['how']),
    };
  });
  const spansNamed = (taskName: string) => spans.filter((s) => s.name === taskName);
  const line = (taskName: string) => {
    const found = spans.find((s) => s.kind === 'line' && s.name === taskName);
    if (found === undefined) throw new Error(`no line ${JSON.stringify(taskName)}`);
    return found;
  };
  const childrenOf = (span: Span) => spans.filter((s) => s.parent === span.id);
  const notes = of('notes').map((e) => ({ t: e.t, notes: e.notes }));
  /** The notes sounding at time t (after the changes at t). */
  const soundingAt = (t: number) => [...notes].reverse().find((n) => n.t <= t)?.notes ?? [];
  return { session, events, of, spans, spansNamed, line, childrenOf, notes, soundingAt };
}

export function runExample(file: string, until?: number) {
  return runScript(readExample(file), file, until);
}

export const duration = (span: Span) => span.end - span.start;

export function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}
