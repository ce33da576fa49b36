import { explore, firstDeparture, type Exploration, type ExploredOutcome } from '../../core/debug/explorer';
import { describeTask, formatSeconds } from '../../core/debug/inspect';
import { describeEnd, type Outcome, type TaskEnd } from '../../core/debug/outcome';
import type { Session } from '../../core/session/session';
import { secondsToNs } from '../../core/time';
import { DiagnosticPrinter } from './diagnostic-printer';
import { loadScript, type ScriptFile } from './inputs';

/** How many deviating choices, ends or sound changes an outcome lists before it says "and N more". */
const SHOWN = 6;

/**
 * `corotone SCRIPT --interleavings [--budget N]`: the script run under the
 * other orders of its same-instant ready tasks (core/debug/explorer.ts); each
 * distinct outcome printed with the order that makes it and where it parts
 * from asyncio's, then `interleavings: N orders run, K distinct outcomes`.
 */
export function runInterleavings(files: ScriptFile[], budget: number, limitSeconds: number, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): number {
  let first = true;
  const load = (session: Session): void => {
    // The script's errors are printed once, by the first run.
    if (first) {
      const printer = new DiagnosticPrinter((text) => void io.stderr.write(text));
      session.subscribe((event) => event.type === 'diagnostic' && printer.print(event.diagnostic));
      first = false;
    }
    for (const file of files) loadScript(session, file);
  };
  const result = explore(load, { budget, limitNs: secondsToNs(limitSeconds) });
  io.stdout.write(`${describeExploration(result).join('\n')}\n`);
  return 0;
}

export function describeExploration(result: Exploration): string[] {
  const lines: string[] = [];
  const [fifo] = result.outcomes;
  result.outcomes.forEach((o, i) => {
    const share = `${o.runs} of ${result.runs} order${result.runs === 1 ? '' : 's'}`;
    lines.push(`outcome ${i + 1}${i === 0 ? ", asyncio's order (first in, first out)" : ''}: ${share}`);
    lines.push(`  ${summarise(o.outcome)}`);
    if (i > 0) lines.push(...describeDifference(o, fifo));
  });
  if (result.unexplored > 0) lines.push(`budget spent: ${result.unexplored} more order${result.unexplored === 1 ? '' : 's'} could matter (raise --budget)`);
  lines.push(`interleavings: ${result.runs} order${result.runs === 1 ? '' : 's'} run, ${result.outcomes.length} distinct outcome${result.outcomes.length === 1 ? '' : 's'}`);
  return lines;
}

/** An outcome in one line: how the notes changed and how its tasks ended. */
export function summarise(outcome: Outcome): string {
  const count = (state: TaskEnd['state']) => outcome.ends.filter((e) => e.state === state).length;
  const last = outcome.sound.at(-1);
  const sound = last === undefined ? 'no notes' : `${outcome.sound.length} changes of the notes, the last at ${formatSeconds(last.t)}`;
  return `${sound}; tasks: ${count('done')} done, ${count('failed')} failed, ${count('cancelled')} cancelled`;
}

/** The order that makes `o`, where it parts from asyncio's, and what comes out otherwise. */
function describeDifference(o: ExploredOutcome, fifo: ExploredOutcome): string[] {
  const lines: string[] = [];
  const part = firstDeparture(o.decisions);
  if (part !== null) {
    lines.push(`  parts from outcome 1 at ${formatSeconds(part.t)}: ${describeTask(part.ran)} ran before ${describeTask(part.fifo)}`);
  }
  const order = o.decisions.filter((d) => d.choice !== 0);
  lines.push('  the order that makes it:');
  for (const d of order.slice(0, SHOWN)) lines.push(`    at ${formatSeconds(d.t)} run ${describeTask(d.ran)} first (of ${d.readyCount} ready)`);
  if (order.length > SHOWN) lines.push(`    ... and ${order.length - SHOWN} more choices`);
  lines.push(...outcomeDifferences(o.outcome, fifo.outcome).map((line) => `  ${line}`));
  return lines;
}

/** What comes out otherwise than in `fifo`: the first change of the notes that differs, then the ends only one of them has. */
export function outcomeDifferences(o: Outcome, fifo: Outcome): string[] {
  const lines: string[] = [];
  const sound = firstSoundDifference(o, fifo);
  if (sound !== null) lines.push(`sound: ${sound}`);
  const { only, missing } = endDifference(o.ends, fifo.ends);
  for (const e of only.slice(0, SHOWN)) lines.push(`+ ${describeEnd(e)}`);
  for (const e of missing.slice(0, SHOWN)) lines.push(`- ${describeEnd(e)} (as in outcome 1)`);
  const more = Math.max(0, only.length - SHOWN) + Math.max(0, missing.length - SHOWN);
  if (more > 0) lines.push(`... and ${more} more differences in how tasks ended`);
  return lines;
}

function firstSoundDifference(a: Outcome, b: Outcome): string | null {
  const n = Math.max(a.sound.length, b.sound.length);
  const show = (x: { t: number; notes: number[] } | undefined) => (x === undefined ? 'no change' : `${x.notes.length === 0 ? 'silence' : `notes ${x.notes.join(' ')}`} at ${formatSeconds(x.t)}`);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a.sound[i], b.sound[i]];
    if (x === undefined || y === undefined || x.t !== y.t || x.notes.join() !== y.notes.join()) return `${show(x)} where outcome 1 has ${show(y)}`;
  }
  return null;
}

/** The ends in `a` and not in `b` (as a multiset), and those in `b` and not in `a`. */
function endDifference(a: TaskEnd[], b: TaskEnd[]): { only: TaskEnd[]; missing: TaskEnd[] } {
  const key = (e: TaskEnd) => `${e.path}\u0000${e.state}\u0000${e.t}`;
  const take = (from: TaskEnd[], minus: TaskEnd[]): TaskEnd[] => {
    const counts = new Map<string, number>();
    for (const e of minus) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
    return from.filter((e) => {
      const c = counts.get(key(e)) ?? 0;
      if (c === 0) return true;
      counts.set(key(e), c - 1);
      return false;
    });
  };
  return { only: take(a, b), missing: take(b, a) };
}
