/**
 * Parsing scripts as the engine runs: in slices of at most the host's budget
 * of wall time (PUMP_SLICE_MS, the real clock's own), letting the event loop in
 * between, so a script of half a million bad lines no longer holds the host
 * (its sockets, its engine's timers, other requests) for seconds.
 *
 * Scripts parsed at once share the slices, taking turns: the host's thread is
 * one, so four parses must not each take a slice in the same turn of the loop.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScriptParse } from '../../core/language/script-parse';
import { PUMP_SLICE_MS } from '../../core/scheduler/limits';

/** Lines parsed between two looks at the clock, and per turn of a script (a line takes some microseconds). */
const LINES_PER_CHECK = 32;

interface Job {
  script: ScriptParse;
  done: () => void;
  failed: (error: unknown) => void;
}

const jobs: Job[] = [];
let driving = false;

/** Parse `script` to its end, in the thread's shared slices. */
export function parseInSlices(script: ScriptParse): Promise<void> {
  return new Promise((done, failed) => {
    jobs.push({ script, done, failed });
    if (!driving) void drive();
  });
}

async function drive(): Promise<void> {
  driving = true;
  try {
    while (jobs.length > 0) {
      const end = performance.now() + PUMP_SLICE_MS;
      while (jobs.length > 0 && performance.now() < end) stepNext();
      await nextTurn();
    }
  } finally {
    driving = false;
  }
}

/** A few lines of the first script waiting, which then goes to the back of the line (or is done). */
function stepNext(): void {
  const job = jobs.shift()!;
  try {
    for (let n = 0; n < LINES_PER_CHECK && job.script.step(); n++);
  } catch (error) {
    job.failed(error);
    return;
  }
  if (job.script.done) job.done();
  else jobs.push(job);
}
