/**
 * Child process: offline rendering speed of a long script, end to end.
 *   node <compiled>/bench/workers/render.js <commandsFile> <repeats> <rate> <runs>
 * The demo's commands.txt is played `repeats` times in a row (its `quit` only at
 * the very end) by a Session on the virtual clock; the frequency stream's events
 * are rendered to a 16-bit WAV in memory. Prints one JSON line: audio seconds
 * and, per run, the seconds spent running the script and rendering.
 */
import { readFileSync } from 'node:fs';
import { Session } from '../../src/core/session';
import type { StreamEvent } from '../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../src/core/synth';

const [file = 'resources/commands.txt', repeatsArg = '60', rateArg = '48000', runsArg = '5'] = process.argv.slice(2);
const repeats = Number(repeatsArg);
const rate = Number(rateArg);
const runs = Number(runsArg);

const body = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== 'quit');
const script = [...Array.from({ length: repeats }, () => body.join('\n')), 'quit', ''].join('\n');

function once(): { scriptS: number; renderS: number; audioS: number; bytes: number; changes: number } {
  const t0 = performance.now();
  const session = new Session();
  const events: StreamEvent[] = [];
  session.stream.subscribe((event) => events.push(event));
  const loaded = session.loadScript('commands.txt', script);
  if (loaded.diagnostics.length > 0) throw new Error(`the script did not parse: ${JSON.stringify(loaded.diagnostics[0])}`);
  session.scheduler.runUntilIdle();
  const { changes, endNs } = changesFromStreamEvents(events);
  if (endNs === null) throw new Error('the script did not end its stream');
  const t1 = performance.now();
  const wav = renderToWav(changes, endNs, { rate });
  const t2 = performance.now();
  return { scriptS: (t1 - t0) / 1000, renderS: (t2 - t1) / 1000, audioS: endNs / 1e9, bytes: wav.length, changes: changes.length };
}

once(); // warm-up
const results = Array.from({ length: runs }, once);
console.log(JSON.stringify({
  repeats,
  rate,
  audioS: results[0].audioS,
  bytes: results[0].bytes,
  changes: results[0].changes,
  scriptS: results.map((r) => r.scriptS),
  renderS: results.map((r) => r.renderS),
}));
