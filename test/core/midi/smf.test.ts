import { describe, expect, it } from 'vitest';
import type { MidiScore } from '../../../src/core/midi/midi-score';
import { encodeSmf, MAX_MICROS_PER_BEAT, microsPerBeat } from '../../../src/core/midi/smf';
import { readMidi } from '../../support/midi/read-back';

describe('encodeSmf: a Standard MIDI File, read back by @tonejs/midi', () => {
  it('holds the tempo map, the tracks by name and channel, and every note with its ticks and velocity', () => {
    const score: MidiScore = {
      ticksPerBeat: 960,
      tempos: [
        { ticks: 0, bpm: 90 },
        { ticks: 1921, bpm: 133 },
      ],
      tracks: [
        { name: 'song.txt', channel: 0, notes: [{ midi: 72, ticks: 0, durationTicks: 480, velocity: 64 }, { midi: 72, ticks: 480, durationTicks: 100_000, velocity: 127 }] },
        { name: 'mélodie', channel: 10, notes: [{ midi: 12, ticks: 2_000_000, durationTicks: 1, velocity: 1 }] },
      ],
      leftOut: [],
    };
    const file = readMidi(encodeSmf(score, 'song'));
    expect(file.ppq).toBe(960);
    expect(file.tempos.map((t) => [t.ticks, Math.round(t.bpm * 1000) / 1000])).toEqual([
      [0, 90],
      [1921, 133],
    ]);
    expect(file.tracks).toEqual([
      { name: 'song.txt', channel: 0 },
      { name: 'mélodie', channel: 10 },
    ]);
    // the note struck again on the tick the first ends: its off comes first, so both are whole
    expect(file.notes.map((n) => [n.track, n.midi, n.ticks, n.endTicks, n.velocity])).toEqual([
      ['song.txt', 72, 0, 480, 64],
      ['song.txt', 72, 480, 100_480, 127],
      ['mélodie', 12, 2_000_000, 2_000_001, 1],
    ]);
  });

  it('writes 20,000 notes (a dense 10 minutes) whole', () => {
    const notes = Array.from({ length: 20_000 }, (_, i) => ({ midi: 60 + (i % 12), ticks: i * 480, durationTicks: 240, velocity: 64 }));
    const file = readMidi(encodeSmf({ ticksPerBeat: 960, tempos: [{ ticks: 0, bpm: 120 }], tracks: [{ name: 't', channel: 0, notes }], leftOut: [] }, 'x'));
    expect(file.notes.length).toBe(20_000);
    expect(file.notes.at(-1)).toMatchObject({ midi: 60 + (19_999 % 12), ticks: 19_999 * 480, endTicks: 19_999 * 480 + 240 });
  });

  it('says a tempo in whole microseconds a beat, the slowest it can hold 3.58 bpm', () => {
    expect([microsPerBeat(60), microsPerBeat(90), microsPerBeat(1000), microsPerBeat(1)]).toEqual([1_000_000, 666_667, 60_000, MAX_MICROS_PER_BEAT]);
  });
});
