/**
 * The live audio: a Tone.js context that starts on the first user gesture, the
 * pure NoteScheduler that places each stream event on the audio clock, and the
 * VoicePlayer that makes it sound. Every change actually played is recorded, so
 * a test (or the user) can render exactly what was heard into an offline buffer.
 */
import * as Tone from 'tone';
import type { StreamEvent } from '../../core/stream/stream';
import { isHit, type VoiceInfo } from '../../core/stream/voice';
import { NoteScheduler, playedVoices, rebaseChanges, type ClockAnchor, type PlayedVoice, type VoiceChange } from './schedule';
import { VoicePlayer, renderOffline, renderOfflineStereo, type Waveform } from './player';
import { LiveMidi } from '../midi/live-midi';
import { Preview } from './preview';
import { latencyHintOf, type OutputLatency } from './output-latency';

export type AudioState = 'suspended' | 'running' | 'closed';

export interface AudioStats {
  state: AudioState;
  /** Seconds from the context's clock to the speakers, when the browser knows it. */
  outputLatency: number | null;
  baseLatency: number | null;
  lookahead: number;
  /** Lead of a typed line's first note after a rest (seconds). */
  inputLookahead: number;
  lateEvents: number;
  sampleRate: number;
}

const RECORD_LIMIT = 100_000;

export class AudioEngine {
  readonly context: Tone.Context;
  private readonly scheduler: NoteScheduler;
  private readonly player: VoicePlayer;
  /** Notes the stream says are sounding (kept while the context is suspended). */
  private notes: number[] = [];
  private freqs: number[] = [];
  /** The stream's voices behind `notes` (who holds which note, at which level). */
  private voices: PlayedVoice[] = [];
  private readonly recorded: VoiceChange[] = [];
  private listeners = new Set<() => void>();
  /** Called for each event that played late (logical time, how late). */
  onLate: ((t: number, lateBy: number) => void) | null = null;
  /** MIDI out: every change played here is sent to its output (if one is chosen), timed to be heard with the audio. */
  readonly midi = new LiveMidi((at) => this.heardAtMs(at));
  /** Events played apart from the session (an outcome of the explorer), on this context. */
  readonly preview: Preview;
  /** The master volume while the app's own sound is off (null: it is on). */
  private silencedVolume: number | null = null;

  constructor(settings: { lookahead: number; volume: number; waveform: Waveform; outputLatency?: OutputLatency }) {
    // A native AudioContext under Tone (not its polyfill wrapper), so native nodes such as an
    // AudioWorklet limiter can be connected to ours. lookAhead 0: our own lookahead does the
    // scheduling; clockSource 'timeout': Tone's ticker on setTimeout (no worker, CSP-friendly),
    // which runs the timeouts that stop Tone's one-shot sources (the fm/am voices, the envelopes).
    this.context = new Tone.Context({
      context: new AudioContext({ latencyHint: latencyHintOf(settings.outputLatency ?? 'low') }) as unknown as Tone.BaseContext['rawContext'],
      lookAhead: 0,
      clockSource: 'timeout',
    });
    this.scheduler = new NoteScheduler({ lookahead: settings.lookahead });
    this.preview = new Preview(this.context);
    this.player = new VoicePlayer(this.context, { volume: settings.volume, waveform: settings.waveform });
    this.player.limit().catch((error: unknown) => console.error('the limiter did not load; the mix goes unlimited', error));
    this.player.loadEffects().catch((error: unknown) => console.error('the effects did not load; notes with fx sound dry', error));
    this.context.on('statechange', () => this.stateChanged());
  }

  get state(): AudioState {
    const s = this.context.state;
    return s === 'running' ? 'running' : s === 'closed' ? 'closed' : 'suspended';
  }

  /** Start audio (must run inside a user gesture's handler the first time). */
  async start(): Promise<void> {
    if (this.state === 'running') return;
    try {
      await this.context.resume();
    } catch {
      // the browser refused outside a gesture; the next gesture tries again
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private stateChanged(): void {
    if (this.state === 'running') {
      // The clocks start over: sound what the stream holds now, and let the next event fix the offset.
      this.scheduler.resetClock();
      if (this.notes.length > 0) {
        // a drum hit of the past is not struck again: only held notes are sounded anew
        this.voices = this.voices.filter((v) => !isHit(v));
        this.play({
          at: this.context.currentTime,
          t: NaN,
          ns: NaN,
          notes: this.notes,
          freqs: this.freqs,
          voices: this.voices,
          late: false,
          lateBy: 0,
          end: false,
        });
      }
    }
    this.changed();
  }

  get lookahead(): number {
    return this.scheduler.lookahead;
  }

  set lookahead(seconds: number) {
    this.scheduler.lookahead = seconds;
    // a new lookahead takes effect when the mapping is next fixed
    this.scheduler.resetClock();
    this.changed();
  }

  /** Seconds from a typed line's first note arriving (after a rest) to its audio time. */
  get inputLookahead(): number {
    return Math.min(this.scheduler.inputLookahead, this.scheduler.lookahead);
  }

  /** A line was sent to the host (typed, or an example run): its first note is input, placed with the input lookahead. */
  expectInput(): void {
    if (this.state === 'running') this.scheduler.expectInput(this.context.currentTime);
  }

  /** Logical seconds per real second the host plays (1, 1/2, 1/4). */
  get speed(): number {
    return this.scheduler.speed;
  }

  /**
   * The host plays at `speed` from logical time `t` on: notes after `t` are
   * placed 1/speed audio seconds per logical second, continuing where the old
   * speed had put `t` (see NoteScheduler.setSpeed).
   */
  setSpeed(t: number, speed: number): void {
    this.scheduler.setSpeed(t, speed);
    this.changed();
  }

  /** The mapping's pieces (logical time, audio time, audio seconds per logical second). */
  get clockAnchors(): readonly ClockAnchor[] {
    return this.scheduler.clockAnchors;
  }

  /** Audio time at which logical time `t` is (or was) played, or null before the mapping exists. */
  audioTimeOf(t: number): number | null {
    return this.scheduler.toAudio(t);
  }

  /**
   * Audio seconds from an event's arrival to its sound reaching the speakers:
   * the lookahead plus the output latency (while audio runs), else 0.
   */
  get heardDelay(): number {
    return this.state === 'running' ? this.scheduler.lookahead + (this.outputLatency() ?? 0) : 0;
  }

  get volume(): number {
    return this.silencedVolume ?? this.player.volume;
  }

  set volume(level: number) {
    if (this.silencedVolume !== null) this.silencedVolume = level;
    else this.player.volume = level;
  }

  /** Whether the app's own sound plays (off: only MIDI out is heard); the volume is kept for when it is on again. */
  get appSound(): boolean {
    return this.silencedVolume === null;
  }

  set appSound(on: boolean) {
    if (on === this.appSound) return;
    if (on) {
      this.player.volume = this.silencedVolume!;
      this.silencedVolume = null;
    } else {
      this.silencedVolume = this.player.volume;
      this.player.volume = 0;
    }
  }

  /**
   * The performance.now() time (ms) at which audio scheduled at AudioContext
   * time `at` reaches the speakers: by the context's output timestamp when the
   * browser gives one, else its output latency.
   */
  heardAtMs(at: number): number {
    const raw = this.context.rawContext as unknown as { getOutputTimestamp?: () => AudioTimestamp };
    const stamp = typeof raw.getOutputTimestamp === 'function' ? raw.getOutputTimestamp() : null;
    if (stamp && typeof stamp.contextTime === 'number' && typeof stamp.performanceTime === 'number' && stamp.performanceTime > 0) {
      return stamp.performanceTime + (at - stamp.contextTime) * 1000;
    }
    return performance.now() + (at - this.context.currentTime + (this.outputLatency() ?? 0)) * 1000;
  }

  get waveform(): Waveform {
    return this.player.waveform;
  }

  set waveform(type: Waveform) {
    this.player.waveform = type;
  }

  /** Voices the graph holds, voices released but not yet disposed, and effect chains (ringing or not). */
  get voiceCount(): { held: number; releasing: number; chains: number } {
    return this.player.voiceCount;
  }

  /** The master limiter is in the graph (its worklet has loaded). */
  get limited(): boolean {
    return this.player.limited;
  }

  /** Notes the audio graph sounds (or has scheduled) after the last change applied. */
  get sounding(): readonly number[] {
    return this.player.notes;
  }

  get lateCount(): number {
    return this.scheduler.lateCount;
  }

  /** A stream event from the host. */
  handle(event: StreamEvent): void {
    this.notes = event.type === 'notes' ? event.notes : [];
    this.freqs = event.type === 'notes' ? event.freqs : [];
    this.voices = event.type === 'notes' ? playedVoices(event.notes, event.voices) : [];
    if (this.state !== 'running') return;
    // Paused, nothing runs but a step (or panic): its notes are heard at once, and what is held sounds again on continue.
    if (this.isPaused) {
      if (event.type === 'notes') this.play({ at: this.context.currentTime, t: NaN, ns: NaN, notes: this.notes, freqs: this.freqs, voices: this.voices, late: false, lateBy: 0, end: false });
      return;
    }
    const change = this.scheduler.schedule(event, this.context.currentTime);
    this.play(change);
    if (change.late) {
      this.onLate?.(change.t, change.lateBy);
      this.changed();
    }
  }

  private play(change: VoiceChange): void {
    this.player.apply(change);
    this.midi.apply(change);
    if (this.recorded.length >= RECORD_LIMIT) this.recorded.splice(0, RECORD_LIMIT / 2);
    this.recorded.push(change);
  }

  /**
   * A new view of the session (snapshot): the sounding notes are as given (held
   * by `voices` when known, else one default voice each), the clock mapping starts over.
   */
  resync(notes: number[], freqs: number[], voices?: readonly VoiceInfo[]): void {
    this.scheduler.resetClock();
    this.notes = notes;
    this.freqs = freqs;
    // a drum hit of the past is not struck again: only held notes are sounded anew
    this.voices = playedVoices(notes, voices).filter((v) => !isHit(v));
    if (this.state !== 'running' || this.isPaused || sameNotes(notes, this.player.notes)) return;
    this.play({
      at: this.context.currentTime,
      t: NaN,
      ns: NaN,
      notes,
      freqs,
      voices: this.voices,
      late: false,
      lateBy: 0,
      end: false,
    });
  }

  private isPaused = false;

  /** The session's clock paused: every sounding note is released now; the notes held are kept for continue. */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.player.panic();
    this.midi.panic();
    this.recorded.push({ at: this.context.currentTime, t: NaN, ns: NaN, notes: [], freqs: [], voices: [], late: false, lateBy: 0, end: false });
  }

  /**
   * The clock continues (at `speed`): the mapping from logical to audio time
   * starts over (the pause took audio time, so nothing is late), and the notes
   * still held sound again now.
   */
  resume(speed: number): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.scheduler.resetClock();
    this.scheduler.setSpeed(0, speed);
    const voices = this.voices.filter((v) => !isHit(v));
    if (this.state !== 'running' || voices.length === 0) return;
    this.play({ at: this.context.currentTime, t: NaN, ns: NaN, notes: this.notes, freqs: this.freqs, voices, late: false, lateBy: 0, end: false });
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Play stream events apart from the session, logical 0 `lead` s from now, with the app's volume and waveform (see Preview). */
  playPreview(events: readonly StreamEvent[], lead?: number): number {
    return this.preview.play(events, { volume: this.appSound ? this.volume : 0, waveform: this.waveform }, lead);
  }

  /** Send the master output to `node` as well (a meter, a recorder). */
  tap(node: Tone.InputNode): void {
    this.player.output.connect(node);
  }

  /** Silence at once (within one render quantum). */
  panic(): void {
    this.player.panic();
    this.preview.stop();
    this.midi.panic();
    this.notes = [];
    this.freqs = [];
    this.voices = [];
    this.recorded.push({ at: this.context.currentTime, t: NaN, ns: NaN, notes: [], freqs: [], voices: [], late: false, lateBy: 0, end: false });
  }

  /** Logical time now on the audio clock, as heard (null until the mapping exists). */
  logicalNow(): number | null {
    if (this.state !== 'running') return null;
    const latency = this.outputLatency() ?? 0;
    return this.scheduler.toLogical(this.context.currentTime - latency);
  }

  private outputLatency(): number | null {
    const raw = this.context.rawContext as unknown as { outputLatency?: number; baseLatency?: number };
    const value = typeof raw.outputLatency === 'number' && raw.outputLatency > 0 ? raw.outputLatency : raw.baseLatency;
    return typeof value === 'number' ? value : null;
  }

  stats(): AudioStats {
    const raw = this.context.rawContext as unknown as { outputLatency?: number; baseLatency?: number };
    return {
      state: this.state,
      outputLatency: typeof raw.outputLatency === 'number' ? raw.outputLatency : null,
      baseLatency: typeof raw.baseLatency === 'number' ? raw.baseLatency : null,
      lookahead: this.scheduler.lookahead,
      inputLookahead: this.inputLookahead,
      lateEvents: this.scheduler.lateCount,
      sampleRate: this.context.sampleRate,
    };
  }

  /** The changes played so far (audio-clock times). */
  get playedChanges(): readonly VoiceChange[] {
    return this.recorded;
  }

  /** The audio offset (audio time − logical time) in force, or null. */
  get offset(): number | null {
    return this.scheduler.offset;
  }

  forgetRecording(): void {
    this.recorded.length = 0;
  }

  /** Render stream events offline as this app would play them (with its waveform menu); see renderStreamEvents. */
  renderEvents(events: readonly StreamEvent[], options: { lead?: number; tail?: number; sampleRate?: number } = {}): Promise<Float32Array> {
    return renderStreamEvents(events, { ...options, waveform: this.waveform });
  }

  /** The same, in stereo: the left and right channels. */
  renderEventsStereo(events: readonly StreamEvent[], options: { lead?: number; tail?: number; sampleRate?: number } = {}): Promise<[Float32Array, Float32Array]> {
    const { changes, duration } = scheduleOffline(events, options);
    return renderOfflineStereo(changes, { duration, sampleRate: options.sampleRate, waveform: this.waveform });
  }

  /**
   * Render what was played into an OfflineAudioContext with the same player:
   * the first recorded change lands at `lead` seconds.
   */
  renderPlayed(options: { lead?: number; tail?: number; sampleRate?: number } = {}): Promise<{ samples: Float32Array; changes: VoiceChange[]; sampleRate: number }> {
    const lead = options.lead ?? 0.25;
    const changes = rebaseChanges(this.recorded, lead);
    const last = changes.length > 0 ? changes[changes.length - 1].at : lead;
    const sampleRate = options.sampleRate ?? 48000;
    return renderOffline(changes, { duration: last + (options.tail ?? 0.5), sampleRate, waveform: this.waveform }).then((samples) => ({
      samples,
      changes,
      sampleRate,
    }));
  }
}

/**
 * Render stream events (as the host sends them) through the app's scheduler and
 * player into an OfflineAudioContext: the first event at `lead` seconds, each
 * later one at its logical distance from it. What the app would play, offline.
 */
export async function renderStreamEvents(
  events: readonly StreamEvent[],
  options: { lead?: number; tail?: number; sampleRate?: number; waveform?: Waveform } = {},
): Promise<Float32Array> {
  const { changes, duration } = scheduleOffline(events, options);
  return renderOffline(changes, { duration, sampleRate: options.sampleRate, waveform: options.waveform });
}

/** Stream events placed on an offline audio clock: the first at `lead`, and how long the render runs (`tail` after the last). */
function scheduleOffline(events: readonly StreamEvent[], options: { lead?: number; tail?: number }): { changes: VoiceChange[]; duration: number } {
  const lead = options.lead ?? 0;
  const scheduler = new NoteScheduler();
  if (events.length > 0) scheduler.setOffset(lead - events[0].t);
  const changes = events.map((e) => scheduler.schedule(e, 0));
  const last = changes.length > 0 ? changes[changes.length - 1].at : lead;
  return { changes, duration: last + (options.tail ?? 0.25) };
}

function sameNotes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
