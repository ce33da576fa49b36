import { Chord, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

/** The notes sounding first, as corotone numbers. */
function firstChord(lines: string[]): number[] {
  const h = play(lines);
  h.run();
  expect(h.diagnostics()).toEqual([]);
  return h.of('notes')[0].notes;
}

/** Tonal's notes of a chord (its numbering: C4 = MIDI 60), in corotone's (C5 = 60): an octave name apart, so MIDI - 12. */
function tonalChord(type: string, tonic: string): number[] {
  const steps = Chord.getChord(type).intervals.length;
  return Array.from({ length: steps }, (_, i) => Note.midi(Chord.degrees(type, tonic)(i + 1))! - 12);
}

describe('chord S ROOT:TYPE', () => {
  it.each([
    ['E3', 'minor'],
    ['C4', 'maj7'],
    ['A3', 'm7'],
    ['G3', 'dim'],
    ['D4', 'sus4'],
    ['F3', 'maj9'],
  ])('%s:%s sounds the notes Tonal gives', (root, type) => {
    expect(firstChord([`chord 1 ${root}:${type}`])).toEqual(tonalChord(type, root));
  });

  it('keeps corotone note names: E3:minor is E3 G3 B3, the same notes as written by name', () => {
    expect(firstChord(['chord 1 E3:minor'])).toEqual(firstChord(['chord 1 E3 G3 B3']));
    expect(firstChord(['chord 1 C5:major'])).toEqual([60, 64, 67]);
  });

  it('invert= moves the bass; num= takes a number of notes going up', () => {
    expect(firstChord(['chord 1 E3:minor invert=1'])).toEqual([43, 47, 52]);
    expect(firstChord(['chord 1 E3:minor invert=2'])).toEqual([47, 52, 55]);
    expect(firstChord(['chord 1 E3:minor invert=-1'])).toEqual([35, 40, 43]);
    expect(firstChord(['chord 1 E3:minor num=5'])).toEqual([40, 43, 47, 52, 55]);
    expect(firstChord(['chord 1 E3:minor invert=1 num=4 amp=0.2'])).toEqual([43, 47, 52, 55]);
    // the pitch classes stay the chord's
    expect(new Set(firstChord(['chord 1 C4:maj7 invert=3']).map((n) => n % 12))).toEqual(new Set([0, 4, 7, 11]));
  });

  it('mixes with notes, and a root known only when it runs (a parameter, a choose)', () => {
    expect(firstChord(['chord 1 C3 E4:minor'])).toEqual([36, 52, 55, 59]);
    expect(firstChord(['def stab ROOT: chord 0.5 ROOT:m7', 'stab A3'])).toEqual([45, 48, 52, 55]);
    const h = play(['seed 4', 'repeat 8 chord 0.25 choose(C4,A3):minor']);
    h.run();
    const chords = h.of('notes').filter((e) => e.notes.length > 0).map((e) => e.notes.join(' '));
    expect(new Set(chords)).toEqual(new Set(['48 51 55', '45 48 52']));
  });

  it.each([
    ['chord 1 E3:minr', 12, 16, 'unknown chord "minr": did you mean minor?'],
    ['chord 1 H3:minor', 9, 11, 'expected a note: a number 0..127 or a name like C5, F#3, Eb4, found "H3"'],
    ['chord 1 E3:', 9, 12, 'expected a chord by name ROOT:TYPE, like E3:minor or C4:maj7, found "E3:"'],
    ['chord 1 G10:maj7', 9, 17, 'chord out of range: "G10:maj7" comes to the notes 127 131 134 138, expected notes 0..127 (C0 to G10)'],
    ['chord 1 E3:minor invert=x', 18, 26, 'expected an inversion -16..16, found "x"'],
    ['chord 1 E3:minor num=0', 18, 23, 'expected a number of notes 1..32, found "0"'],
    ['chord 1 C4 E4 invert=1', 15, 23, '"invert=1" voices a chord by name, and this chord has none'],
    ['chord 1 C4 inv=1', 12, 17, 'unknown note option "inv": expected amp=, env=, synth=, pan=, fx=, invert= or num='],
  ])('%s is a located error', (line, col, endCol, message) => {
    const h = play([line]);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col, endCol, message });
  });

  it('a root that runs out of range is a located error when it runs', () => {
    const h = play(['def stab ROOT: chord 0.5 ROOT:maj7', 'stab G10']);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col: 26, endCol: 35, message: 'chord out of range: "ROOT:maj7" comes to the notes 127 131 134 138, expected notes 0..127 (C0 to G10)' });
  });
});
