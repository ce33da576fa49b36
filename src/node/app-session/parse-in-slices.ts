/**
 * Parsing a script as the engine runs: in slices of at most the host's budget
 * of wall time (PUMP_SLICE_MS, the real clock's own), letting the event loop in
 * between, so a script of half a million bad lines no longer holds the host
 * (its sockets, its engine's timers, other requests) for seconds.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScriptParse } from '../../core/language/script-parse';
import { PUMP_SLICE_MS } from '../../core/scheduler/limits';

/** Lines parsed between two looks at the clock (a look costs a system call; a line some microseconds). */
const LINES_PER_CHECK = 32;

export async function parseInSlices(script: ScriptParse, sliceMs = PUMP_SLICE_MS): Promise<void> {
  for (;;) {
    const end = performance.now() + sliceMs;
    for (let n = 1; script.step(); n++) {
      if (n % LINES_PER_CHECK === 0 && performance.now() >= end) break;
    }
    if (script.done) return;
    await nextTurn();
  }
}
