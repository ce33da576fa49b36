/**
 * MIDI out, live: every voice the app plays sent to a MIDI output as note on
 * and off, each timestamped (`MIDIOutput.send(data, timestamp)`) at the
 * moment its audio reaches the speakers, so MIDI and audio leave together.
 * The same numbering as a MIDI file: corotone's N is MIDI's N + 12, velocity
 * by decibels from the voice's level (core/midi/midi-score.ts), channel 1.
 *
 * A pitch held by two voices is struck again when the second starts and ends
 * with the last; panic sends the note offs of what sounds and "all notes off"
 * on every channel used, and so does a stop once nothing sounds (its note offs
 * go as its voices end, each at its time).
 */
import { HIGHEST_MIDI_NOTE, MIDI_OFFSET, velocityOf } from '../../core/midi/midi-score';
import type { VoiceChange } from '../audio/schedule';

/** What of a Web MIDI output this uses (a test passes a stand-in that records). */
export interface MidiPort {
  readonly id?: string;
  readonly name?: string | null;
  send(data: number[], timestamp?: number): void;
}

const NOTE_ON = 0x90;
const NOTE_OFF = 0x80;
const CONTROL = 0xb0;
const ALL_NOTES_OFF = 123;
const CHANNEL = 0;

export class LiveMidi {
  private port: MidiPort | null = null;
  /** Voice ids sounding, with the MIDI note each holds. */
  private voices = new Map<number, number>();
  /** How many voices hold each MIDI note. */
  private holders = new Map<number, number>();
  /** Messages sent (for the status line and tests). */
  sent = 0;
  /** A stop ended tasks: "all notes off" goes with the first change after which nothing sounds. */
  private stopped = false;

  /** `toPerformanceMs(at)`: the performance.now() time at which audio scheduled at AudioContext time `at` is heard. */
  constructor(private readonly toPerformanceMs: (at: number) => number) {}

  get output(): MidiPort | null {
    return this.port;
  }

  /** Send to `port` from now on (null: to none); what sounded on the last one is ended there. */
  use(port: MidiPort | null): void {
    if (this.port !== null && this.port !== port) this.panic();
    this.port = port;
    this.voices.clear();
    this.holders.clear();
  }

  /** A change the audio engine played. */
  apply(change: VoiceChange): void {
    if (this.port === null) return;
    const at = this.toPerformanceMs(change.at);
    const now = new Map<number, { note: number; level: number }>();
    if (!change.end) for (const v of change.voices ?? change.notes.map((note, i) => ({ id: -1 - i, note, level: 0.1 }))) now.set(v.id, v);
    for (const [id, midi] of this.voices) {
      if (now.has(id)) continue;
      this.voices.delete(id);
      const left = (this.holders.get(midi) ?? 1) - 1;
      if (left > 0) this.holders.set(midi, left);
      else {
        this.holders.delete(midi);
        this.send([NOTE_OFF | CHANNEL, midi, 0], at);
      }
    }
    if (this.stopped && now.size === 0) {
      this.stopped = false;
      this.send([CONTROL | CHANNEL, ALL_NOTES_OFF, 0], at);
    }
    for (const [id, voice] of now) {
      const midi = voice.note + MIDI_OFFSET;
      if (this.voices.has(id) || midi > HIGHEST_MIDI_NOTE) continue;
      this.voices.set(id, midi);
      const held = this.holders.get(midi) ?? 0;
      if (held > 0) this.send([NOTE_OFF | CHANNEL, midi, 0], at);
      this.holders.set(midi, held + 1);
      this.send([NOTE_ON | CHANNEL, midi, velocityOf(voice.level)], at);
    }
  }

  /** A stop (or Ctrl+C) ended tasks: once nothing sounds, "all notes off" follows the note offs. */
  stop(): void {
    if (this.port !== null) this.stopped = true;
  }

  /** Silence at once: the note offs of what sounds, then all notes off on the channel used. */
  panic(): void {
    if (this.port === null) return;
    for (const midi of this.holders.keys()) this.send([NOTE_OFF | CHANNEL, midi, 0]);
    this.send([CONTROL | CHANNEL, ALL_NOTES_OFF, 0]);
    this.voices.clear();
    this.holders.clear();
  }

  private send(data: number[], timestamp?: number): void {
    try {
      this.port!.send(data, timestamp);
      this.sent++;
    } catch (error) {
      // A port that went away (unplugged) must not stop the audio.
      console.error('MIDI out: a message did not go', error);
    }
  }
}
