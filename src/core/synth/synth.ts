import { noteFrequency } from '../stream/notes';
import type { StreamEvent } from '../stream/stream';
import type { Effect } from '../stream/fx';
import { DEFAULT_ENVELOPE, DEFAULT_LEVEL, DEFAULT_TIMBRE, isHit, type DrumName, type Envelope, type SamplePlay, type Timbre, type VoiceInfo } from '../stream/voice';
import { sampleAt } from '../time';
import { drumHit } from './drum-kit';
import type { SampleBank } from './sample-bank';
import { DEFAULT_RATE, writeMix, writeMixStereo, writeSilence, type SampleArray } from './format';
import { demoFrequency, writeExact } from './exact';
import { FxBuses, type Bus } from './fx-bus';
import { LIMIT, Limiter } from './limiter';
import { AM_HARMONICITY, fmTable, isTableTimbre, timbreTrim, waveTable } from './oscillator';
import { anchor, gainAt, heldGain, mixPair, mixPanned, mixQuad, mixShaped, mixSteady, panGains, wideHit, type Voice } from './voice-mix';

/**
 * The voices became these at logical time `ns` (a NotesEvent fits). Without
 * `voices`, each of `freqs` is one voice at the default level, kept while its
 * frequency stays in the set.
 */
export interface SynthChange {
  ns: number;
  freqs: readonly number[];
  voices?: readonly VoiceInfo[];
}

export interface SynthOptions {
  /** Output rate in Hz (default 48000; the demo's is 8000). */
  rate?: number;
  /**
   * The demo's arithmetic bit for bit: its one set of notes, mixed 0.8/N,
   * every change switching instantly (its clicks included). See exact.ts.
   */
  exact?: boolean;
  /**
   * The default envelope's attack and release, in ms (default 3, at most 5;
   * ignored when `exact` or when `envelope` is given).
   */
  crossfadeMs?: number;
  /** The envelope of voices that carry none (default: DEFAULT_ENVELOPE with crossfadeMs edges). */
  envelope?: Envelope;
  /** The timbre of voices that carry none (default sine). */
  timbre?: Timbre;
  /** Logical time of the first sample to render (default 0). k still counts from ns 0. */
  startNs?: number;
  /**
   * 2: stereo, each voice at its pan, written interleaved (left, right); 1
   * (the default): mono, every voice at the centre. Exact renders are mono.
   */
  channels?: 1 | 2;
  /** The session's decoded samples (`sample PATH`): a sample voice it does not hold is silent. */
  samples?: SampleBank;
}

/** 3 ms edges: no click at a change, and still heard as an instant attack (see docs/compatibility.md). */
export const DEFAULT_CROSSFADE_MS = 3;
export const MAX_CROSSFADE_MS = 5;

/**
 * Oscillator phases are re-anchored with exact values at every multiple of
 * this many samples (counted from k = 0, so the output does not depend on how
 * the caller splits its render calls). Drift within a block stays ~1e-13.
 */
export const ANCHOR_BLOCK = 512;

/**
 * The longest a render rings on after the stream's end (releases, reverbs,
 * echoes), in seconds: a tail still sounding then is cut (as long as the
 * longest release, MAX_ENVELOPE_SECONDS).
 */
export const MAX_TAIL_SECONDS = 60;


interface Pending {
  sample: number;
  voices: readonly VoiceSpec[];
  /** The demo's set in the order added, for exact mode. */
  exactFreqs: readonly number[];
  isEnd: boolean;
}

interface VoiceSpec {
  id: number;
  freq: number;
  level: number;
  envelope: Envelope | undefined;
  timbre: Timbre | undefined;
  pan: number;
  drum?: DrumName;
  rate?: number;
  sample?: SamplePlay;
  fx: readonly Effect[] | undefined;
}

/** What a sample voice plays when the bank lacks its sample: one silent sample. */
const SILENT_HIT = new Float32Array(1);

/**
 * Renders the stream's voices to PCM. Feed it changes in time order as they
 * come (`change`, `end`, or `push` for stream events) and pull samples with
 * `render(toSample, out)`. A change at logical time ns takes effect at sample
 * sampleAt(ns, rate). Each voice sounds its note at its own level through its
 * ADSR envelope (attack from the change's sample, release from the sample it
 * ends), phase continuous from k = 0, so voices of one pitch stay in phase. A
 * note that ends and starts again at one sample (a re-articulation) releases
 * in the default edge time, and the new voice's attack begins after it, so
 * the level dips to silence between the two. A voice with effects goes
 * through its chain's bus (fx-bus.ts) on its way to the mix. A limiter keeps
 * the sum within full scale (see limiter.ts). After the end the render rings
 * on until every release is over and every chain is silent (see `length`).
 */
export class Synth {
  readonly rate: number;
  readonly exact: boolean;
  readonly channels: 1 | 2;
  /** The default edge (attack and release) in samples; the tail after the end. */
  readonly fadeSamples: number;
  /** Changes that arrived after their sample had been rendered (applied late). */
  lateChanges = 0;

  private pos: number;
  private readonly pending: Pending[] = [];
  private pendingHead = 0;
  private lastQueuedSample = 0;
  private endSample: number | null = null;
  /** The sample the render stops at: found once every tail after the end has fallen silent. */
  private finishedAt: number | null = null;
  private readonly tailCap: number;
  private readonly buses: FxBuses;
  private voices: Voice[] = [];
  private readonly defaultEnvelope: Envelope;
  private readonly defaultTimbre: Timbre;
  /** For changes given as freqs only: the id standing for each sounding frequency. */
  private readonly freqIds = new Map<number, number>();
  private nextFreqId = -1;
  /** The set in exact mode. */
  private exactFreqs: readonly number[] = [];
  private readonly mix = new Float64Array(ANCHOR_BLOCK);
  /** Stereo: the mixes of the chunk when a voice is panned (else both are `mix`). */
  private readonly left = new Float64Array(ANCHOR_BLOCK);
  private readonly right = new Float64Array(ANCHOR_BLOCK);
  private readonly scratch = new Float64Array(ANCHOR_BLOCK);
  /** The sample after the last drum hit's end (a hit sounds out past the stream's end). */
  private hitsEnd = 0;
  private readonly limiter: Limiter;
  private readonly samples: SampleBank | undefined;

  constructor(options: SynthOptions = {}) {
    const rate = options.rate ?? DEFAULT_RATE;
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`rate must be a positive integer, got ${rate}`);
    const fadeMs = options.crossfadeMs ?? DEFAULT_CROSSFADE_MS;
    if (!(fadeMs >= 0 && fadeMs <= MAX_CROSSFADE_MS)) {
      throw new RangeError(`crossfadeMs must be within 0..${MAX_CROSSFADE_MS}, got ${fadeMs}`);
    }
    this.rate = rate;
    this.exact = options.exact ?? false;
    this.channels = this.exact ? 1 : (options.channels ?? 1);
    this.fadeSamples = this.exact ? 1 : Math.max(1, Math.round((fadeMs * rate) / 1000));
    this.defaultEnvelope = options.envelope ?? { ...DEFAULT_ENVELOPE, attack: fadeMs / 1000, release: fadeMs / 1000 };
    this.defaultTimbre = options.timbre ?? DEFAULT_TIMBRE;
    this.limiter = new Limiter(rate);
    this.samples = options.samples;
    this.buses = new FxBuses(rate, ANCHOR_BLOCK);
    this.tailCap = Math.round(MAX_TAIL_SECONDS * rate);
    this.pos = sampleAt(options.startNs ?? 0, rate);
    this.lastQueuedSample = this.pos;
  }

  /** The next sample `render` will write. */
  get position(): number {
    return this.pos;
  }

  /**
   * Total length, once known: the stream has ended and its tails have been
   * rendered to silence. A render goes on after the end while any voice
   * releases or any effect rings (its output above TAIL_SILENCE, -90 dBFS,
   * within its memory), at least the default edge and at most
   * MAX_TAIL_SECONDS; `exact` stops at the end. null until then.
   */
  get length(): number | null {
    return this.finishedAt;
  }

  /** The stream has ended (its tails may still ring). */
  get ended(): boolean {
    return this.endSample !== null;
  }

  /** The stream has ended and every sample of it, tails included, has been rendered. */
  get done(): boolean {
    return this.finishedAt !== null && this.pos >= this.finishedAt;
  }

  /** The voices become `voices` (or, without them, one per frequency) at logical time `ns`. Ignored after the end. */
  change(ns: number, freqs: readonly number[], voices?: readonly VoiceInfo[]): void {
    if (this.endSample !== null) return;
    const specs = this.specs(freqs, voices);
    if (!this.exact && voices !== undefined) {
      for (const v of voices) if (isHit(v) && v.sample?.loop !== true) this.hitsEnd = Math.max(this.hitsEnd, sampleAt(v.onset, this.rate) + this.hitOf(v).length);
    }
    this.enqueue(sampleAt(ns, this.rate), specs, exactSet(freqs, voices), false);
  }

  /** The stream ends at `ns`: everything falls silent there. */
  end(ns: number): void {
    if (this.endSample !== null) return;
    this.endSample = this.enqueue(sampleAt(ns, this.rate), [], [], true);
    if (this.exact) this.finishedAt = this.endSample;
  }

  /** Feed a FrequencyStream event. */
  push(event: StreamEvent): void {
    if (event.type === 'notes') this.change(event.ns, event.freqs, event.voices);
    else this.end(event.ns);
  }

  /**
   * Render samples position .. toSample - 1 into `out` from `offset`, and return
   * how many were written. The array's type picks the format: Uint8Array the
   * demo's unsigned 8-bit levels, Int16Array signed 16-bit, Float32Array
   * floats. Past the end the output is the zero level. In stereo, `offset`
   * and the count are frames: each is two values of `out`, left then right.
   */
  render(toSample: number, out: SampleArray, offset = 0): number {
    const count = Math.max(0, toSample - this.pos);
    this.renderSpan(toSample, out, offset, false);
    return count;
  }

  /**
   * Render at most `max` samples (frames, in stereo) from the position on, stopping where the
   * render ends (the stream over, its tails silent), and return how many were
   * written: how a caller renders a stream's last part, whose length the tails decide.
   */
  renderToEnd(max: number, out: SampleArray, offset = 0): number {
    const from = this.pos;
    this.renderSpan(from + Math.max(0, max), out, offset, true);
    return this.pos - from;
  }

  private renderSpan(toSample: number, out: SampleArray, offset: number, stopAtEnd: boolean): void {
    const count = Math.max(0, toSample - this.pos);
    const c = this.channels;
    if (offset < 0 || (offset + count) * c > out.length) {
      throw new RangeError(`render of ${count} ${c === 1 ? 'samples' : 'frames'} at offset ${offset} does not fit an array of ${out.length}`);
    }
    let at = offset;
    while (this.pos < toSample && !(stopAtEnd && this.done)) {
      this.applyDue();
      const next = this.pendingHead < this.pending.length ? this.pending[this.pendingHead].sample : Infinity;
      const blockEnd = (Math.floor(this.pos / ANCHOR_BLOCK) + 1) * ANCHOR_BLOCK;
      const end = Math.min(toSample, blockEnd, next, this.tailStop());
      const n = end - this.pos;
      if (this.exact) writeExact(this.exactFreqs, this.pos, n, this.rate, out, at);
      else if (this.voices.length === 0 && this.buses.size === 0) writeSilence(n * c, out, at * c);
      else this.writeVoices(n, out, at);
      at += n;
      this.pos = end;
      if (!this.exact) {
        this.dropSilentVoices();
        if (this.pos % ANCHOR_BLOCK === 0) {
          for (const v of this.voices) anchor(v, this.pos, this.rate);
          this.buses.dropSilent();
        }
        this.checkFinished();
      }
    }
  }

  /** After the end, blocks stop where a release ends (so a render without effects ends on its last sound's sample), at the default edge, and at the cap. */
  private tailStop(): number {
    const end = this.endSample;
    if (end === null || this.pos < end || this.finishedAt !== null) return Infinity;
    let stop = end + this.tailCap;
    if (this.pos < end + this.fadeSamples) stop = Math.min(stop, end + this.fadeSamples);
    for (const v of this.voices) {
      const silent = v.releaseAt + v.release;
      if (silent > this.pos && silent < stop) stop = silent;
    }
    return stop;
  }

  /** Once the stream has ended: the render is over when nothing rings (or at the cap, where what rings is cut). */
  private checkFinished(): void {
    const end = this.endSample;
    if (end === null || this.finishedAt !== null) return;
    if (this.pos >= end + this.tailCap) {
      this.voices.length = 0;
      this.buses.clear();
      this.limiter.reset();
      this.finishedAt = this.pos;
    } else if (this.pos >= Math.max(end + this.fadeSamples, this.hitsEnd) && this.voices.length === 0 && this.buses.size === 0) this.finishedAt = this.pos;
  }

  /** Mix the voices for n samples, limit, and write them (mono, or stereo frames) at `at`. */
  private writeVoices(n: number, out: SampleArray, at: number): void {
    let bound = this.mixVoices(n);
    // The effect chains' outputs join the (centre) mix; what they ring is not bounded by the voices' levels.
    if (this.buses.size > 0) {
      this.buses.mixInto(this.mix, n);
      bound = Infinity;
    }
    // A mix that cannot reach the ceiling, or does not in this chunk, passes untouched: the limiter would
    // leave it so, and the envelope it would have kept under LIMIT makes no difference later (see Limiter.idle).
    const idle = this.limiter.idle;
    if (this.channels === 1) {
      if (!idle || (bound > LIMIT && overLimit(this.mix, n))) this.limiter.process(this.mix, n);
      writeMix(this.mix, n, out, at);
    } else if (!this.mixPanned(n)) {
      if (!idle || (bound > LIMIT && overLimit(this.mix, n))) this.limiter.process(this.mix, n);
      writeMixStereo(this.mix, this.mix, n, out, at);
    } else {
      if (!idle || (bound > LIMIT && (overLimit(this.left, n) || overLimit(this.right, n)))) this.limiter.processStereo(this.left, this.right, n);
      writeMixStereo(this.left, this.right, n, out, at);
    }
  }

  private specs(freqs: readonly number[], voices: readonly VoiceInfo[] | undefined): VoiceSpec[] {
    if (voices !== undefined) {
      return voices.map((v) => ({ id: v.id, freq: noteFrequency(v.note), level: v.level, envelope: v.envelope, timbre: v.timbre, pan: v.pan ?? 0, drum: v.drum, rate: v.rate, sample: v.sample, fx: v.fx }));
    }
    const ids = new Map<number, number>();
    for (const f of freqs) ids.set(f, this.freqIds.get(f) ?? this.nextFreqId--);
    this.freqIds.clear();
    for (const [f, id] of ids) this.freqIds.set(f, id);
    return [...ids].map(([freq, id]) => ({ id, freq, level: DEFAULT_LEVEL, envelope: undefined, timbre: undefined, pan: 0, fx: undefined }));
  }

  private enqueue(sample: number, voices: readonly VoiceSpec[], exactFreqs: readonly number[], isEnd: boolean): number {
    // Changes come in time order; one that claims an earlier sample than the
    // last queued one (or than what is already rendered) takes effect as soon as it can.
    if (sample < this.lastQueuedSample) sample = this.lastQueuedSample;
    if (sample < this.pos) {
      this.lateChanges++;
      sample = this.pos;
    }
    this.lastQueuedSample = sample;
    this.pending.push({ sample, voices, exactFreqs, isEnd });
    return sample;
  }

  /** Apply the changes whose sample has come. */
  private applyDue(): void {
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead].sample <= this.pos) {
      const change = this.pending[this.pendingHead++];
      if (this.exact) this.exactFreqs = change.exactFreqs;
      else this.retarget(change);
    }
    if (this.pendingHead > 64 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** Release the voices that are gone, start the new ones (after the release of a same-pitch voice that ends here). */
  private retarget(change: Pending): void {
    const k = this.pos;
    const wanted = new Set(change.voices.map((v) => v.id));
    const endedHere = new Map<number, Voice>();
    const known = new Set<number>();
    for (const v of this.voices) {
      known.add(v.id);
      if (change.isEnd) {
        // A drum hit still sounding when the stream ends (nobody holds it, or it would have been cut) sounds out;
        // a held voice releases as it would (its tail rings on, as the app's does); a releasing one goes on.
        if (v.hit !== null && v.releaseAt === Infinity) continue;
        if (v.releaseAt === Infinity) {
          v.releaseFrom = heldGain(v, k - 1);
          v.releaseAt = k;
        }
        continue;
      }
      if (v.releaseAt !== Infinity || wanted.has(v.id)) continue;
      v.releaseFrom = heldGain(v, k - 1);
      v.releaseAt = k;
      if (v.hit === null) endedHere.set(v.freq, v);
    }
    for (const spec of change.voices) {
      if (known.has(spec.id)) continue;
      const v = this.newVoice(spec, k);
      const before = v.hit === null ? endedHere.get(spec.freq) : undefined;
      if (before !== undefined) {
        // A re-articulation: let the old voice fall silent first, within the default edge.
        before.release = Math.min(before.release, this.fadeSamples);
        v.start = k + before.release;
      }
      this.voices.push(v);
    }
  }

  private newVoice(spec: VoiceSpec, k: number): Voice {
    // A drum hit is its own sound: full from its first sample, cut within the default edge if it is cut short.
    const hit = isHit(spec) ? this.hitOf(spec) : null;
    const env = hit !== null ? { attack: 0, decay: 0, sustain: 1, release: this.fadeSamples / this.rate } : (spec.envelope ?? this.defaultEnvelope);
    const gains = panGains(spec.pan);
    const timbre = spec.timbre ?? this.defaultTimbre;
    const samples = (s: number): number => Math.round(s * this.rate);
    const w = 2 * Math.PI * (spec.freq / this.rate);
    // Each timbre as loud as a sine (its gain goes into the level) and centred on zero.
    const trim = timbreTrim(timbre, spec.freq, this.rate);
    const bus = spec.fx !== undefined && spec.fx.length > 0 ? this.buses.join(spec.fx) : null;
    const v: Voice = {
      id: spec.id,
      freq: spec.freq,
      level: hit !== null ? spec.level : spec.level * trim.gain,
      timbre,
      attack: Math.max(1, samples(env.attack)),
      decay: samples(env.decay),
      sustain: env.sustain,
      release: Math.max(1, samples(env.release)),
      start: k,
      releaseAt: Infinity,
      releaseFrom: 0,
      sin: 0,
      cos: 1,
      stepCos: Math.cos(w),
      stepSin: Math.sin(w),
      phase: 0,
      inc: spec.freq / this.rate,
      table: hit !== null ? null : voiceTable(timbre, spec.freq, this.rate),
      modPhase: 0,
      modInc: (spec.freq * AM_HARMONICITY) / this.rate,
      offset: hit !== null ? 0 : trim.offset,
      reach: hit !== null ? 1 : trim.reach,
      // A drum hit is short and shared: widened once to doubles for the mix; a sample (up to minutes) is read as floats.
      hit: hit !== null && spec.drum !== undefined ? wideHit(hit) : hit,
      loop: spec.sample?.loop === true,
      // a voice with effects goes through its chain, which plays at the centre (the chains are mono)
      panned: this.channels === 2 && spec.pan !== 0 && bus === null,
      gainLeft: gains.left,
      gainRight: gains.right,
      bus,
    };
    anchor(v, k, this.rate);
    return v;
  }

  /** A hit's samples: a drum's, or a sample's part from the bank (silence if the bank lacks it). */
  private hitOf(v: { drum?: DrumName; sample?: SamplePlay; rate?: number }): Float32Array {
    if (v.drum !== undefined) return drumHit(v.drum, this.rate, v.rate ?? 1);
    return (v.sample !== undefined ? this.samples?.pcm(v.sample, this.rate, v.rate ?? 1) : undefined) ?? SILENT_HIT;
  }

  /** Voices whose release has ended are forgotten. */
  private dropSilentVoices(): void {
    let keep = 0;
    for (const v of this.voices) {
      if (this.pos >= v.releaseAt + v.release || (v.hit !== null && !v.loop && this.pos >= v.start + v.hit.length)) {
        if (v.bus !== null) v.bus.voices--;
        continue;
      }
      this.voices[keep++] = v;
    }
    this.voices.length = keep;
    if (keep === 0 && this.buses.size === 0) this.limiter.reset();
  }

  /** Sum gain * wave over the voices for n samples from pos into this.mix; return a bound on |mix|. */
  private mixVoices(n: number): number {
    const mix = this.mix;
    mix.fill(0, 0, n);
    this.buses.begin(n);
    const k0 = this.pos;
    const voices = this.voices;
    // Voices are added in their fixed order, one addition each per sample, so the
    // sums (and the output bits) do not depend on how the chunks fall; four (or two) held
    // sines in a row share one pass over the mix. Panned voices come after (mixPanned).
    let bound = 0;
    // A voice with effects goes into its chain's input instead (fx-bus.ts).
    for (let i = 0; i < voices.length; i++) {
      const v = voices[i];
      if (v.panned) {
        bound += v.level * v.reach * Math.SQRT2;
        continue;
      }
      const into = v.bus === null ? mix : v.bus.input;
      bound += v.level * v.reach;
      if (!steady(v, k0, n)) mixShaped(into, n, v, k0);
      else if (steadyBeside(voices, i, 3, k0, n)) {
        bound += voices[i + 1].level + voices[i + 2].level + voices[i + 3].level;
        mixQuad(into, n, v, voices[i + 1], voices[i + 2], voices[i + 3]);
        i += 3;
      } else if (steadyBeside(voices, i, 1, k0, n)) {
        bound += voices[i + 1].level;
        mixPair(into, n, v, voices[++i]);
      } else mixSteady(into, n, v);
    }
    return bound;
  }

  /** Stereo: the centre mix plus each panned voice at its gains into this.left and this.right; false when none is panned. */
  private mixPanned(n: number): boolean {
    let any = false;
    const k0 = this.pos;
    for (const v of this.voices) {
      if (!v.panned) continue;
      if (!any) {
        // copied in a loop: a subarray would be an allocation every chunk
        for (let j = 0; j < n; j++) this.left[j] = this.right[j] = this.mix[j];
        any = true;
      }
      mixPanned(this.left, this.right, this.scratch, n, v, k0);
    }
    return any;
  }
}

/** A held sine at its sustain through samples k0 .. k0 + n - 1, straight into its target: mixed by mixSteady, mixPair or mixQuad. */
function steady(v: Voice, k0: number, n: number): boolean {
  return v.timbre === 'sine' && v.hit === null && !v.panned && k0 >= v.start + v.attack + v.decay && k0 + n <= v.releaseAt;
}

/** The `count` voices after voices[i] are steady too, into the same target (so one pass can mix them all). */
function steadyBeside(voices: readonly Voice[], i: number, count: number, k0: number, n: number): boolean {
  if (i + count >= voices.length) return false;
  for (let d = 1; d <= count; d++) if (!steady(voices[i + d], k0, n) || voices[i + d].bus !== voices[i].bus) return false;
  return true;
}

/** Some |mix[j]| of the chunk passes LIMIT (the limiter would change it). */
function overLimit(mix: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) if (Math.abs(mix[j]) > LIMIT) return true;
  return false;
}

/** The demo's set for exact mode: the voices' notes in the order added (by the demo's own tuning), else the freqs given. */
function exactSet(freqs: readonly number[], voices: readonly VoiceInfo[] | undefined): number[] {
  if (voices === undefined) return [...freqs];
  const notes: number[] = [];
  for (const v of voices) if (!isHit(v) && !notes.includes(v.note)) notes.push(v.note);
  return notes.map(demoFrequency);
}

/** The table a voice of `timbre` reads: its own wave, fm's (oscillator.ts), or am's square modulator; none for sine and noise. */
function voiceTable(timbre: Timbre, freq: number, rate: number): Float64Array | null {
  if (isTableTimbre(timbre)) return waveTable(timbre, freq, rate);
  if (timbre === 'fm') return fmTable(freq, rate);
  return timbre === 'am' ? waveTable('square', freq * AM_HARMONICITY, rate) : null;
}
