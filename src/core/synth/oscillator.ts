/**
 * Waveforms other than the sine, as Web Audio's OscillatorNode (and so
 * Tone.js) defines them: Fourier series of sines, band-limited to the
 * harmonics below Nyquist, normalised to a peak of 1. fm and am are Tone's
 * FMOscillator and AMOscillator with their defaults (sine carrier, square
 * modulator, harmonicity 1; fm with modulation index 2: `fmTable`). `timbreTrim` makes
 * each as loud as a sine and takes away am's and fm's DC; the app's player
 * (src/renderer/audio/player.ts) applies the same trim to Web Audio's waves.
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

/** sin(2 pi m / TABLE_SIZE) for m = 0 .. TABLE_SIZE - 1, as the tables' sums take them (the same argument, so the same values). */
let sines: Float64Array | null = null;

function sineCycle(): Float64Array {
  if (sines === null) {
    sines = new Float64Array(TABLE_SIZE);
    for (let m = 0; m < TABLE_SIZE; m++) sines[m] = Math.sin((2 * Math.PI * m) / TABLE_SIZE);
  }
  return sines;
}

/** The cycle of `timbre` with the harmonics of `freq` that lie below Nyquist (cached per harmonic count). */
export function waveTable(timbre: TableTimbre, freq: number, rate: number): Float64Array {
  const harmonics = Math.max(1, Math.min(TABLE_SIZE / 2 - 1, Math.floor((rate / 2 - 1e-9) / Math.max(freq, 1e-9))));
  const key = `${timbre}:${harmonics}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const table = new Float64Array(TABLE_SIZE + 1);
  const sin = sineCycle();
  for (let h = 1; h <= harmonics; h++) {
    const b = coefficient(timbre, h);
    if (b === 0) continue;
    for (let i = 0; i < TABLE_SIZE; i++) table[i] += b * sin[(h * i) % TABLE_SIZE];
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

/**
 * fm's wave over one cycle (harmonicity 1: the modulator's cycle is the
 * carrier's). Tone's carrier runs at f (1 + index m) and starts with its
 * square modulator m at phase 0, so at modulator phase x its phase is x plus
 * index times m's integral up to x: a function of x, so fm is a table too (and
 * a render integrates no phase that could wander from it). Cached per square.
 */
export function fmTable(freq: number, rate: number): Float64Array {
  const square = waveTable('square', freq * FM_HARMONICITY, rate);
  const cached = fmTables.get(square);
  if (cached) return cached;
  const table = new Float64Array(TABLE_SIZE + 1);
  let integral = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    table[i] = Math.sin(2 * Math.PI * (i / TABLE_SIZE + FM_MODULATION_INDEX * integral));
    integral += square[i] / TABLE_SIZE;
  }
  table[TABLE_SIZE] = table[0];
  fmTables.set(square, table);
  return table;
}

const fmTables = new Map<Float64Array, Float64Array>();

/**
 * What a timbre needs to sound as loud as a sine and centred on zero: a gain
 * that gives its wave a sine's RMS (1/√2 of full scale), the mean (DC) to take
 * away before it (am and fm have one: a sine times a square, and a sine whose
 * phase a square drives, lean to one side), and `reach`, a bound on the
 * trimmed wave's magnitude (for the mix's bound on its peak).
 */
export interface TimbreTrim {
  gain: number;
  offset: number;
  reach: number;
}

const UNTRIMMED: TimbreTrim = Object.freeze({ gain: 1, offset: 0, reach: 1 });

const trims = new Map<Timbre, Map<Float64Array, TimbreTrim>>();

/** The trim of `timbre` at `freq` (its table has the harmonics below Nyquist at `rate`); the sine, and what is not a wave of a table, needs none. */
export function timbreTrim(timbre: Timbre, freq: number, rate: number): TimbreTrim {
  // am's wave is its carrier times its square, cycle for cycle (harmonicity 1): the square's table stands for it
  const table = timbre === 'fm' ? fmTable(freq, rate) : timbre === 'am' ? waveTable('square', freq * AM_HARMONICITY, rate) : isTableTimbre(timbre) ? waveTable(timbre, freq, rate) : null;
  if (table === null) return UNTRIMMED;
  let byTable = trims.get(timbre);
  if (byTable === undefined) trims.set(timbre, (byTable = new Map()));
  const cached = byTable.get(table);
  if (cached !== undefined) return cached;
  let mean = 0;
  let square = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    const w = timbre === 'am' ? Math.sin((2 * Math.PI * i) / TABLE_SIZE) * (table[i] + 1) * 0.5 : table[i];
    mean += w / TABLE_SIZE;
    square += (w * w) / TABLE_SIZE;
  }
  // the table timbres are Fourier series of sines: no DC to take away
  const offset = timbre === 'fm' || timbre === 'am' ? mean : 0;
  const gain = Math.SQRT1_2 / Math.sqrt(Math.max(1e-12, square - offset * offset));
  const trim = { gain, offset, reach: gain * (1 + Math.abs(offset)) };
  byTable.set(table, trim);
  return trim;
}
