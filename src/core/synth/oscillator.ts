/**
 * Waveforms other than the sine, as Web Audio's OscillatorNode (and so
 * Tone.js) defines them: Fourier series of sines, band-limited to the
 * harmonics below Nyquist, normalised to a peak of 1. fm and am are Tone's
 * FMOscillator and AMOscillator with their defaults (sine carrier, square
 * modulator, harmonicity 1; fm with modulation index 2).
 */
import type { Timbre } from '../stream/voice';

export type TableTimbre = 'triangle' | 'square' | 'sawtooth';

/** One cycle, with a guard point so linear interpolation needs no wrap. */
export const TABLE_SIZE = 4096;

export const FM_HARMONICITY = 1;
export const FM_MODULATION_INDEX = 2;
export const AM_HARMONICITY = 1;

/** The sine coefficient of harmonic h (Web Audio's definitions of the built-in types). */
function coefficient(timbre: TableTimbre, h: number): number {
  switch (timbre) {
    case 'square':
      return h % 2 === 1 ? 4 / (Math.PI * h) : 0;
    case 'sawtooth':
      return ((h % 2 === 1 ? 1 : -1) * 2) / (Math.PI * h);
    case 'triangle':
      return (8 * Math.sin((h * Math.PI) / 2)) / (Math.PI * h) ** 2;
  }
}

const tables = new Map<string, Float64Array>();

/** The cycle of `timbre` with the harmonics of `freq` that lie below Nyquist (cached per harmonic count). */
export function waveTable(timbre: TableTimbre, freq: number, rate: number): Float64Array {
  const harmonics = Math.max(1, Math.min(TABLE_SIZE / 2 - 1, Math.floor((rate / 2 - 1e-9) / Math.max(freq, 1e-9))));
  const key = `${timbre}:${harmonics}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const table = new Float64Array(TABLE_SIZE + 1);
  for (let h = 1; h <= harmonics; h++) {
    const b = coefficient(timbre, h);
    if (b === 0) continue;
    for (let i = 0; i < TABLE_SIZE; i++) table[i] += b * Math.sin((2 * Math.PI * ((h * i) % TABLE_SIZE)) / TABLE_SIZE);
  }
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) peak = Math.max(peak, Math.abs(table[i]));
  if (peak > 0) for (let i = 0; i < TABLE_SIZE; i++) table[i] /= peak;
  table[TABLE_SIZE] = table[0];
  tables.set(key, table);
  return table;
}

/** The table's value at `phase` cycles (0 <= phase < 1), linearly interpolated. */
export function lookup(table: Float64Array, phase: number): number {
  const x = phase * TABLE_SIZE;
  const i = Math.floor(x);
  const frac = x - i;
  return table[i] + (table[i + 1] - table[i]) * frac;
}

export function isTableTimbre(timbre: Timbre): timbre is TableTimbre {
  return timbre === 'triangle' || timbre === 'square' || timbre === 'sawtooth';
}
