/**
 * One voice of the offline synth (synth.ts) and how it is mixed: its envelope
 * as a function of the sample index alone, its waveform, and the loops that
 * add it into the mix (a held sine at its sustain, two at once, anything
 * else sample by sample, a drum hit from its samples, a panned voice into the
 * left and right mixes).
 */
import { NOISE_LOOP_SAMPLES, noiseTable } from './drum-kit';
import { AM_HARMONICITY, lookup, TABLE_SIZE } from './oscillator';
import { phaseCycles } from './phase';
import type { Timbre } from '../stream/voice';
import type { Bus } from './fx-bus';

/** One sounding (or releasing) voice. Its gain is a function of the sample index alone. */
export interface Voice {
  id: number;
  freq: number;
  level: number;
  timbre: Timbre;
  /** Envelope in samples (attack and release at least 1), sustain as a fraction. */
  attack: number;
  decay: number;
  sustain: number;
  release: number;
  /** First sample of the attack. */
  start: number;
  /** First sample of the release (Infinity while held) and the gain it starts from. */
  releaseAt: number;
  releaseFrom: number;
  /** Sine: sin and cos of the phase at the next sample, and the rotation by one sample. */
  sin: number;
  cos: number;
  stepCos: number;
  stepSin: number;
  /** Other timbres: phase in cycles at the next sample, its step, and the table. */
  phase: number;
  inc: number;
  table: Float64Array | null;
  /** am: the modulator's phase and step (cycles), and the square table (fm's wave is a table: oscillator.ts). */
  modPhase: number;
  modInc: number;
  /** The wave's DC, taken away (fm, am), and a bound on the trimmed wave's magnitude (oscillator.ts: timbreTrim). */
  offset: number;
  reach: number;
  /** The effect chain it goes through (fx-bus.ts), or null: straight into the mix. */
  bus: Bus | null;
  /**
   * A drum hit's samples (its wave, read from `start`: drumHit's floats, widened by wideHit) or a
   * sample's floats (the same values either way), or null for a tone.
   */
  hit: Float64Array | Float32Array | null;
  /** A looping sample: its hit read round and round until it is released. */
  loop: boolean;
  /** Stereo gains (equal power, 1 each at the centre); a voice at the centre sums into the mono mix. */
  panned: boolean;
  gainLeft: number;
  gainRight: number;
}

/** The envelope's gain at sample k as if the voice were still held. */
export function heldGain(v: Voice, k: number): number {
  const j = k - v.start;
  if (j < 0) return 0;
  if (j < v.attack) return (v.level * (j + 1)) / v.attack;
  const d = j - v.attack;
  if (d < v.decay) return v.level * (1 - ((1 - v.sustain) * (d + 1)) / v.decay);
  return v.level * v.sustain;
}

export function gainAt(v: Voice, k: number): number {
  if (k < v.releaseAt) return heldGain(v, k);
  const r = k - v.releaseAt;
  return r >= v.release ? 0 : v.releaseFrom * (1 - (r + 1) / v.release);
}

/** The voice's waveform at the next sample, then advance one sample. */
function nextWave(v: Voice): number {
  switch (v.timbre) {
    case 'sine': {
      const s = v.sin;
      const t = s * v.stepCos + v.cos * v.stepSin;
      v.cos = v.cos * v.stepCos - s * v.stepSin;
      v.sin = t;
      return s;
    }
    case 'am': {
      // Tone's AMOscillator: the carrier times the modulator scaled to 0..1.
      const m = lookup(v.table!, v.modPhase);
      const out = Math.sin(2 * Math.PI * v.phase) * (m + 1) * 0.5;
      v.phase += v.inc;
      v.phase -= Math.floor(v.phase);
      v.modPhase += v.modInc;
      v.modPhase -= Math.floor(v.modPhase);
      return out - v.offset;
    }
    default: {
      // the table timbres, and fm (offset: its DC)
      const out = lookup(v.table!, v.phase);
      v.phase += v.inc;
      v.phase -= Math.floor(v.phase);
      return out - v.offset;
    }
  }
}

/**
 * A voice whose gain changes in this chunk, or of a timbre other than the
 * sine. The part of the chunk where it is held at its sustain is mixed at
 * that one gain, the rest at the envelope's gain sample by sample: the same
 * values gainAt gives, so the same bits, without its branches in the loop.
 */
export function mixShaped(mix: Float64Array, n: number, v: Voice, k0: number): void {
  if (v.hit !== null) {
    mixHit(mix, n, v, k0);
    return;
  }
  if (v.timbre === 'noise') {
    mixNoise(mix, n, v, k0);
    return;
  }
  const steadyFrom = Math.min(n, Math.max(0, v.start + v.attack + v.decay - k0));
  const steadyTo = Math.max(steadyFrom, Math.min(n, v.releaseAt - k0));
  mixWave(mix, 0, steadyFrom, v, k0, true);
  mixWave(mix, steadyFrom, steadyTo, v, k0, false);
  mixWave(mix, steadyTo, n, v, k0, true);
}

/** The voice's wave into mix[from .. to - 1], at the envelope's gain sample by sample (`shaped`), else at its sustain. */
function mixWave(mix: Float64Array, from: number, to: number, v: Voice, k0: number, shaped: boolean): void {
  if (from >= to) return;
  if (v.timbre === 'sine') {
    if (shaped) mixSineShaped(mix, from, to, v, k0);
    else mixSineAt(mix, from, to, v, v.level * v.sustain);
  } else if (v.timbre === 'am') {
    for (let j = from; j < to; j++) {
      const g = shaped ? gainAt(v, k0 + j) : v.level * v.sustain;
      const w = nextWave(v);
      mix[j] += g * w;
    }
  } else if (shaped) mixTableShaped(mix, from, to, v, k0);
  else mixTableAt(mix, from, to, v, v.level * v.sustain);
}

function mixSineShaped(mix: Float64Array, from: number, to: number, v: Voice, k0: number): void {
  let s = v.sin;
  let c = v.cos;
  const dc = v.stepCos;
  const ds = v.stepSin;
  for (let j = from; j < to; j++) {
    mix[j] += gainAt(v, k0 + j) * s;
    const t = s * dc + c * ds;
    c = c * dc - s * ds;
    s = t;
  }
  v.sin = s;
  v.cos = c;
}

/** mixSteady's loop over mix[from .. to - 1] at gain g. */
function mixSineAt(mix: Float64Array, from: number, to: number, v: Voice, g: number): void {
  let s = v.sin;
  let c = v.cos;
  const dc = v.stepCos;
  const ds = v.stepSin;
  for (let j = from; j < to; j++) {
    mix[j] += g * s;
    const t = s * dc + c * ds;
    c = c * dc - s * ds;
    s = t;
  }
  v.sin = s;
  v.cos = c;
}

/**
 * A table timbre (and fm) sample by sample: nextWave's default case and
 * lookup, inlined. The phase is never negative (anchor sets it in 0..1, the
 * step is positive), so \`x | 0\` is lookup's Math.floor(x), and the floor
 * taken only once the phase reaches 1 subtracts what nextWave's would (below
 * 1 it subtracts 0): the same values, without a floor in the chain from one
 * sample's phase to the next (5 times as fast).
 */
function mixTableShaped(mix: Float64Array, from: number, to: number, v: Voice, k0: number): void {
  const table = v.table!;
  const inc = v.inc;
  const offset = v.offset;
  let phase = v.phase;
  for (let j = from; j < to; j++) {
    const g = gainAt(v, k0 + j);
    const x = phase * TABLE_SIZE;
    const i = x | 0;
    const out = table[i] + (table[i + 1] - table[i]) * (x - i);
    phase += inc;
    if (phase >= 1) phase -= Math.floor(phase);
    mix[j] += g * (out - offset);
  }
  v.phase = phase;
}

/** The same at one gain g. */
function mixTableAt(mix: Float64Array, from: number, to: number, v: Voice, g: number): void {
  const table = v.table!;
  const inc = v.inc;
  const offset = v.offset;
  let phase = v.phase;
  for (let j = from; j < to; j++) {
    const x = phase * TABLE_SIZE;
    const i = x | 0;
    const out = table[i] + (table[i + 1] - table[i]) * (x - i);
    phase += inc;
    if (phase >= 1) phase -= Math.floor(phase);
    mix[j] += g * (out - offset);
  }
  v.phase = phase;
}

const widened = new WeakMap<Float32Array, Float64Array>();

/**
 * A drum hit's samples as doubles, made once per hit: each value is its float
 * exactly (widening rounds nothing), so the mix's products are the same bits,
 * and the mix's loop reads doubles without converting each sample.
 */
export function wideHit(hit: Float32Array): Float64Array {
  let wide = widened.get(hit);
  if (wide === undefined) widened.set(hit, (wide = Float64Array.from(hit)));
  return wide;
}

/** A drum hit or a sample: its samples from its start, at its gain (full until it is cut short). */
function mixHit(mix: Float64Array, n: number, v: Voice, k0: number): void {
  const hit = v.hit!;
  if (v.loop) {
    const from = Math.max(0, v.start - k0);
    for (let j = from; j < n; j++) mix[j] += gainAt(v, k0 + j) * hit[(k0 + j - v.start) % hit.length];
    return;
  }
  const from = Math.max(0, v.start - k0);
  const to = Math.min(n, v.start + hit.length - k0);
  if (k0 + n <= v.releaseAt) {
    // not cut short (the common case): full level from its first sample
    const g = v.level;
    for (let j = from, i = k0 + from - v.start; j < to; j++, i++) mix[j] += g * hit[i];
    return;
  }
  for (let j = from; j < to; j++) mix[j] += gainAt(v, k0 + j) * hit[k0 + j - v.start];
}

/** The noise timbre: the noise loop read from the voice's start (as the app's looping AudioBuffer plays it). */
function mixNoise(mix: Float64Array, n: number, v: Voice, k0: number): void {
  const table = noiseTable();
  const mask = NOISE_LOOP_SAMPLES - 1;
  for (let j = 0; j < n; j++) mix[j] += gainAt(v, k0 + j) * table[(k0 + j - v.start) & mask];
}

/** A panned voice into the left and right mixes, through `scratch`. */
export function mixPanned(left: Float64Array, right: Float64Array, scratch: Float64Array, n: number, v: Voice, k0: number): void {
  scratch.fill(0, 0, n);
  mixShaped(scratch, n, v, k0);
  const gl = v.gainLeft;
  const gr = v.gainRight;
  for (let j = 0; j < n; j++) {
    left[j] += gl * scratch[j];
    right[j] += gr * scratch[j];
  }
}

/**
 * Equal-power gains of pan P (-1 left .. 1 right), scaled so that the centre
 * is 1 in each channel (a centred voice sounds at its level in both, as in
 * mono): left sqrt2*cos(t), right sqrt2*sin(t), t = (P + 1) * pi / 4; the
 * power, left^2 + right^2, is 2 at every pan.
 */
export function panGains(pan: number): { left: number; right: number } {
  const t = ((pan + 1) * Math.PI) / 4;
  return { left: Math.SQRT2 * Math.cos(t), right: Math.SQRT2 * Math.sin(t) };
}

/** Add a held sine at its sustained gain, rotating its phase. */
export function mixSteady(mix: Float64Array, n: number, v: Voice): void {
  mixSineAt(mix, 0, n, v, v.level * v.sustain);
}

/** Two held sines in one pass (the same arithmetic per voice as mixSteady, half the memory traffic). */
export function mixPair(mix: Float64Array, n: number, a: Voice, b: Voice): void {
  let sa = a.sin;
  let ca = a.cos;
  let sb = b.sin;
  let cb = b.cos;
  const dca = a.stepCos;
  const dsa = a.stepSin;
  const dcb = b.stepCos;
  const dsb = b.stepSin;
  const ga = a.level * a.sustain;
  const gb = b.level * b.sustain;
  for (let j = 0; j < n; j++) {
    mix[j] = mix[j] + ga * sa + gb * sb; // (mix + a) + b, as two separate additions would be
    const ta = sa * dca + ca * dsa;
    ca = ca * dca - sa * dsa;
    sa = ta;
    const tb = sb * dcb + cb * dsb;
    cb = cb * dcb - sb * dsb;
    sb = tb;
  }
  a.sin = sa;
  a.cos = ca;
  b.sin = sb;
  b.cos = cb;
}

/** Four held sines in one pass (a chord of four): mixPair's arithmetic, the four added in their order. */
export function mixQuad(mix: Float64Array, n: number, a: Voice, b: Voice, c: Voice, d: Voice): void {
  let sa = a.sin, ca = a.cos, sb = b.sin, cb = b.cos, sc = c.sin, cc = c.cos, sd = d.sin, cd = d.cos;
  const dca = a.stepCos, dsa = a.stepSin, dcb = b.stepCos, dsb = b.stepSin;
  const dcc = c.stepCos, dsc = c.stepSin, dcd = d.stepCos, dsd = d.stepSin;
  const ga = a.level * a.sustain, gb = b.level * b.sustain, gc = c.level * c.sustain, gd = d.level * d.sustain;
  for (let j = 0; j < n; j++) {
    mix[j] = mix[j] + ga * sa + gb * sb + gc * sc + gd * sd; // (((mix + a) + b) + c) + d
    const ta = sa * dca + ca * dsa;
    ca = ca * dca - sa * dsa;
    sa = ta;
    const tb = sb * dcb + cb * dsb;
    cb = cb * dcb - sb * dsb;
    sb = tb;
    const tc = sc * dcc + cc * dsc;
    cc = cc * dcc - sc * dsc;
    sc = tc;
    const td = sd * dcd + cd * dsd;
    cd = cd * dcd - sd * dsd;
    sd = td;
  }
  a.sin = sa;
  a.cos = ca;
  b.sin = sb;
  b.cos = cb;
  c.sin = sc;
  c.cos = cc;
  d.sin = sd;
  d.cos = cd;
}

/** Set a voice's oscillator to the exact phase at sample k. */
export function anchor(v: Voice, k: number, rate: number): void {
  if (v.hit !== null || v.timbre === 'noise') return;
  const cycles = phaseCycles(v.freq, k, rate);
  if (v.timbre === 'sine') {
    const angle = 2 * Math.PI * cycles;
    v.sin = Math.sin(angle);
    v.cos = Math.cos(angle);
    return;
  }
  v.phase = cycles;
  if (v.timbre === 'am') v.modPhase = phaseCycles(v.freq * AM_HARMONICITY, k, rate);
}
