/**
 * The drum machine: each drum synthesised as an analogue machine (a TR-808)
 * makes it, from pitched sine sweeps, filtered noise and metallic partials
 * (square waves at inharmonic ratios). One function renders a hit to floats at
 * a sample rate; the WAV renders mix it (synth.ts) and the app plays the very
 * same samples as an AudioBuffer, so both sound alike.
 *
 * The noise is seeded (NOISE_SEED, the session's), so a render is the same
 * bytes every time, and every hit of a drum is the same hit (as a sample is).
 * A hit peaks at 1 (its voice's level scales it) and fades to 0 at its end.
 */
import { DRUM_SECONDS, type DrumName } from '../stream/voice';
import { MULBERRY32_STEP, mulberry32 } from '../random';

/** The seed of every hit's noise and of the noise timbre. */
export const NOISE_SEED = 1;

/** Seeded white noise, uniform -1..1 (random.ts's mulberry32). */
export function noiseSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + MULBERRY32_STEP) >>> 0;
    return mulberry32(a) * 2 - 1;
  };
}

type FilterKind = 'lowpass' | 'highpass' | 'bandpass';

/** One RBJ-cookbook biquad over `x` in place (f0 kept below Nyquist, so an 8 kHz render still works). */
function biquad(x: Float64Array, kind: FilterKind, f0: number, q: number, rate: number): void {
  const w = (2 * Math.PI * Math.min(f0, 0.45 * rate)) / rate;
  const cos = Math.cos(w);
  const alpha = Math.sin(w) / (2 * q);
  let b0: number;
  let b1: number;
  let b2: number;
  if (kind === 'lowpass') {
    b1 = 1 - cos;
    b0 = b2 = b1 / 2;
  } else if (kind === 'highpass') {
    b1 = -(1 + cos);
    b0 = b2 = (1 + cos) / 2;
  } else {
    b0 = alpha;
    b1 = 0;
    b2 = -alpha;
  }
  const a0 = 1 + alpha;
  const a1 = -2 * cos;
  const a2 = 1 - alpha;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const y = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = y;
    x[i] = y;
  }
}

/** `n` samples of seeded noise. */
function noise(n: number, seed: number): Float64Array {
  const next = noiseSource(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}

/** A sine whose frequency (Hz) follows `freq(t)`, times `amp(t)`, added into `out`. */
function sweep(out: Float64Array, rate: number, freq: (t: number) => number, amp: (t: number) => number): void {
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    out[i] += Math.sin(2 * Math.PI * phase) * amp(t);
    phase += freq(t) / rate;
    phase -= Math.floor(phase);
  }
}

/** The 808's six square waves (its cymbal and hat oscillators, Hz), a metallic cluster. */
const METAL_HZ = [205.3, 304.4, 369.6, 522.7, 540, 800];

function squares(n: number, rate: number, freqs: readonly number[]): Float64Array {
  const out = new Float64Array(n);
  for (const f of freqs) for (let i = 0; i < n; i++) out[i] += (((i * f) / rate) % 1 < 0.5 ? 1 : -1) / freqs.length;
  return out;
}

const decay = (tau: number) => (t: number) => Math.exp(-t / tau);

/** Kick: a sine falling from some 160 Hz to 50 Hz, a long decay, a touch of click. */
function kick(out: Float64Array, rate: number): void {
  sweep(out, rate, (t) => 50 + 110 * Math.exp(-t / 0.035), decay(0.17));
  const click = noise(Math.min(out.length, Math.round(0.004 * rate)), NOISE_SEED);
  biquad(click, 'lowpass', 3000, 0.7, rate);
  for (let i = 0; i < click.length; i++) out[i] += 0.25 * click[i] * Math.exp(-i / (0.001 * rate));
}

/** A tom: a sine that drops a little to its pitch, and decays. */
function tom(hz: number, tau: number): (out: Float64Array, rate: number) => void {
  return (out, rate) => sweep(out, rate, (t) => hz * (1 + 0.35 * Math.exp(-t / 0.04)), decay(tau));
}

/** Snare: two tones of the shell and a burst of high-passed noise (the wires). */
function snare(out: Float64Array, rate: number): void {
  sweep(out, rate, () => 185, decay(0.05));
  sweep(out, rate, () => 330, (t) => 0.5 * Math.exp(-t / 0.04));
  const wires = noise(out.length, NOISE_SEED);
  biquad(wires, 'highpass', 1500, 0.7, rate);
  for (let i = 0; i < out.length; i++) out[i] += 1.2 * wires[i] * Math.exp(-i / (0.09 * rate));
}

/** Hats: the metallic cluster and noise, high-passed to the top of the spectrum; `tau` closed or open. */
function hat(tau: number): (out: Float64Array, rate: number) => void {
  return (out, rate) => {
    const metal = squares(out.length, rate, METAL_HZ);
    const hiss = noise(out.length, NOISE_SEED);
    for (let i = 0; i < out.length; i++) metal[i] += 0.6 * hiss[i];
    biquad(metal, 'highpass', 7000, 0.7, rate);
    biquad(metal, 'highpass', 7000, 0.7, rate);
    biquad(metal, 'bandpass', 10000, 0.6, rate);
    for (let i = 0; i < out.length; i++) out[i] += metal[i] * Math.exp(-i / (tau * rate));
  };
}

/** Clap: band-passed noise in three quick bursts, then a tail. */
function clap(out: Float64Array, rate: number): void {
  const hiss = noise(out.length, NOISE_SEED);
  biquad(hiss, 'bandpass', 1200, 1.5, rate);
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    let env = 0;
    for (const at of [0, 0.01, 0.02]) if (t >= at && t < 0.03) env = Math.max(env, Math.exp(-(t - at) / 0.004));
    if (t >= 0.03) env = Math.exp(-(t - 0.03) / 0.09);
    out[i] += hiss[i] * env;
  }
}

/** Rim shot: two short tones and a click of noise. */
function rim(out: Float64Array, rate: number): void {
  sweep(out, rate, () => 1700, (t) => 0.6 * Math.exp(-t / 0.01));
  sweep(out, rate, () => 460, decay(0.012));
  const click = noise(out.length, NOISE_SEED);
  biquad(click, 'highpass', 2000, 0.7, rate);
  for (let i = 0; i < out.length; i++) out[i] += 0.5 * click[i] * Math.exp(-i / (0.003 * rate));
}

/** Cowbell: the 808's two square waves (545 and 815 Hz), band-passed, a sharp then a slow decay. */
function cowbell(out: Float64Array, rate: number): void {
  const bell = squares(out.length, rate, [545, 815]);
  biquad(bell, 'bandpass', 900, 1.2, rate);
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    out[i] += bell[i] * (0.6 * Math.exp(-t / 0.015) + 0.4 * Math.exp(-t / 0.12));
  }
}

const KIT: Record<DrumName, (out: Float64Array, rate: number) => void> = {
  bd: kick,
  sd: snare,
  hh: hat(0.025),
  oh: hat(0.16),
  cp: clap,
  lt: tom(90, 0.2),
  mt: tom(130, 0.16),
  ht: tom(180, 0.13),
  rim,
  cb: cowbell,
};

/** The last part of a hit fades linearly to silence, so its end never clicks. */
const FADE_FRACTION = 0.15;

/** The hit at rate 1, peak 1, `rate` samples a second. */
function renderBase(drum: DrumName, rate: number): Float32Array {
  const n = Math.max(1, Math.round(DRUM_SECONDS[drum] * rate));
  const x = new Float64Array(n);
  KIT[drum](x, rate);
  const fade = Math.max(1, Math.round(n * FADE_FRACTION));
  for (let i = n - fade; i < n; i++) x[i] *= (n - 1 - i) / fade;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(x[i]));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = peak > 0 ? x[i] / peak : 0;
  return out;
}

/** Hits already made, by drum, sample rate and speed (a groove uses a few). */
const made = new Map<string, Float32Array>();
const MAX_MADE = 256;

/**
 * The samples of one hit of `drum` at `sampleRate`, played at `rate` (speed
 * and pitch): the rate-1 hit read every `rate` samples with linear
 * interpolation, as an AudioBufferSourceNode's playbackRate reads it. Shared:
 * do not write into it.
 */
export function drumHit(drum: DrumName, sampleRate: number, rate = 1): Float32Array {
  const key = `${drum}:${sampleRate}:${rate}`;
  const cached = made.get(key);
  if (cached !== undefined) return cached;
  const base = rate === 1 ? renderBase(drum, sampleRate) : drumHit(drum, sampleRate, 1);
  const hit = rate === 1 ? base : resample(base, rate);
  if (made.size >= MAX_MADE) made.clear();
  made.set(key, hit);
  return hit;
}

function resample(base: Float32Array, rate: number): Float32Array {
  const n = Math.max(1, Math.floor((base.length - 1) / rate) + 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * rate;
    const j = Math.floor(x);
    const frac = x - j;
    out[i] = j + 1 < base.length ? base[j] + (base[j + 1] - base[j]) * frac : base[j];
  }
  return out;
}

/** Samples of the `noise` timbre's loop: white noise, the same at every sample rate. */
export const NOISE_LOOP_SAMPLES = 1 << 16;
let noiseLoop: Float32Array | null = null;

/** The noise timbre's loop (a voice reads it from its start, round and round). Shared: do not write into it. */
export function noiseTable(): Float32Array {
  if (noiseLoop === null) {
    const next = noiseSource(NOISE_SEED + 1);
    noiseLoop = new Float32Array(NOISE_LOOP_SAMPLES);
    for (let i = 0; i < NOISE_LOOP_SAMPLES; i++) noiseLoop[i] = next();
  }
  return noiseLoop;
}
