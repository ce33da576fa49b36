/**
 * A score as a Standard MIDI File (format 1: a first track with the tempo
 * map, then a track per player), encoded by @tonejs/midi, the MIDI library
 * Tone.js keeps (it also reads files back, which the tests do).
 */
import * as tonejsMidi from '@tonejs/midi';
import type { MidiScore } from '../../core/midi/midi-score';

type MidiModule = typeof tonejsMidi;
/** The package is CommonJS (UMD): Node's ESM sees its exports as `default`, a bundler as names. */
const { Midi } = ((tonejsMidi as Partial<MidiModule>).Midi !== undefined ? tonejsMidi : (tonejsMidi as unknown as { default: MidiModule }).default) as MidiModule;

/** The file's bytes; `name` is the file's own name (the first track's, as a DAW shows it). */
export function encodeMidiFile(score: MidiScore, name: string): Uint8Array {
  const midi = new Midi();
  midi.header.fromJSON({
    name,
    ppq: score.ticksPerBeat,
    tempos: score.tempos.map((t) => ({ ticks: t.ticks, bpm: writtenBpm(t.bpm) })),
    timeSignatures: [],
    keySignatures: [],
    meta: [],
  });
  for (const source of score.tracks) {
    const track = midi.addTrack();
    track.name = source.name;
    track.channel = source.channel;
    // @tonejs/midi writes floor(velocity × 127): the middle of the step keeps each velocity whole.
    for (const n of source.notes) track.addNote({ midi: n.midi, ticks: n.ticks, durationTicks: n.durationTicks, velocity: (n.velocity + 0.5) / 127 });
  }
  return midi.toArray();
}

/**
 * The bpm to hand @tonejs/midi so that the file holds the nearest whole
 * microseconds a beat (it writes floor(60e6 / bpm), which for bpm 90 is
 * 666,666 µs, a beat 0.67 µs short; 666,667 is 0.33 µs long).
 */
function writtenBpm(bpm: number): number {
  return 60e6 / (Math.round(60e6 / bpm) + 0.25);
}
