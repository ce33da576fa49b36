/**
 * The voice mix's fast loops (issue 19's groove) are the plain arithmetic's
 * bits: a voice mixed through its attack, sustain and release in one call
 * gives, sample for sample, gainAt(k) times its wave read as lookup reads it
 * with the phase wrapped by Math.floor each sample; a chord of four held
 * sines mixed in one pass gives what four passes give. A change of
 * arithmetic fails these (renders would no longer be the same bytes).
 */
import { describe, expect, it } from 'vitest';
import { lookup, waveTable } from '../../../src/core/synth/oscillator';
import { anchor, gainAt, mixQuad, mixShaped, mixSteady, wideHit, type Voice } from '../../../src/core/synth/voice-mix';
import { drumHit } from '../../../src/core/synth/drum-kit';
import type { Timbre } from '../../../src/core/stream/voice';

const RATE = 48000;

/** A voice of `timbre` at `freq` from sample `start`, released at `releaseAt`, with an attack, a decay to 0.6 and a release. */
function voice(timbre: Timbre, freq: number, start: number, releaseAt: number): Voice {
  const w = (2 * Math.PI * freq) / RATE;
  const v: Voice = {
    id: 1, freq, level: 0.1, timbre, attack: 480, decay: 960, sustain: 0.6, release: 1200, start, releaseAt, releaseFrom: 0.06,
    sin: 0, cos: 1, stepCos: Math.cos(w), stepSin: Math.sin(w), phase: 0, inc: freq / RATE,
    table: timbre === 'sine' ? null : waveTable(timbre as 'sawtooth' | 'square' | 'triangle', freq, RATE),
    modPhase: 0, modInc: 0, offset: timbre === 'sine' ? 0 : 0.01, reach: 1, bus: null, hit: null, loop: false, panned: false, gainLeft: 1, gainRight: 1,
  };
  anchor(v, start, RATE);
  return v;
}

/** The plain arithmetic: the gain of each sample times the wave, the table's phase wrapped by Math.floor every sample. */
function plainTable(v: Voice, k0: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let phase = v.phase;
  for (let j = 0; j < n; j++) {
    const w = lookup(v.table!, phase) - v.offset;
    phase += v.inc;
    phase -= Math.floor(phase);
    out[j] += gainAt(v, k0 + j) * w;
  }
  return out;
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const found: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) found.push(i);
  return found;
}

describe('the voice mix', () => {
  it('mixes a table timbre through attack, sustain and release to the plain arithmetic\'s bits', () => {
    for (const timbre of ['sawtooth', 'square', 'triangle'] as const) {
      const start = 100;
      const releaseAt = 5000;
      const expected = plainTable(voice(timbre, 98, start, releaseAt), 0, 7000);
      const v = voice(timbre, 98, start, releaseAt);
      const got = new Float64Array(7000);
      // chunks as a render cuts them: at changes and block edges, so some hold one segment and some several
      for (let k0 = 0; k0 < 7000; k0 += 512) {
        const n = Math.min(512, 7000 - k0);
        mixShaped(got.subarray(k0, k0 + n), n, v, k0);
      }
      expect(differences(got, expected)).toEqual([]);
      const peak = (from: number, to: number) => Math.max(...got.subarray(from, to).map(Math.abs));
      expect(peak(3000, 4000)).toBeGreaterThan(0.03); // it sounds while held
      expect(peak(6300, 7000)).toBe(0); // and is silent after its release
    }
  });

  it('mixes four held sines in one pass to the bits of four passes, added in their order', () => {
    const freqs = [130.81, 155.56, 196, 233.08];
    const one = freqs.map((f) => voice('sine', f, 0, Infinity));
    const four = freqs.map((f) => voice('sine', f, 0, Infinity));
    const expected = new Float64Array(512).fill(0.25);
    const got = new Float64Array(512).fill(0.25);
    for (let block = 0; block < 4; block++) {
      for (const v of one) mixSteady(expected, 512, v);
      mixQuad(got, 512, four[0], four[1], four[2], four[3]);
    }
    expect(differences(got, expected)).toEqual([]);
    expect(Math.max(...expected.map((x) => Math.abs(x - 0.25)))).toBeGreaterThan(0.1); // a chord was added
  });

  it("mixes a drum hit from doubles that are its floats exactly, made once per hit", () => {
    const hit = drumHit('sd', RATE);
    const wide = wideHit(hit);
    expect(differences(wide, hit)).toEqual([]);
    expect(wide.length).toBe(hit.length);
    expect(wideHit(hit)).toBe(wide);
  });
});
