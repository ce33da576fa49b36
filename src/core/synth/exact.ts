/**
 * The demo's own arithmetic, for `--exact`: one set of notes, mixed 0.8/N.
 * The order of operations is the demo's, because at samples where the sum of
 * sines is ~1e-12 (k = 2500, 5000 ... in commands.txt) any other order flips
 * the floor: c = 2*pi/rate first, then sin((k*c)*f), each term times 127
 * times 1/N, summed from 0 in the order the notes were added, then *0.8 + 127
 * and truncated. Checked against numpy (scripts/exact-fixture.py).
 */
import { writeSilence, type SampleArray } from './format';

/** The demo's tuning as it computes it: 16.35 * pow(pow(2, 1/12), n). */
export function demoFrequency(note: number): number {
  return 16.35 * Math.pow(Math.pow(2, 1 / 12), note);
}

/** The demo's mix at sample k: sum of sin((k*c)*f) * scale * (1/N), in the order given. */
function demoSum(freqs: readonly number[], k: number, c: number, scale: number, inverse: number): number {
  let sum = 0;
  for (let i = 0; i < freqs.length; i++) sum += Math.sin(k * c * freqs[i]) * scale * inverse;
  return sum;
}

/**
 * Samples k0 .. k0 + n - 1 of the demo's formula into `out` at `at`: its
 * unsigned 8-bit levels bit for bit; 16-bit and float with the same order of
 * operations at their own scale.
 */
export function writeExact(freqs: readonly number[], k0: number, n: number, rate: number, out: SampleArray, at: number): void {
  const count = freqs.length;
  if (count === 0) {
    writeSilence(n, out, at);
    return;
  }
  const c = (2 * Math.PI) / rate;
  const inverse = 1 / count;
  if (out instanceof Uint8Array) {
    for (let j = 0; j < n; j++) out[at + j] = Math.trunc(demoSum(freqs, k0 + j, c, 127, inverse) * 0.8 + 127);
  } else if (out instanceof Int16Array) {
    for (let j = 0; j < n; j++) out[at + j] = Math.round(demoSum(freqs, k0 + j, c, 32767, inverse) * 0.8);
  } else {
    for (let j = 0; j < n; j++) out[at + j] = demoSum(freqs, k0 + j, c, 1, inverse) * 0.8;
  }
}
