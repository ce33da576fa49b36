/**
 * Replay from here, on the host: rebuild the session at a moment from its
 * recorded inputs (EngineLifetime.rebuild, offline on the virtual clock),
 * check it against the history the host kept (core/debug/replay-check.ts),
 * and only if they are equal swap it in as the session's engine, driven on
 * the real clock from that moment (paused there, for a debugger, or not).
 * The views are given the history up to the moment and a snapshot; what
 * follows comes as events from the new engine.
 */
import { compareMoment, eventsUpTo } from '../../core/debug/replay-check';
import type { SessionEvent } from '../../core/session/api';
import { nsToSeconds } from '../../core/time';
import { TERMINAL_SOURCE, type ReplyOf } from '../../protocol';
import type { RebuildRequest } from './engine';
import type { EngineLifetime, RebuiltEngine } from './engine-lifetime';
import type { Views } from './views';

export interface ReplayHost {
  lifetime: EngineLifetime;
  views: Views;
  /**
   * After the swap: type into the terminal source the rebuild left open (its
   * handle's index and task, or null), and record what was typed into it up
   * to the moment (for save-session).
   */
  adoptTerminal(open: { index: number; taskId: number } | null, typed: TypedLine[], events: readonly SessionEvent[]): void;
  /** Tell the views (a snapshot each) that the session goes on from the moment. */
  resend(): void;
  /** Give the rebuilt session what its inputs do not carry, before they replay (RebuildRequest.prepare). */
  prepare?: RebuildRequest['prepare'];
}

/** How many differences a refusal lists (its message stays readable). */
const SHOWN_DIFFERENCES = 6;

export function replayFrom(host: ReplayHost, t: number, paused: boolean): ReplyOf<'replay-from'> {
  const { lifetime, views } = host;
  const now = lifetime.now();
  if (t > now) return failed(`t = ${t} s is after the session's present (${round(now)} s): pick a moment of the timeline up to now`);
  if (views.history.dropped > 0) {
    return failed(`the history has dropped its oldest ${views.history.dropped.toLocaleString('en-US')} events (its cap): the rebuild could not be checked, so it is not replayed`);
  }
  if (!lifetime.inputs.covers(t)) return failed(`the session's inputs are over the cap (${lifetime.inputs.cap.toLocaleString('en-US')}) by t = ${t} s: a later moment cannot be rebuilt`);
  const started = performance.now();
  const rebuilt = lifetime.rebuild(t, host.prepare);
  const rebuildMs = performance.now() - started;
  if (rebuilt === null) return { ok: false, error: { code: 'unavailable', message: 'this engine cannot be rebuilt' } };
  const original = views.history.slice(0);
  const differences = compareMoment(original, rebuilt.built.rebuilt.events, rebuilt.built.session.snapshot(), rebuilt.atNs);
  if (differences.length > 0) {
    lifetime.discard(rebuilt);
    const shown = differences.slice(0, SHOWN_DIFFERENCES);
    const more = differences.length > shown.length ? `; and ${differences.length - shown.length} more` : '';
    return failed(`replay from t = ${t} s: the rebuild differs from the original, so the session goes on as it was: ${shown.join('; ')}${more}`);
  }
  const terminal = openTerminal(rebuilt);
  lifetime.swapIn(rebuilt, paused);
  // The views' timeline: the original's events up to the moment (wall stamps and lag marks as they were seen).
  views.restart(upTo(original, t));
  host.adoptTerminal(terminal, typedLines(rebuilt), rebuilt.built.rebuilt.events);
  views.publish({ type: 'replayed', t, paused });
  host.resend();
  return { ok: true, value: { t, paused, inputs: rebuilt.inputs.length, rebuildMs } };
}

/** Every event at or before `t` (lag marks included: what the views showed). */
function upTo(events: readonly SessionEvent[], t: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const e of events) if (e.t <= t) out.push(e);
  return out;
}

/** A line typed into the terminal: its text, its logical time (s), and how many of the rebuild's events came before it. */
export interface TypedLine {
  text: string;
  t: number;
  after: number;
}

/** The lines typed into the terminal up to the moment. */
function typedLines(rebuilt: RebuiltEngine): TypedLine[] {
  const terminals = new Set<number>();
  const lines: TypedLine[] = [];
  const { inputAt } = rebuilt.built.rebuilt;
  let opened = 0;
  rebuilt.inputs.forEach(({ ns, input }, i) => {
    if (input.kind === 'open-source' && input.name === TERMINAL_SOURCE) terminals.add(opened);
    if (input.kind === 'open-source') opened++;
    if (input.kind === 'push-line' && terminals.has(input.handle)) lines.push({ text: input.text, t: nsToSeconds(ns), after: inputAt[i] });
  });
  return lines;
}

/** The terminal source the rebuild left open, if any: its handle's index among the opened sources, and its task. */
function openTerminal(rebuilt: RebuiltEngine): { index: number; taskId: number } | null {
  let index = -1;
  let opened = 0;
  for (const { input } of rebuilt.inputs) {
    if (input.kind !== 'open-source') continue;
    if (input.name === TERMINAL_SOURCE) index = opened;
    opened++;
  }
  if (index < 0) return null;
  const events = eventsUpTo(rebuilt.built.rebuilt.events, rebuilt.atNs);
  const last = events.filter((e) => e.type === 'source-opened' && e.source === TERMINAL_SOURCE).pop();
  if (last === undefined || last.type !== 'source-opened') return null;
  const live = rebuilt.built.session.snapshot().tasks.some((task) => task.id === last.taskId);
  return live ? { index, taskId: last.taskId } : null;
}

function failed(message: string): ReplyOf<'replay-from'> {
  return { ok: false, error: { code: 'failed', message } };
}

function round(t: number): number {
  return Math.round(t * 1000) / 1000;
}
