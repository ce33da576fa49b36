/**
 * The `explore` request: the interleaving explorer (core/debug/explorer.ts)
 * run on a script the page sends (the editor's tab, a lesson). Each distinct
 * outcome comes back with the order that makes it, how many orders led to it,
 * where it parts from asyncio's order, and the session events of the first
 * run that made it, so that the page can draw its timeline and play it.
 *
 * It runs on the host's thread, on the virtual clock, within a budget of runs
 * and a logical time limit per run (see EXPLORE_LIMITS), in slices between
 * which the host's other work goes on.
 */
import { exploring, firstDeparture, type ExploredOutcome } from '../../core/debug/explorer';
import { describeTask } from '../../core/debug/inspect';
import { OutcomeRecorder } from '../../core/debug/outcome';
import type { SessionEvent } from '../../core/session/api';
import { Session } from '../../core/session/session';
import { secondsToNs } from '../../core/time';
import { EXPLORE_LIMITS, type ReplyOf, type ResultOf } from '../../protocol';
import { outcomeDifferences, summarise } from '../cli/interleavings';
import { parseInSlices } from './parse-in-slices';
import { notPlayed } from './scripts';

/** The diagnostics a reply carries at most (the rest are counted). */
const SHOWN_DIAGNOSTICS = 50;

/** Wall time (ms) the explorer runs before the host's other work gets a turn (live play, requests). */
export const EXPLORE_SLICE_MS = 10;

/** The `explore` request's answer: a script with errors is not explored, and its errors are located. */
export async function exploreRequest(name: string, text: string, budget: number): Promise<ReplyOf<'explore'>> {
  // Checked first, in the host's shared slices (a long script of errors would hold the host for seconds).
  const check = new Session({ recentEvents: 0 }).parseScript(name, text, { maxDiagnostics: SHOWN_DIAGNOSTICS, linesOnlyIfClean: true });
  await parseInSlices(check);
  if (check.errorCount > 0) {
    const error = notPlayed(name, check.diagnostics, check.more);
    return { ok: false, error: { ...error, message: error.message.replace('not played', 'not explored') } };
  }
  return { ok: true, value: await exploreScript(name, text, budget) };
}

export type ExploreReply = ResultOf<'explore'>;
type OutcomeReply = ExploreReply['outcomes'][number];

/**
 * Run `text` (as source `name`) under the orders of its same-instant ready
 * tasks, up to `budget` runs: on the host's thread, in slices of about
 * EXPLORE_SLICE_MS (a run is never cut), so live play goes on meanwhile.
 */
export async function exploreScript(name: string, text: string, budget: number): Promise<ExploreReply> {
  const firstEvents = new Map<string, SessionEvent[]>();
  let current: { recorder: OutcomeRecorder; events: SessionEvent[] } | null = null;
  // The runs come one after another: a run is over when the next one loads (or explore returns).
  const finish = (): void => {
    if (current === null) return;
    const { key } = current.recorder.outcome();
    if (!firstEvents.has(key)) firstEvents.set(key, current.events);
    current = null;
  };
  const load = (session: Session): void => {
    finish();
    const run = { recorder: new OutcomeRecorder(session), events: [] as SessionEvent[] };
    session.subscribe((event) => void run.events.push(event));
    current = run;
    session.loadScript(name, text);
  };
  const runs = exploring(load, { budget, limitNs: secondsToNs(EXPLORE_LIMITS.seconds) });
  let slice = performance.now();
  let next = runs.next();
  while (next.done !== true) {
    if (performance.now() - slice >= EXPLORE_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    next = runs.next();
  }
  const result = next.value;
  finish();
  const [fifo] = result.outcomes;
  const outcomes = result.outcomes.slice(0, EXPLORE_LIMITS.outcomes).map((o, i) => outcomeReply(o, i === 0 ? null : fifo, i < EXPLORE_LIMITS.drawnOutcomes ? firstEvents.get(o.outcome.key) ?? [] : []));
  const k = result.outcomes.length;
  return {
    runs: result.runs,
    distinct: k,
    unexplored: result.unexplored,
    summary: `interleavings: ${result.runs} order${result.runs === 1 ? '' : 's'} run, ${k} distinct outcome${k === 1 ? '' : 's'}`,
    outcomes,
  };
}

function outcomeReply(o: ExploredOutcome, fifo: ExploredOutcome | null, events: SessionEvent[]): OutcomeReply {
  const part = firstDeparture(o.decisions);
  const order = o.decisions.filter((d) => d.choice !== 0);
  const kept = events.slice(0, EXPLORE_LIMITS.events);
  return {
    runs: o.runs,
    summary: summarise(o.outcome),
    parting: part === null ? null : { t: part.t, ran: describeTask(part.ran), fifo: describeTask(part.fifo) },
    order: order.slice(0, EXPLORE_LIMITS.orderShown).map((d) => ({ t: d.t, ran: describeTask(d.ran), ready: d.readyCount })),
    moreOrder: Math.max(0, order.length - EXPLORE_LIMITS.orderShown),
    differences: fifo === null ? [] : outcomeDifferences(o.outcome, fifo.outcome),
    sound: o.outcome.sound.slice(0, EXPLORE_LIMITS.events),
    events: kept,
    eventsLeftOut: events.length - kept.length,
  };
}
