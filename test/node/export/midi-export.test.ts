/**
 * A session's notes as a MIDI file (midi-export.ts), for scripts the tests
 * have not seen: fast-check writes them, with bpm changes mid-script, triplets
 * (a third of a beat, 0.333333333), absolute waits (250ms) at odd tempos, and
 * notes in tasks of their own. Each is played on the virtual clock, its events
 * taken as --events prints them (JSON), and the file read back with a MIDI parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { describeLeftOut, MidiRecording } from '../../../src/node/export/midi-export';
import { mismatches, readMidi, type EventLine } from '../../support/midi/read-back';

/** Play `scripts` (source name: text) to their end; the events as --events prints them, and the MIDI file. */
function play(scripts: Record<string, string>): { events: EventLine[]; midi: ReturnType<MidiRecording['file']> } {
  const session = new Session();
  const recording = new MidiRecording();
  const events: EventLine[] = [];
  session.subscribe((e) => events.push(JSON.parse(JSON.stringify(e)) as EventLine));
  session.subscribe(recording.onEvent);
  for (const [name, text] of Object.entries(scripts)) session.loadScript(name, text);
  session.scheduler.runUntilIdle(600);
  if (!session.ended) session.quit();
  return { events, midi: recording.file('song', session.scheduler.nowNanos) };
}

const BPMS = ['60', '90', '97.5', '100.1', '120', '133', '7', '1000'];
const DURATIONS = ['0.25', '0.5', '1', '0.333333333', '0.666666667', '250ms', '0.1s', '1.5', '0.001'];
const NOTES = ['C5', '60', '72', '48', 'A4', '115', '0'];

const line = fc.oneof(
  fc.constantFrom(...BPMS).map((b) => `bpm ${b}`),
  fc.tuple(fc.constantFrom(...NOTES), fc.constantFrom(...DURATIONS)).map(([n, d]) => `beep ${n} ${d}`),
  fc.tuple(fc.constantFrom(...NOTES), fc.constantFrom(...NOTES), fc.constantFrom(...DURATIONS)).map(([a, b, d]) => `chord ${d} ${a} ${b}`),
  fc.constantFrom(...DURATIONS).map((d) => `wait ${d}`),
  fc.tuple(fc.constantFrom(...NOTES), fc.constantFrom(...DURATIONS), fc.integer({ min: 1, max: 4 })).map(([n, d, k]) => `spawn repeat ${k} beep ${n} ${d}`),
  fc.tuple(fc.constantFrom(...NOTES), fc.constantFrom(...DURATIONS)).map(([n, d]) => `beep ${n} ${d} amp=0.5 &`),
);

describe('a MIDI file of scripts the tests have not seen', () => {
  it('has every note the events have, on the tick of its exact time (960 a beat, through the tempo map), pitch N + 12', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 14 }), fc.array(line, { maxLength: 6 }), (first, second) => {
        const scripts: Record<string, string> = { 'a.txt': first.join('\n') };
        if (second.length > 0) scripts['b.txt'] = second.join('\n');
        const { events, midi } = play(scripts);
        expect(midi.leftOut).toEqual([]);
        expect(mismatches(readMidi(midi.bytes), events)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('never drifts: 2,000 waits of 250ms at bpm 100.1 (400.4 ticks each) land each on the tick nearest its exact place', () => {
    const { events, midi } = play({ 'a.txt': 'bpm 100.1\nrepeat 2000 beep 60 250ms' });
    const file = readMidi(midi.bytes);
    expect(file.notes.length).toBe(2000);
    expect(file.notes.map((n) => n.ticks)).toEqual(Array.from({ length: 2000 }, (_, k) => Math.round(k * 400.4)));
    expect(mismatches(file, events)).toEqual([]);
  });

  it('puts a tempo change at its tick: bpm 120 after a beat at 60 is at tick 960, and a beat after it is 960 ticks later', () => {
    const { midi } = play({ 'a.txt': 'beep 60 1\nbpm 120\nbeep 62 1\nbeep 64 0.333333333\nbeep 65 0.666666667' });
    const file = readMidi(midi.bytes);
    expect(file.tempos).toEqual([
      { ticks: 0, bpm: expect.closeTo(60, 4) },
      { ticks: 960, bpm: expect.closeTo(120, 4) },
    ]);
    expect(file.notes.map((n) => [n.midi, n.ticks, n.endTicks])).toEqual([
      [72, 0, 960],
      [74, 960, 1920],
      [76, 1920, 2240],
      [77, 2240, 2880],
    ]);
  });

  it('leaves out a note above 115 (MIDI stops at 127) and says where it was played', () => {
    const { midi } = play({ 'high.txt': 'beep 60 1\nbeep 120 1' });
    expect(readMidi(midi.bytes).notes.map((n) => n.midi)).toEqual([72]);
    expect(describeLeftOut('high.mid', midi.leftOut)).toBe(
      "high.mid: 1 note above 115 left out (MIDI's highest note, 127, is corotone's 115), the first 120 at 1.000 s (high.txt:2:1)",
    );
  });
});
