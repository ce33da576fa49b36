import type { StreamEvent } from '../stream/stream';
import { sampleAt } from '../time';
import { DEFAULT_RATE, S16_SCALE, U8_SCALE, U8_ZERO, AMPLITUDE, writeMix, writeSilence, type SampleArray } from './format';
import { phaseCycles } from './phase';

/** The active set became `freqs` at logical time `ns` (a NotesEvent fits). */
export interface SynthChange {
  ns: number;
  freqs: readonly number[];
}

export interface SynthOptions {
  /** Output rate in Hz (default 48000; the demo's is 8000). */
  rate?: number;
  /**
   * Render SPEC's formula bit for bit: every change switches instantly (the
   * demo's clicks included) and each sample is computed with Math.sin.
   */
  exact?: boolean;
  /**
   * Length of the linear crossfade that starts at each change, in ms (default
   * 3, at most 5; ignored when `exact`). See DEFAULT_CROSSFADE_MS.
   */
  crossfadeMs?: number;
  /** Logical time of the first sample to render (default 0). k still counts from ns 0. */
  startNs?: number;
}

/**
 * 3 ms: long enough that the gain ramp moves the waveform by at most
 * 0.8/L of full scale per sample (L = 144 samples at 48 kHz, 24 at 8 kHz),
 * below a sounding note's own step for notes above ~60 Hz, so a change makes
 * no click; short enough to be heard as an instant attack (onsets under ~5 ms
 * are not heard as fades) and to keep every onset within 3 ms of its time.
 */
export const DEFAULT_CROSSFADE_MS = 3;
export const MAX_CROSSFADE_MS = 5;

/**
 * The rotation recurrence is re-anchored with exact sin/cos at every multiple of
 * this many samples (counted from k = 0, so the output does not depend on how
 * the caller splits its render calls). Drift within a block stays ~1e-13.
 */
export const ANCHOR_BLOCK = 512;

/** One sounding (or fading) frequency. Its phase depends only on k. */
interface Voice {
  freq: number;
  /** sin and cos of the phase at the next sample to render. */
  sin: number;
  cos: number;
  /** Rotation by one sample. */
  stepCos: number;
  stepSin: number;
  /** Gain ramps linearly from `from` to `to` over the samples rampStart .. rampStart + L - 1. */
  from: number;
  to: number;
  rampStart: number;
}

interface Pending {
  sample: number;
  freqs: readonly number[];
}

/**
 * Renders the frequency stream to PCM. Feed it changes in time order as they
 * come (`change`, `end`, or `push` for stream events) and pull samples with
 * `render(toSample, out)`. Sample k is SPEC's formula with mixing 1/N and
 * amplitude 0.8, phase continuous from k = 0; a change at logical time ns takes
 * effect at sample sampleAt(ns, rate). By default each change crossfades
 * linearly from the old mix to the new one (per voice: gain ramps from 1/N_old
 * to 1/N_new), starting at that sample; a change that comes while a fade is
 * under way fades on from where the gains are, so the output never steps.
 */
export class Synth {
  readonly rate: number;
  readonly exact: boolean;
  /** Crossfade length in samples (1 = instant). */
  readonly fadeSamples: number;
  /** Changes that arrived after their sample had been rendered (applied late). */
  lateChanges = 0;

  private pos: number;
  private readonly pending: Pending[] = [];
  private pendingHead = 0;
  private lastQueuedSample = 0;
  private endSample: number | null = null;
  private voices: Voice[] = [];
  /** The active set in exact mode. */
  private exactFreqs: readonly number[] = [];
  private readonly mix = new Float64Array(ANCHOR_BLOCK);

  constructor(options: SynthOptions = {}) {
    const rate = options.rate ?? DEFAULT_RATE;
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`rate must be a positive integer, got ${rate}`);
    const fadeMs = options.crossfadeMs ?? DEFAULT_CROSSFADE_MS;
    if (!(fadeMs >= 0 && fadeMs <= MAX_CROSSFADE_MS)) {
      throw new RangeError(`crossfadeMs must be within 0..${MAX_CROSSFADE_MS}, got ${fadeMs}`);
    }
    this.rate = rate;
    this.exact = options.exact ?? false;
    this.fadeSamples = this.exact ? 1 : Math.max(1, Math.round((fadeMs * rate) / 1000));
    this.pos = sampleAt(options.startNs ?? 0, rate);
    this.lastQueuedSample = this.pos;
  }

  /** The next sample `render` will write. */
  get position(): number {
    return this.pos;
  }

  /**
   * Total length once the stream has ended: the end sample, plus the last
   * crossfade's tail when declicking (so the final fade-out is not cut).
   * null while the stream goes on.
   */
  get length(): number | null {
    if (this.endSample === null) return null;
    return this.exact ? this.endSample : this.endSample + this.fadeSamples;
  }

  /** The stream has ended and every sample of it has been rendered. */
  get done(): boolean {
    const length = this.length;
    return length !== null && this.pos >= length;
  }

  /** The active set becomes `freqs` at logical time `ns`. Ignored after the end. */
  change(ns: number, freqs: readonly number[]): void {
    if (this.endSample !== null) return;
    this.enqueue(sampleAt(ns, this.rate), [...freqs]);
  }

  /** The stream ends at `ns`: everything falls silent there. */
  end(ns: number): void {
    if (this.endSample !== null) return;
    const sample = this.enqueue(sampleAt(ns, this.rate), []);
    this.endSample = sample;
  }

  /** Feed a FrequencyStream event. */
  push(event: StreamEvent): void {
    if (event.type === 'notes') this.change(event.ns, event.freqs);
    else this.end(event.ns);
  }

  /**
   * Render samples position .. toSample - 1 into `out` from `offset`, and return
   * how many were written. The array's type picks the format: Uint8Array the
   * demo's unsigned 8-bit levels, Int16Array signed 16-bit, Float32Array
   * floats. Past the end the output is the zero level.
   */
  render(toSample: number, out: SampleArray, offset = 0): number {
    const count = Math.max(0, toSample - this.pos);
    if (offset < 0 || offset + count > out.length) {
      throw new RangeError(`render of ${count} samples at offset ${offset} does not fit an array of ${out.length}`);
    }
    let at = offset;
    while (this.pos < toSample) {
      this.applyDue();
      const next = this.pendingHead < this.pending.length ? this.pending[this.pendingHead].sample : Infinity;
      const blockEnd = (Math.floor(this.pos / ANCHOR_BLOCK) + 1) * ANCHOR_BLOCK;
      const end = Math.min(toSample, blockEnd, next);
      const n = end - this.pos;
      if (this.exact) this.renderExact(n, out, at);
      else if (this.voices.length === 0) writeSilence(n, out, at);
      else {
        this.mixVoices(n);
        writeMix(this.mix, n, out, at);
      }
      at += n;
      this.pos = end;
      if (!this.exact) {
        this.dropSilentVoices();
        if (this.pos % ANCHOR_BLOCK === 0) for (const v of this.voices) anchor(v, this.pos, this.rate);
      }
    }
    return count;
  }

  private enqueue(sample: number, freqs: readonly number[]): number {
    // Changes come in time order; one that claims an earlier sample than the
    // last queued one (or than what is already rendered) takes effect as soon as it can.
    if (sample < this.lastQueuedSample) sample = this.lastQueuedSample;
    if (sample < this.pos) {
      this.lateChanges++;
      sample = this.pos;
    }
    this.lastQueuedSample = sample;
    this.pending.push({ sample, freqs });
    return sample;
  }

  /** Apply the changes whose sample has come. */
  private applyDue(): void {
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead].sample <= this.pos) {
      const { freqs } = this.pending[this.pendingHead++];
      if (this.exact) this.exactFreqs = freqs;
      else this.retarget(freqs);
    }
    if (this.pendingHead > 64 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** Start a crossfade at `pos`: every voice's gain heads for its share of the new set. */
  private retarget(freqs: readonly number[]): void {
    const k = this.pos;
    const share = freqs.length === 0 ? 0 : 1 / freqs.length;
    const targets = new Map<number, number>();
    for (const f of freqs) targets.set(f, (targets.get(f) ?? 0) + share);
    for (const v of this.voices) {
      v.from = this.gainAt(v, k - 1);
      v.to = targets.get(v.freq) ?? 0;
      v.rampStart = k;
      targets.delete(v.freq);
    }
    for (const [freq, to] of targets) {
      const w = 2 * Math.PI * (freq / this.rate);
      const v: Voice = { freq, sin: 0, cos: 1, stepCos: Math.cos(w), stepSin: Math.sin(w), from: 0, to, rampStart: k };
      anchor(v, k, this.rate);
      this.voices.push(v);
    }
  }

  private gainAt(v: Voice, k: number): number {
    const j = k - v.rampStart + 1;
    if (j >= this.fadeSamples) return v.to;
    if (j <= 0) return v.from;
    return v.from + ((v.to - v.from) * j) / this.fadeSamples;
  }

  /** Voices that have faded out are forgotten (a later add starts a fresh one, same phase rule). */
  private dropSilentVoices(): void {
    let keep = 0;
    for (const v of this.voices) {
      if (v.to === 0 && this.pos - v.rampStart >= this.fadeSamples) continue;
      this.voices[keep++] = v;
    }
    this.voices.length = keep;
  }

  /** Sum gain * sin over the voices for n samples from pos into this.mix. */
  private mixVoices(n: number): void {
    const mix = this.mix;
    mix.fill(0, 0, n);
    const k0 = this.pos;
    const fade = this.fadeSamples;
    const voices = this.voices;
    const ramping = (v: Voice): boolean => v.rampStart + fade - 1 - k0 > 0;
    // Voices are added in their fixed order, one addition each per sample, so the
    // sums (and the output bits) do not depend on how the chunks fall; two held
    // voices in a row share one pass over the mix.
    for (let i = 0; i < voices.length; i++) {
      const v = voices[i];
      if (ramping(v)) this.mixRamping(v, n);
      else if (i + 1 < voices.length && !ramping(voices[i + 1])) mixPair(mix, n, v, voices[++i]);
      else mixSteady(mix, n, v, 0);
    }
  }

  /** A voice whose gain ramps during this chunk (then holds). */
  private mixRamping(v: Voice, n: number): void {
    const mix = this.mix;
    const fade = this.fadeSamples;
    let s = v.sin;
    let c = v.cos;
    const dc = v.stepCos;
    const ds = v.stepSin;
    // The gain is a function of the sample index alone, so chunking cannot change it.
    const rampEnd = Math.min(n, v.rampStart + fade - 1 - this.pos);
    const from = v.from;
    const slope = (v.to - v.from) / fade;
    const base = this.pos - v.rampStart + 1;
    let j = 0;
    for (; j < rampEnd; j++) {
      mix[j] += (from + slope * (base + j)) * s;
      const t = s * dc + c * ds;
      c = c * dc - s * ds;
      s = t;
    }
    v.sin = s;
    v.cos = c;
    mixSteady(mix, n, v, j);
  }

  /** SPEC's formula as written, sample by sample. */
  private renderExact(n: number, out: SampleArray, at: number): void {
    const freqs = this.exactFreqs;
    const count = freqs.length;
    if (count === 0) {
      writeSilence(n, out, at);
      return;
    }
    const rate = this.rate;
    const k0 = this.pos;
    const sumAt = (k: number): number => {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += Math.sin((2 * Math.PI * freqs[i] * k) / rate);
      return sum;
    };
    if (out instanceof Uint8Array) {
      for (let j = 0; j < n; j++) out[at + j] = Math.floor(U8_ZERO + U8_SCALE * (1 / count) * sumAt(k0 + j));
    } else if (out instanceof Int16Array) {
      for (let j = 0; j < n; j++) out[at + j] = Math.round(S16_SCALE * (1 / count) * sumAt(k0 + j));
    } else {
      for (let j = 0; j < n; j++) out[at + j] = AMPLITUDE * (1 / count) * sumAt(k0 + j);
    }
  }
}

/** Add a voice at its held gain from mix index j to n, rotating its phase. */
function mixSteady(mix: Float64Array, n: number, v: Voice, j: number): void {
  let s = v.sin;
  let c = v.cos;
  const dc = v.stepCos;
  const ds = v.stepSin;
  const g = v.to;
  for (; j < n; j++) {
    mix[j] += g * s;
    const t = s * dc + c * ds;
    c = c * dc - s * ds;
    s = t;
  }
  v.sin = s;
  v.cos = c;
}

/** Two held voices in one pass (the same arithmetic per voice as mixSteady, half the memory traffic). */
function mixPair(mix: Float64Array, n: number, a: Voice, b: Voice): void {
  let sa = a.sin;
  let ca = a.cos;
  let sb = b.sin;
  let cb = b.cos;
  const dca = a.stepCos;
  const dsa = a.stepSin;
  const dcb = b.stepCos;
  const dsb = b.stepSin;
  const ga = a.to;
  const gb = b.to;
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

/** Set a voice's sin/cos to the exact phase at sample k. */
function anchor(v: Voice, k: number, rate: number): void {
  const angle = 2 * Math.PI * phaseCycles(v.freq, k, rate);
  v.sin = Math.sin(angle);
  v.cos = Math.cos(angle);
}
