/**
 * Applies scheduled voice changes to a Tone.js graph: one oscillator per
 * sounding note, all into one mix gain (SPEC: each voice at 0.8/N, so one shared
 * gain does it), then the master volume. The same class plays live and renders
 * into an OfflineContext, so a test hears exactly what the live path schedules.
 *
 * The voices are the context's own OscillatorNodes, started and stopped at
 * their exact times: Tone's Oscillator wraps each in a one-shot gain whose stop
 * logic cancels an earlier start when both are scheduled ahead (as they are
 * when a whole recording is rendered offline).
 */
import * as Tone from 'tone';
import { diffVoices, type VoiceChange } from './schedule';

export type Waveform = 'sine' | 'square' | 'triangle' | 'sawtooth';
export const WAVEFORMS: readonly Waveform[] = ['sine', 'square', 'triangle', 'sawtooth'];

export class VoicePlayer {
  private readonly mix: Tone.Gain;
  private readonly master: Tone.Gain;
  /** Sounding (or scheduled to sound) voices by note number. */
  private voices = new Map<number, OscillatorNode>();
  private sounding: number[] = [];
  private wave: Waveform;
  private volumeLevel: number;

  constructor(
    private readonly context: Tone.BaseContext,
    options: { waveform?: Waveform; volume?: number } = {},
  ) {
    this.wave = options.waveform ?? 'sine';
    this.volumeLevel = options.volume ?? 1;
    this.mix = new Tone.Gain({ context, gain: 0 });
    this.master = new Tone.Gain({ context, gain: this.volumeLevel });
    this.mix.connect(this.master);
    this.master.connect(context.destination);
  }

  get waveform(): Waveform {
    return this.wave;
  }

  set waveform(type: Waveform) {
    this.wave = type;
    for (const osc of this.voices.values()) osc.type = type;
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

  /** Notes that sound after the last applied change. */
  get notes(): readonly number[] {
    return this.sounding;
  }

  /** Make the graph sound `change.notes` from `change.at` on, sample-exact. */
  apply(change: VoiceChange): void {
    const at = change.at;
    const diff = diffVoices(this.sounding, change.notes);
    this.mix.gain.setValueAtTime(change.gain, at);
    for (const note of diff.stop) {
      const osc = this.voices.get(note);
      this.voices.delete(note);
      if (osc) stopAt(osc, at);
    }
    for (const note of diff.start) {
      const freq = change.freqs[change.notes.indexOf(note)];
      const osc = (this.context.rawContext as unknown as BaseAudioContext).createOscillator();
      osc.type = this.wave;
      osc.frequency.value = freq;
      osc.onended = () => osc.disconnect();
      Tone.connect(osc, this.mix);
      osc.start(at);
      this.voices.set(note, osc);
    }
    this.sounding = [...change.notes];
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
    this.mix.gain.cancelScheduledValues(now);
    this.mix.gain.setValueAtTime(0, now);
    for (const osc of this.voices.values()) stopAt(osc, now + 0.01);
    this.voices.clear();
    this.sounding = [];
    gain.setValueAtTime(this.volumeLevel, now + 0.02);
  }

  dispose(): void {
    for (const osc of this.voices.values()) stopAt(osc, 0);
    this.voices.clear();
    this.mix.dispose();
    this.master.dispose();
  }
}

/** Stop a voice at `at`; a voice already stopped (or never started) is left alone. */
function stopAt(osc: OscillatorNode, at: number): void {
  try {
    osc.stop(at);
  } catch {
    // stop() twice throws InvalidStateError; the voice is stopping anyway
  }
}

/** Render recorded changes into an OfflineAudioContext (mono), through the same player. */
export async function renderOffline(
  changes: readonly VoiceChange[],
  options: { duration: number; sampleRate?: number; waveform?: Waveform },
): Promise<Float32Array> {
  const sampleRate = options.sampleRate ?? 48000;
  const length = Math.ceil(options.duration * sampleRate);
  // a native OfflineAudioContext under Tone, as the live context is a native AudioContext
  const context = new Tone.OfflineContext(new OfflineAudioContext(1, length, sampleRate) as never);
  const player = new VoicePlayer(context, { waveform: options.waveform ?? 'sine', volume: 1 });
  for (const change of changes) player.apply(change);
  const buffer = await context.render(false);
  return buffer.getChannelData(0);
}
