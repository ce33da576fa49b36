/**
 * The effects' DSP is fast (issue 19's groove) without being other
 * arithmetic: the reverb's one-pass loop gives, sample for sample, the bits
 * of Freeverb written as the textbook loops it (each comb over the block,
 * then each allpass), filters run two at a time give each filter's own bits,
 * and the kit's source text, which the app's AudioWorklet evaluates, is the
 * same DSP as the kit in this realm. A change of arithmetic, however small,
 * fails these (renders would no longer be the same bytes).
 */
import { describe, expect, it } from 'vitest';
import { filterStage, fxKit, fxKitSource, reverbRun, reverbStage, type DspEffect, type FxKit } from '../../../src/core/synth/fx-dsp';
import { mulberry32 } from '../../../src/core/random';

const RATE = 48000;

/** Bursts of seeded noise with silences between them, `seconds` long. */
function bursts(seconds: number, seed: number): Float64Array {
  const out = new Float64Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) out[i] = (i / 4800) % 3 < 1 ? (mulberry32(seed + i) - 0.5) * 0.2 : 0;
  return out;
}

/** Jezar's Freeverb, mono, as the textbook loops: each comb over the whole block, then each allpass, then the wet sum added. */
function textbookReverb(room: number, input: Float64Array): Float64Array {
  const tune = (n: number) => new Float64Array(Math.max(1, Math.round((n * RATE) / 44100)));
  const combs = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617].map(tune);
  const passes = [556, 441, 341, 225].map(tune);
  const feedback = room * 0.28 + 0.7;
  const wet = new Float64Array(input.length);
  for (const comb of combs) {
    let store = 0;
    for (let j = 0; j < input.length; j++) {
      const at = j % comb.length;
      const out = comb[at];
      store = out * 0.8 + store * 0.2;
      comb[at] = input[j] * 0.015 + store * feedback;
      wet[j] += out;
    }
  }
  for (const pass of passes) {
    for (let j = 0; j < input.length; j++) {
      const at = j % pass.length;
      const held = pass[at];
      const x = wet[j];
      pass[at] = x + held * 0.5;
      wet[j] = held - x;
    }
  }
  return input.map((x, j) => x + wet[j]);
}

/** `buf` through process(block, n) in blocks of the sizes given (cycled), in place. */
function inBlocks(buf: Float64Array, sizes: number[], process: (block: Float64Array, n: number) => void): Float64Array {
  for (let at = 0, i = 0; at < buf.length; i++) {
    const n = Math.min(sizes[i % sizes.length], buf.length - at);
    process(buf.subarray(at, at + n), n);
    at += n;
  }
  return buf;
}

/** Indices where two signals differ in a single bit (Object.is: -0 and 0 differ too). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const found: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!Object.is(a[i], b[i])) found.push(i);
  return found;
}

describe('the effects DSP', () => {
  it('reverbs every sample to the bits of Freeverb written comb by comb, however the blocks fall', () => {
    const input = bursts(3, 7);
    const expected = textbookReverb(0.6, input);
    const Reverb = reverbStage(reverbRun());
    for (const sizes of [[512], [1, 37, 128, 511], [300, 1617, 2]]) {
      const reverb = new Reverb(0.6, RATE);
      const got = inBlocks(input.slice(), sizes, (block, n) => reverb.process(block, n));
      expect(differences(got, expected)).toEqual([]);
    }
    // and the reverb is heard: its tail rings through the silences after each burst
    const silentAt = 4800 + 2400;
    expect(input[silentAt]).toBe(0);
    expect(Math.abs(expected[silentAt])).toBeGreaterThan(1e-4);
  });

  it('runs two filters side by side to the bits each gives alone', () => {
    const Filter = filterStage();
    const a = bursts(1, 1);
    const b = bursts(1, 2);
    const alone = [new Filter(false, 500, 4, RATE), new Filter(true, 1800, 0.707, RATE)];
    const expectedA = inBlocks(a.slice(), [512], (block, n) => alone[0].process(block, n));
    const expectedB = inBlocks(b.slice(), [512], (block, n) => alone[1].process(block, n));
    const [lp, hp] = [new Filter(false, 500, 4, RATE), new Filter(true, 1800, 0.707, RATE)];
    const gotA = a.slice();
    const gotB = b.slice();
    for (let at = 0; at < gotA.length; at += 300) {
      const n = Math.min(300, gotA.length - at);
      lp.processBeside!(hp, gotA.subarray(at, at + n), gotB.subarray(at, at + n), n);
    }
    expect(differences(gotA, expectedA)).toEqual([]);
    expect(differences(gotB, expectedB)).toEqual([]);
    expect(differences(gotA, a).length).toBeGreaterThan(a.length / 4); // it filtered
  });

  it("gives the app's AudioWorklet (the kit's source text) the same DSP as the core render", () => {
    // eslint-disable-next-line no-new-func -- the worklet evaluates this very text
    const worklet = new Function(`return ${fxKitSource()};`)() as FxKit;
    const core = fxKit();
    const effects: DspEffect[] = [
      { type: 'lpf', hz: 900, res: 3 },
      { type: 'distort', amount: 0.3 },
      { type: 'delay', seconds: 0.05, feedback: 0.5 },
      { type: 'reverb', room: 0.7 },
    ];
    const input = bursts(1, 3);
    const [a, b] = [worklet.createChain(effects, RATE), core.createChain(effects, RATE)];
    const fromWorklet = inBlocks(input.slice(), [128], (block, n) => a.process(block, n));
    const fromCore = inBlocks(input.slice(), [128], (block, n) => b.process(block, n));
    expect(differences(fromWorklet, fromCore)).toEqual([]);
    expect(differences(fromCore, input).length).toBeGreaterThan(input.length / 2);
  });
});
