/**
 * Applies scheduled voice changes to a Tone.js graph: one voice per stream
 * voice (a note held by one owner), each its own oscillator, ADSR envelope
 * (Tone.AmplitudeEnvelope, linear edges as in the core synth) and level gain,
 * all summed into the mix, then the peak limiter (limiter.ts) and the master
 * volume. The same class plays live and renders into an OfflineContext, so a
 * test hears exactly what the live path schedules.
 *
 * The basic timbres are the context's own OscillatorNodes, started and stopped
 * at their exact times: Tone's Oscillator wraps each in a one-shot gain whose
 * stop logic cancels an earlier start when both are scheduled ahead (as they
 * are when a whole recording is rendered offline). fm and am are Tone's
 * FMOscillator and AMOscillator with their defaults, like the core synth's
 * (src/core/synth/oscillator.ts), and with the same trim: each timbre's gain
 * makes it as loud as a sine, and a constant source takes away am's and fm's DC.
 * The noise timbre and the drum hits play the
 * core's own samples (src/core/synth/drum-kit.ts) from AudioBuffers, so they
 * are the WAV render's sound.
 *
 * The mix is stereo. A voice at the centre goes into it as it is (mono, heard
 * alike in both channels); a panned one through a StereoPannerNode (equal
 * power) with its level times sqrt 2, so that the centre is the mono level in
 * each channel, as the core synth pans (voice-mix.ts, panGains).
 */
import * as Tone from 'tone';
import { chainKey, MAX_LIVE_CHAINS, tailSeconds, type Effect } from '../../core/stream/fx';
import { TIMBRES, type Timbre } from '../../core/stream/voice';
import { drumHit, noiseTable } from '../../core/synth/drum-kit';
import { pageSamples } from './samples';
import { timbreTrim } from '../../core/synth/oscillator';
import { MAX_TAIL_SECONDS } from '../../core/synth/synth';
import { createFxNode, loadFx } from './fx';
import { createLimiter, loadLimiter } from './limiter';
import { DEFAULT_EDGE_S, diffVoiceIds, type PlayedVoice, type VoiceChange } from './schedule';

/** The waveform menu: the timbre of voices that set none. */
export type Waveform = Timbre;
export const WAVEFORMS: readonly Waveform[] = TIMBRES;

type BasicTimbre = Exclude<Timbre, 'fm' | 'am' | 'noise'>;
const isBasic = (t: Timbre): t is BasicTimbre => t !== 'fm' && t !== 'am' && t !== 'noise';

/** A voice's sound source: a native oscillator, Tone's fm/am oscillator, or samples (noise, a drum hit). */
type VoiceSource =
  | { kind: 'basic'; osc: OscillatorNode }
  | { kind: 'tone'; osc: Tone.FMOscillator | Tone.AMOscillator; dc: ConstantSourceNode }
  | { kind: 'buffer'; osc: AudioBufferSourceNode };

interface LiveVoice {
  id: number;
  note: number;
  /** null: follows the waveform menu. */
  timbre: Timbre | null;
  /** The timbre it sounds now. */
  sounds: Timbre;
  freq: number;
  source: VoiceSource;
  /** null for a drum hit (its samples are its envelope; `level` cuts it short). */
  envelope: Tone.AmplitudeEnvelope | null;
  level: Tone.Gain;
  panner: StereoPannerNode | null;
  /** The voice's level on the way into the panner (amp, times sqrt 2 when panned), before its timbre's trim. */
  amp: number;
  /** Audio time of its attack, and of its silence after the release (Infinity while held; a hit's end). */
  startAt: number;
  silentAt: number;
  /** A drum hit: its level while it sounds (cut from it when released early). */
  hit: { level: number } | null;
  /** The chain it goes through (its key), or null: straight into the mix (or its panner). */
  chain: string | null;
}

/** One chain's node, shared by the voices that go through it; kept after the last one for its tail. */
interface LiveChain {
  node: AudioWorkletNode;
  voices: number;
  /** Seconds it rings after its last voice (fx.ts tailSeconds). */
  tail: number;
  /** Audio time its last voice fell silent. */
  lastSilent: number;
}

/**
 * The most voices the graph sounds at once (each is an oscillator, an envelope
 * and a gain): a voice that starts beyond it stays silent, and is counted.
 */
export const MAX_PLAYED_VOICES = 256;

export class VoicePlayer {
  private readonly mix: Tone.Gain;
  private readonly master: Tone.Gain;
  /** Held (or scheduled) voices by stream voice id. */
  private held = new Map<number, LiveVoice>();
  /** Voices released, kept until they have fallen silent (then disposed, live). */
  private releasing: LiveVoice[] = [];
  private sounding: PlayedVoice[] = [];
  private wave: Waveform;
  private volumeLevel: number;
  private limiter: AudioWorkletNode | null = null;
  private fxLoaded = false;
  /** Chains by key, oldest first. */
  private readonly chains = new Map<string, LiveChain>();
  private sweepTimer: ReturnType<typeof setTimeout> | null = null;
  /** Voices not sounded because MAX_PLAYED_VOICES were sounding. */
  droppedVoices = 0;

  constructor(
    private readonly context: Tone.BaseContext,
    options: { waveform?: Waveform; volume?: number } = {},
  ) {
    this.wave = options.waveform ?? 'sine';
    this.volumeLevel = options.volume ?? 1;
    this.mix = new Tone.Gain({ context, gain: 1 });
    this.master = new Tone.Gain({ context, gain: this.volumeLevel });
    this.mix.connect(this.master);
    this.master.connect(context.destination);
  }

  /**
   * Put the limiter between the mix and the volume once its module has loaded
   * (until then, a moment at start-up, the mix goes straight through).
   */
  async limit(): Promise<void> {
    if (this.limiter !== null) return;
    const raw = this.context.rawContext as unknown as BaseAudioContext;
    await loadLimiter(raw);
    if (this.limiter !== null) return;
    const limiter = createLimiter(raw, 2);
    this.mix.disconnect(this.master);
    Tone.connect(this.mix, limiter);
    Tone.connect(limiter, this.master);
    this.limiter = limiter;
  }

  /** Load the effects' worklet (until it has loaded, voices with effects sound dry). */
  async loadEffects(): Promise<void> {
    await loadFx(this.context.rawContext as unknown as BaseAudioContext);
    this.fxLoaded = true;
  }

  get limited(): boolean {
    return this.limiter !== null;
  }

  get waveform(): Waveform {
    return this.wave;
  }

  /** The menu changed: the voices that set no timbre of their own take it on from now. */
  set waveform(type: Waveform) {
    this.wave = type;
    const now = this.context.currentTime;
    for (const v of this.held.values()) {
      if (v.timbre !== null || v.sounds === type || v.envelope === null) continue;
      if (v.source.kind === 'basic' && isBasic(type)) v.source.osc.type = type;
      else {
        // a change of kind: a new source into the same envelope, the old one stops now
        stopSource(v.source, now);
        v.source = this.createSource(type, v.freq, v.envelope, Math.max(now, v.startAt));
      }
      v.level.gain.setValueAtTime(v.amp * this.trim(type, v.freq).gain, now);
      v.sounds = type;
    }
  }

  /** The master output (after the volume), to tap for metering or recording. */
  get output(): Tone.Gain {
    return this.master;
  }

  get volume(): number {
    return this.volumeLevel;
  }

  /** Master volume, 0..1 (linear), from now on. */
  set volume(level: number) {
    this.volumeLevel = Math.min(1, Math.max(0, level));
    const now = this.context.currentTime;
    this.master.gain.cancelScheduledValues(now);
    this.master.gain.setValueAtTime(this.volumeLevel, now);
  }

  /** Notes that sound after the last applied change (one per pitch, in the voices' order; a drum hit is not a note). */
  get notes(): readonly number[] {
    return [...new Set(this.sounding.filter((v) => v.drum === undefined).map((v) => v.note))];
  }

  /** Voices held (or releasing) in the graph: for tests and diagnosis. */
  get voiceCount(): { held: number; releasing: number; chains: number } {
    return { held: this.held.size, releasing: this.releasing.length, chains: this.chains.size };
  }

  /** Make the graph sound `change`'s voices from `change.at` on, sample-exact. */
  apply(change: VoiceChange): void {
    const after = change.voices ?? [];
    const diff = diffVoiceIds(this.sounding, after, change.at);
    for (const r of diff.release) {
      const v = this.held.get(r.id);
      if (v === undefined) continue;
      this.held.delete(r.id);
      this.release(v, r.at, r.seconds);
    }
    for (const { voice, at } of diff.start) {
      if (this.held.size >= MAX_PLAYED_VOICES) this.droppedVoices++;
      else this.held.set(voice.id, this.startVoice(voice, at));
    }
    this.sounding = after;
    this.scheduleSweep();
  }

  /** The voice's level (times sqrt 2 when panned, see the top) into the mix, through a panner when it is off centre. */
  private levelInto(voice: PlayedVoice, trim = 1, chain: string | null = null): { level: Tone.Gain; panner: StereoPannerNode | null } {
    if (chain !== null) {
      const level = new Tone.Gain({ context: this.context, gain: voice.level * trim });
      Tone.connect(level, this.chains.get(chain)!.node);
      return { level, panner: null };
    }
    const panned = voice.pan !== 0;
    const level = new Tone.Gain({ context: this.context, gain: voice.level * (panned ? Math.SQRT2 : 1) * trim });
    if (!panned) {
      level.connect(this.mix);
      return { level, panner: null };
    }
    const panner = (this.context.rawContext as unknown as BaseAudioContext).createStereoPanner();
    panner.pan.value = voice.pan;
    Tone.connect(level, panner);
    Tone.connect(panner, this.mix);
    return { level, panner };
  }

  /** A drum hit or a sample: the core's samples of it, from `at`, at the voice's level (a sample through its chain). */
  private startHit(voice: PlayedVoice, at: number): LiveVoice {
    const raw = this.context.rawContext as unknown as BaseAudioContext;
    const chain = voice.sample !== undefined && voice.fx !== undefined && voice.fx.length > 0 && this.fxLoaded ? this.joinChain(voice.fx) : null;
    const { level, panner } = this.levelInto(voice, 1, chain);
    const osc = raw.createBufferSource();
    Tone.connect(osc, level);
    const gain = chain === null ? voice.level * (voice.pan !== 0 ? Math.SQRT2 : 1) : voice.level;
    const live: LiveVoice = { id: voice.id, note: voice.note, timbre: null, sounds: 'sine', freq: voice.freq, source: { kind: 'buffer', osc }, envelope: null, level, panner, amp: gain, startAt: at, silentAt: Infinity, hit: { level: gain }, chain };
    const samples = voice.drum !== undefined ? drumHit(voice.drum, raw.sampleRate, voice.rate ?? 1) : pageSamples.pcm(voice.sample!, raw.sampleRate, voice.rate ?? 1);
    if (samples !== undefined) this.soundHit(live, osc, samples, voice, at, 0);
    else {
      // not fetched yet: it starts when it comes, from where it would be by then (unless it was cut meanwhile)
      live.silentAt = at + 60;
      void pageSamples.fetch(voice.sample!.id).then(() => {
        const now = raw.currentTime;
        const pcm = pageSamples.pcm(voice.sample!, raw.sampleRate, voice.rate ?? 1);
        if (pcm === undefined || live.silentAt < now) return;
        this.soundHit(live, osc, pcm, voice, Math.max(at, now), Math.max(0, now - at));
      });
    }
    // it ends by itself (the stream lets it go with no event): swept once silent, cut sooner if released
    this.releasing.push(live);
    return live;
  }

  private soundHit(live: LiveVoice, osc: AudioBufferSourceNode, samples: Float32Array, voice: PlayedVoice, at: number, offset: number): void {
    osc.buffer = bufferOf(this.context.rawContext as unknown as BaseAudioContext, samples);
    const loop = voice.sample?.loop === true;
    osc.loop = loop;
    osc.start(at, loop ? offset % osc.buffer.duration : offset);
    live.silentAt = loop ? Infinity : at + osc.buffer.duration - offset;
  }

  private startVoice(voice: PlayedVoice, at: number): LiveVoice {
    if (voice.drum !== undefined || voice.sample !== undefined) return this.startHit(voice, at);
    const context = this.context;
    const e = voice.envelope;
    const envelope = new Tone.AmplitudeEnvelope({
      context,
      attack: e.attack,
      decay: e.decay,
      sustain: e.sustain,
      release: e.release,
      attackCurve: 'linear',
      decayCurve: 'linear',
      releaseCurve: 'linear',
    });
    const chain = voice.fx !== undefined && voice.fx.length > 0 && this.fxLoaded ? this.joinChain(voice.fx) : null;
    const sounds = voice.timbre ?? this.wave;
    const { level, panner } = this.levelInto(voice, this.trim(sounds, voice.freq).gain, chain);
    envelope.connect(level);
    const source = this.createSource(sounds, voice.freq, envelope, at);
    envelope.triggerAttack(at);
    // a voice with effects goes through its chain's node, which plays at the centre (the chains are mono, as the core's)
    const amp = chain === null ? voice.level * (voice.pan !== 0 ? Math.SQRT2 : 1) : voice.level;
    return { id: voice.id, note: voice.note, timbre: voice.timbre, sounds, freq: voice.freq, source, envelope, level, panner, amp, startAt: at, silentAt: Infinity, hit: null, chain };
  }

  private trim(timbre: Timbre, freq: number): ReturnType<typeof timbreTrim> {
    return timbreTrim(timbre, freq, this.context.sampleRate);
  }
  /** The chain a new voice of `fx` goes through (its node made if there is none); its key. */
  private joinChain(fx: readonly Effect[]): string {
    const key = chainKey(fx);
    let chain = this.chains.get(key);
    if (chain === undefined) {
      if (this.chains.size >= MAX_LIVE_CHAINS) this.cutOldestTail();
      const node = createFxNode(this.context.rawContext as unknown as BaseAudioContext, fx);
      Tone.connect(node, this.mix);
      chain = { node, voices: 0, tail: tailSeconds(fx, MAX_TAIL_SECONDS), lastSilent: 0 };
      this.chains.set(key, chain);
    }
    chain.voices++;
    return key;
  }

  /** A voice of a chain is gone (disposed, or silent offline). */
  private leaveChain(v: LiveVoice): void {
    const chain = v.chain === null ? undefined : this.chains.get(v.chain);
    v.chain = null;
    if (chain === undefined) return;
    chain.voices--;
    chain.lastSilent = Math.max(chain.lastSilent, v.silentAt);
  }

  /** Too many chains: the oldest that no voice holds is cut (its tail ends). */
  private cutOldestTail(): void {
    for (const [key, chain] of this.chains) {
      if (chain.voices > 0) continue;
      chain.node.disconnect();
      this.chains.delete(key);
      return;
    }
  }

  private createSource(timbre: Timbre, freq: number, into: Tone.ToneAudioNode, at: number): VoiceSource {
    if (timbre === 'noise') {
      // the core's noise loop, read from the attack on, round and round
      const raw = this.context.rawContext as unknown as BaseAudioContext;
      const osc = raw.createBufferSource();
      osc.buffer = bufferOf(raw, noiseTable());
      osc.loop = true;
      Tone.connect(osc, into);
      osc.start(at);
      return { kind: 'buffer', osc };
    }
    if (isBasic(timbre)) {
      const osc = (this.context.rawContext as unknown as BaseAudioContext).createOscillator();
      osc.type = timbre;
      osc.frequency.value = freq;
      Tone.connect(osc, into);
      osc.start(at);
      return { kind: 'basic', osc };
    }
    const options = { context: this.context, frequency: freq };
    const osc = timbre === 'fm' ? new Tone.FMOscillator(options) : new Tone.AMOscillator(options);
    osc.connect(into);
    osc.start(at);
    // The wave's DC, taken away before the envelope, as the core synth does.
    const dc = (this.context.rawContext as unknown as BaseAudioContext).createConstantSource();
    dc.offset.value = -this.trim(timbre, freq).offset;
    Tone.connect(dc, into);
    dc.start(at);
    return { kind: 'tone', osc, dc };
  }

  /** Release from `at` over `seconds` (the voice's own release, or less at a re-articulation). */
  private release(v: LiveVoice, at: number, seconds: number): void {
    if (v.hit !== null) {
      this.cutHit(v, at);
      return;
    }
    if (v.envelope === null) return;
    v.envelope.release = seconds;
    v.envelope.triggerRelease(Math.max(at, v.startAt));
    v.silentAt = Math.max(at, v.startAt) + seconds;
    stopSource(v.source, v.silentAt + 0.001);
    this.releasing.push(v);
  }

  /** A drum hit that ends before it has sounded out is cut within the default edge; one that has, just goes. */
  private cutHit(v: LiveVoice, at: number): void {
    const from = Math.max(at, v.startAt);
    if (from >= v.silentAt) return;
    const gain = v.level.gain;
    gain.setValueAtTime(v.hit!.level, from);
    gain.linearRampToValueAtTime(0, from + DEFAULT_EDGE_S);
    v.silentAt = from + DEFAULT_EDGE_S;
    stopSource(v.source, v.silentAt + 0.001);
  }

  /** Live, dispose voices once silent, and chains once their tails are over (offline, the whole graph goes with the render). */
  private scheduleSweep(): void {
    if (this.context.isOffline || this.sweepTimer !== null) return;
    let next = Infinity;
    for (const v of this.releasing) next = Math.min(next, v.silentAt);
    for (const c of this.chains.values()) if (c.voices === 0) next = Math.min(next, c.lastSilent + c.tail);
    if (next === Infinity) return;
    const delayMs = Math.max(0, (next - this.context.currentTime) * 1000) + 50;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.sweep();
      this.scheduleSweep();
    }, delayMs);
  }

  private sweep(): void {
    const now = this.context.currentTime;
    const keep: LiveVoice[] = [];
    for (const v of this.releasing) {
      if (v.silentAt >= now - 0.01) keep.push(v);
      else {
        this.leaveChain(v);
        disposeVoice(v);
        // a drum hit that has sounded out is let go of, held or not
        if (this.held.get(v.id) === v) this.held.delete(v.id);
      }
    }
    this.releasing = keep;
    for (const [key, chain] of this.chains) {
      if (chain.voices > 0 || chain.lastSilent + chain.tail > now - 0.01) continue;
      chain.node.disconnect();
      this.chains.delete(key);
    }
  }

  /**
   * Silence everything now: the master gain drops to 0 at the current audio
   * time (the next render quantum), every voice stops, pending changes are
   * dropped, and the volume comes back once the voices are gone.
   */
  panic(): void {
    const now = this.context.currentTime;
    const gain = this.master.gain;
    gain.cancelScheduledValues(now);
    gain.setValueAtTime(0, now);
    for (const v of this.held.values()) {
      stopSource(v.source, now + 0.01);
      v.silentAt = now + 0.01;
      if (v.hit === null) this.releasing.push(v); // a hit is there already
    }
    for (const v of this.releasing) {
      stopSource(v.source, now + 0.01);
      v.silentAt = Math.min(v.silentAt, now + 0.01);
    }
    this.held.clear();
    this.sounding = [];
    // the tails go too: a reverb must not ring on once the volume is back
    for (const chain of this.chains.values()) {
      chain.node.disconnect();
      chain.voices = 0;
    }
    this.chains.clear();
    for (const v of this.releasing) v.chain = null;
    gain.setValueAtTime(this.volumeLevel, now + 0.02);
    this.scheduleSweep();
  }

  dispose(): void {
    if (this.sweepTimer !== null) clearTimeout(this.sweepTimer);
    for (const v of new Set([...this.held.values(), ...this.releasing])) disposeVoice(v);
    this.held.clear();
    this.releasing = [];
    for (const chain of this.chains.values()) chain.node.disconnect();
    this.chains.clear();
    this.limiter?.disconnect();
    this.mix.dispose();
    this.master.dispose();
  }
}

/** Stop a voice's source at `at`; one already stopped (or never started) is left alone. */
function stopSource(source: VoiceSource, at: number): void {
  for (const node of source.kind === 'tone' ? [source.dc, source.osc] : [source.osc]) {
    try {
      node.stop(at);
    } catch {
      // stop() twice throws InvalidStateError; the voice is stopping anyway
    }
  }
}

function disposeVoice(v: LiveVoice): void {
  if (v.source.kind !== 'tone') {
    stopSource(v.source, 0);
    v.source.osc.disconnect();
  } else {
    v.source.dc.disconnect();
    v.source.osc.dispose();
  }
  v.envelope?.dispose();
  v.level.dispose();
  v.panner?.disconnect();
}

/** The samples as a one-channel AudioBuffer of the context (made once per array and context). */
const buffers = new WeakMap<Float32Array, { context: BaseAudioContext; buffer: AudioBuffer }>();
function bufferOf(context: BaseAudioContext, samples: Float32Array): AudioBuffer {
  const made = buffers.get(samples);
  if (made !== undefined && made.context === context) return made.buffer;
  const buffer = context.createBuffer(1, samples.length, context.sampleRate);
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  buffers.set(samples, { context, buffer });
  return buffer;
}

/** Render recorded changes into a stereo OfflineAudioContext, through the same player: the left and right channels. */
export async function renderOfflineStereo(
  changes: readonly VoiceChange[],
  options: { duration: number; sampleRate?: number; waveform?: Waveform },
): Promise<[Float32Array, Float32Array]> {
  const sampleRate = options.sampleRate ?? 48000;
  const length = Math.ceil(options.duration * sampleRate);
  // a native OfflineAudioContext under Tone, as the live context is a native AudioContext
  const context = new Tone.OfflineContext(new OfflineAudioContext(2, length, sampleRate) as never);
  const player = new VoicePlayer(context, { waveform: options.waveform ?? 'sine', volume: 1 });
  await player.limit();
  await player.loadEffects();
  for (const change of changes) player.apply(change);
  const buffer = await context.render(false);
  return [buffer.getChannelData(0), buffer.getChannelData(1)];
}

/** The same, one channel: the left (a voice at the centre is the same in both). */
export async function renderOffline(
  changes: readonly VoiceChange[],
  options: { duration: number; sampleRate?: number; waveform?: Waveform },
): Promise<Float32Array> {
  return (await renderOfflineStereo(changes, options))[0];
}
