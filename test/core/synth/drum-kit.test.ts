/**
 * Each drum of the kit, heard: where its energy lies, how its pitch moves, how
 * long it rings. The sounds are analysed (spectra, RMS), not compared with the
 * code's own numbers.
 */
import { describe, expect, it } from 'vitest';
import { DRUMS, type DrumName } from '../../../src/core/stream/voice';
import { drumHit, noiseTable } from '../../../src/core/synth/drum-kit';
import { bandFraction, powerSpectrum, rmsOf, strongestIn } from '../../support/audio';

const RATE = 48000;
const at = (s: number) => Math.round(s * RATE);
const hit = (drum: DrumName, rate = 1) => drumHit(drum, RATE, rate);
const spectrum = (x: Float32Array, from = 0, to = x.length / RATE) => powerSpectrum(x, RATE, at(from), Math.min(x.length, at(to)) - at(from));
const seconds = (x: Float32Array) => x.length / RATE;
/** The time by which `share` of the hit's energy has sounded. */
function energyTime(x: Float32Array, share: number): number {
  let total = 0;
  for (const v of x) total += v * v;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i] * x[i];
    if (sum >= share * total) return i / RATE;
  }
  return seconds(x);
}

describe('the drum kit', () => {
  it.each(DRUMS)('%s peaks at full scale and fades to silence at its end, with no click', (drum) => {
    const x = hit(drum);
    let peak = 0;
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.99);
    expect(peak).toBeLessThanOrEqual(1);
    expect(Math.abs(x[x.length - 1])).toBeLessThan(1e-3);
    expect(seconds(x)).toBeGreaterThan(0.05);
    expect(seconds(x)).toBeLessThan(1);
  });

  it('bd: a kick, its energy below 150 Hz, its pitch falling', () => {
    const x = hit('bd');
    expect(bandFraction(spectrum(x), 0, 150)).toBeGreaterThan(0.7);
    const early = strongestIn(spectrum(x, 0, 0.03), 30, 400);
    const late = strongestIn(spectrum(x, 0.12, 0.3), 30, 400);
    expect(early).toBeGreaterThan(late * 1.4);
    expect(late).toBeGreaterThan(40);
    expect(late).toBeLessThan(70);
  });

  it('sd: a tone of the shell under a band of noise', () => {
    const x = hit('sd');
    const s = spectrum(x);
    expect(bandFraction(s, 1500, 20000)).toBeGreaterThan(0.3);
    expect(bandFraction(s, 100, 400)).toBeGreaterThan(0.15);
    const tone = strongestIn(spectrum(x, 0, 0.08), 100, 400);
    expect(Math.abs(tone - 185)).toBeLessThan(15);
  });

  it('hh and oh: hats, their energy above 5 kHz; the open one rings on after the closed one has stopped', () => {
    const closed = hit('hh');
    const open = hit('oh');
    expect(bandFraction(spectrum(closed), 5000, 24000)).toBeGreaterThan(0.8);
    expect(bandFraction(spectrum(open), 5000, 24000)).toBeGreaterThan(0.8);
    expect(energyTime(closed, 0.9)).toBeLessThan(0.07);
    expect(energyTime(open, 0.9)).toBeGreaterThan(0.15);
  });

  it('cp: a clap, band-passed noise in three quick bursts', () => {
    const x = hit('cp');
    expect(bandFraction(spectrum(x), 500, 3000)).toBeGreaterThan(0.6);
    // RMS in 2 ms windows over the first 35 ms: it rises again twice
    const level = Array.from({ length: 17 }, (_, i) => rmsOf(x, at(i * 0.002), at(i * 0.002 + 0.002)));
    let rises = 0;
    for (let i = 1; i < level.length; i++) if (level[i] > level[i - 1] * 2) rises++;
    expect(rises).toBeGreaterThanOrEqual(2);
  });

  it('lt, mt, ht: toms, three pitches from low to high', () => {
    const pitch = (drum: DrumName) => strongestIn(spectrum(hit(drum), 0.08, 0.25), 40, 400);
    const [lt, mt, ht] = [pitch('lt'), pitch('mt'), pitch('ht')];
    expect(lt).toBeGreaterThan(60);
    expect(mt).toBeGreaterThan(lt * 1.2);
    expect(ht).toBeGreaterThan(mt * 1.2);
    expect(ht).toBeLessThan(250);
  });

  it('rim: a short, bright knock', () => {
    const x = hit('rim');
    expect(energyTime(x, 0.9)).toBeLessThan(0.03);
    expect(bandFraction(spectrum(x), 300, 24000)).toBeGreaterThan(0.8);
  });

  it('cb: a cowbell, its energy in the band of its two square waves', () => {
    const x = hit('cb');
    expect(bandFraction(spectrum(x), 400, 3000)).toBeGreaterThan(0.7);
    const tone = strongestIn(spectrum(x, 0.02, 0.2), 400, 1200);
    expect(Math.min(Math.abs(tone - 545), Math.abs(tone - 815))).toBeLessThan(30);
  });

  it('rate=2 plays a drum an octave up in half the time', () => {
    const x = hit('bd');
    const fast = hit('bd', 2);
    expect(Math.abs(seconds(fast) - seconds(x) / 2)).toBeLessThan(0.001);
    const pitch = strongestIn(spectrum(x, 0.12, 0.3), 30, 400);
    const up = strongestIn(spectrum(fast, 0.06, 0.15), 30, 800);
    expect(Math.abs(up / pitch - 2)).toBeLessThan(0.15);
  });

  it.each(DRUMS)('%s renders at the demo\'s 8 kHz too (--raw): finite, as long, at full scale', (drum) => {
    const x = drumHit(drum, 8000);
    expect(Math.abs(x.length / 8000 - seconds(hit(drum)))).toBeLessThan(0.001);
    expect(x.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
  });

  it('the noise timbre is white: flat within a few dB across the spectrum, and mean zero', () => {
    const x = noiseTable();
    const s = powerSpectrum(x, RATE, 0, 32768);
    const low = bandFraction(s, 100, 6000) / 5900;
    const high = bandFraction(s, 12000, 23000) / 11000;
    expect(Math.abs(10 * Math.log10(low / high))).toBeLessThan(1.5);
    let mean = 0;
    for (const v of x) mean += v;
    expect(Math.abs(mean / x.length)).toBeLessThan(0.01);
  });
});
