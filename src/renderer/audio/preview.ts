/**
 * A preview: stream events played apart from the live session (an outcome of
 * the interleaving explorer), through a VoicePlayer of their own on the app's
 * audio context, so the live session's voices are left alone. Logical time 0
 * of the events lands `lead` seconds from now, each later change at its exact
 * logical distance from it (no lookahead re-anchoring: the events are all
 * known in advance).
 */
import type * as Tone from 'tone';
import type { StreamEvent } from '../../core/stream/stream';
import { VoicePlayer, renderOffline, type Waveform } from './player';
import { playedVoices, type VoiceChange } from './schedule';

export class Preview {
  private player: VoicePlayer | null = null;
  private changes: VoiceChange[] = [];
  /** Audio time at which logical time 0 of the events plays, or null before any preview. */
  private start: number | null = null;

  constructor(private readonly context: Tone.BaseContext) {}

  /** Play `events` from `lead` seconds from now (a preview already playing stops first). Returns the audio time of logical 0. */
  play(events: readonly StreamEvent[], sound: { volume: number; waveform: Waveform }, lead = 0.1): number {
    this.stop();
    const player = this.playerOf();
    player.volume = sound.volume;
    player.waveform = sound.waveform;
    const start = this.context.currentTime + lead;
    this.changes = events.map((e) => changeOf(e, start));
    for (const change of this.changes) player.apply(change);
    this.start = start;
    return start;
  }

  /** Silence the preview now. */
  stop(): void {
    this.player?.panic();
  }

  /** Whether a preview is playing: its last change is still to come. */
  get playing(): boolean {
    const last = this.changes.at(-1);
    return last !== undefined && last.at > this.context.currentTime;
  }

  /** The changes of the last preview (audio-clock times), for tests. */
  get played(): readonly VoiceChange[] {
    return this.changes;
  }

  /** Render the last preview offline with the same player code: its logical 0 at `lead` seconds. */
  render(options: { lead?: number; tail?: number; sampleRate?: number; waveform: Waveform }): Promise<Float32Array> {
    const lead = options.lead ?? 0.25;
    const shift = lead - (this.start ?? 0);
    const changes = this.changes.map((c) => ({ ...c, at: c.at + shift }));
    const last = changes.at(-1)?.at ?? lead;
    return renderOffline(changes, { duration: last + (options.tail ?? 0.5), sampleRate: options.sampleRate ?? 48000, waveform: options.waveform });
  }

  private playerOf(): VoicePlayer {
    if (this.player !== null) return this.player;
    const player = new VoicePlayer(this.context);
    player.limit().catch((error: unknown) => console.error('the preview’s limiter did not load', error));
    player.loadEffects().catch((error: unknown) => console.error('the preview’s effects did not load', error));
    return (this.player = player);
  }
}

function changeOf(event: StreamEvent, start: number): VoiceChange {
  const notes = event.type === 'notes' ? event.notes : [];
  const freqs = event.type === 'notes' ? event.freqs : [];
  const voices = event.type === 'notes' ? playedVoices(notes, event.voices) : [];
  return { at: start + event.t, t: event.t, ns: event.ns, notes, freqs, voices, late: false, lateBy: 0, end: event.type === 'stream-end' };
}
