/**
 * The core synth with effects: where a render ends (its tails to silence, at
 * most MAX_TAIL_SECONDS after the end), and that how a render is split into
 * calls changes no sample.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, VoiceInfo } from '../../../src/core/stream';
import { MAX_TAIL_SECONDS, Synth, TAIL_SILENCE } from '../../../src/core/synth';

const RATE = 48000;
const S = 1e9;

/** One voice of A4 held from 0 to `offS`, the stream ending then. */
function synthOf(fx: Effect[] | undefined, offS: number, release = 0.003): Synth {
  const synth = new Synth({ rate: RATE });
  const voice: VoiceInfo = { id: 1, owner: 1, note: 57, level: 0.1, onset: 0, envelope: { attack: 0.003, decay: 0, sustain: 1, release } };
  if (fx !== undefined) voice.fx = fx;
  synth.change(0, [440], [voice]);
  synth.change(offS * S, [], []);
  synth.end(offS * S);
  return synth;
}

/** Render to the end in pieces of the given sizes (cycled); the samples as floats. */
function renderInPieces(synth: Synth, sizes: number[]): Float32Array {
  const pieces: Float32Array[] = [];
  for (let i = 0; !synth.done; i++) {
    const piece = new Float32Array(sizes[i % sizes.length]);
    pieces.push(piece.subarray(0, synth.renderToEnd(piece.length, piece)));
  }
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const chain: Effect[] = [
  { type: 'lpf', hz: 1500, res: 3 },
  { type: 'distort', amount: 0.4 },
  { type: 'delay', ns: 0.15 * S, feedback: 0.5 },
  { type: 'reverb', room: 0.7 },
];

describe('tails', () => {
  it('ends a render without effects where its last release ends, on the sample', () => {
    const synth = synthOf(undefined, 0.5, 1);
    const samples = renderInPieces(synth, [4096]);
    expect(samples.length).toBe(Math.round(1.5 * RATE));
  });

  it('ends a delay\'s tail once its echoes are under the silence threshold (-90 dBFS)', () => {
    const samples = renderInPieces(synthOf([{ type: 'delay', ns: 0.25 * S, feedback: 0.5 }], 0.1), [4096]);
    // echo k is at 0.1 * 0.5^k: the last over the threshold is the 11th, at 2.75 s
    const last = Math.floor(Math.log(TAIL_SILENCE / 0.1) / Math.log(0.5));
    expect(samples.length / RATE).toBeGreaterThan(last * 0.25 + 0.1);
    expect(samples.length / RATE).toBeLessThan((last + 2) * 0.25 + 0.2);
    let tailPeak = 0;
    for (let k = samples.length - Math.round(0.2 * RATE); k < samples.length; k++) tailPeak = Math.max(tailPeak, Math.abs(samples[k]));
    expect(tailPeak).toBeLessThan(TAIL_SILENCE * 2);
  });

  it(`cuts a tail that would ring longer than ${MAX_TAIL_SECONDS} s`, () => {
    const synth = synthOf([{ type: 'delay', ns: 4 * S, feedback: 0.95 }], 0.5);
    const samples = renderInPieces(synth, [1 << 16]);
    expect(samples.length).toBe(Math.round((0.5 + MAX_TAIL_SECONDS) * RATE));
  });

  it('renders the same samples however the render is split', () => {
    const whole = renderInPieces(synthOf(chain, 0.4), [1 << 20]);
    const split = renderInPieces(synthOf(chain, 0.4), [1, 127, 128, 333, 4096, 7]);
    expect(split.length).toBe(whole.length);
    expect(Buffer.from(split.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });
});
