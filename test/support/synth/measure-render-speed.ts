/**
 * How fast the synth renders: a 10-minute script (the demo's schedule played
 * 60 times over, up to 4 notes at once) to a 48 kHz 16-bit WAV.
 * Run: npx tsx test/support/synth/measure-render-speed.ts
 */
import { renderToPcm8, renderToWav } from '../../../src/core/synth';
import { secondsToNs } from '../../../src/core/time';
import { DEMO_END_S, demoChanges } from './demo-schedule';

const repeats = 60;
const changes = Array.from({ length: repeats }, (_, i) => demoChanges(i * DEMO_END_S)).flat();
const endNs = secondsToNs(repeats * DEMO_END_S);
const seconds = repeats * DEMO_END_S;

function time(label: string, rate: number, run: () => Uint8Array): void {
  run(); // warm up the JIT
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    bytes = run().length;
    runs.push((performance.now() - t0) / 1000);
  }
  const best = Math.min(...runs);
  const samples = seconds * rate;
  console.log(
    `${label}: ${seconds.toFixed(1)} s of audio, ${(samples / 1e6).toFixed(2)}M samples, ${bytes} bytes; ` +
      `best of 3 ${best.toFixed(3)} s = ${(samples / best / 1e6).toFixed(1)}M samples/s = ${(seconds / best).toFixed(0)}x real time`,
  );
}

time('wav 48 kHz s16, declicked', 48000, () => renderToWav(changes, endNs, { rate: 48000 }));
// Denser: eight notes at once, the set changing every 100 ms (6000 crossfades).
const dense = Array.from({ length: 6030 }, (_, i) => ({
  ns: secondsToNs(i / 10),
  freqs: Array.from({ length: 8 }, (_, j) => 16.35 * 2 ** ((48 + ((i + 3 * j) % 36)) / 12)),
}));
time('wav 48 kHz s16, declicked, 8 notes, a change every 100 ms', 48000, () => renderToWav(dense, endNs, { rate: 48000 }));
time('wav 48 kHz s16, exact (Math.sin)', 48000, () => renderToWav(changes, endNs, { rate: 48000, exact: true }));
time('pcm8 8 kHz, exact (demo)', 8000, () => renderToPcm8(changes, endNs, { exact: true }));
