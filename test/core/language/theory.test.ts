import { Chord, Note, Scale } from 'tonal';
import { describe, expect, it } from 'vitest';
import { bjorklund, invert, stepsOf, takeNotes, theoryNames } from '../../../src/core/language/theory';

/** Tonal's notes for a name from a tonic written in its numbering (C4 = MIDI 60), as semitones above the tonic. */
function tonalSteps(notes: string[], tonic: string): number[] {
  return notes.map((n) => Note.midi(n)! - Note.midi(tonic)!);
}

describe('chords and scales by name', () => {
  it.each([
    ['minor', 'E3'],
    ['maj7', 'C4'],
    ['m7b5', 'B3'],
    ['dim7', 'F#3'],
    ['sus4', 'D4'],
    ['13', 'G2'],
  ])('a chord %s has the steps of the notes Tonal gives from %s', (name, tonic) => {
    const steps = stepsOf('chord', name);
    expect(steps.ok).toBe(true);
    expect(steps.ok && steps.steps).toEqual(tonalSteps(Chord.getChord(name, tonic).notes.map((_, i) => Chord.degrees(name, tonic)(i + 1)), tonic));
  });

  it('knows pitch sets a musician knows', () => {
    const steps = (kind: 'chord' | 'scale', name: string) => {
      const s = stepsOf(kind, name);
      return s.ok ? s.steps : null;
    };
    expect(steps('chord', 'minor')).toEqual([0, 3, 7]);
    expect(steps('chord', 'major')).toEqual([0, 4, 7]);
    expect(steps('chord', 'maj7')).toEqual([0, 4, 7, 11]);
    expect(steps('chord', 'm7')).toEqual([0, 3, 7, 10]);
    expect(steps('chord', 'major_seventh')).toEqual([0, 4, 7, 11]);
    expect(steps('scale', 'major')).toEqual([0, 2, 4, 5, 7, 9, 11]);
    expect(steps('scale', 'minor_pentatonic')).toEqual([0, 3, 5, 7, 10]);
  });

  it.each(['major', 'minor pentatonic', 'dorian', 'harmonic minor', 'blues'])('a scale %s has the steps of Tonal', (name) => {
    const steps = stepsOf('scale', name.replace(/ /g, '_'));
    expect(steps.ok && steps.steps).toEqual(tonalSteps(Scale.get(`C4 ${name}`).notes, 'C4'));
  });

  it('names an unknown name, with the nearest known one', () => {
    const chord = stepsOf('chord', 'minr');
    expect(chord).toMatchObject({ ok: false, message: 'unknown chord "minr": did you mean minor?' });
    expect(stepsOf('scale', 'dorain')).toMatchObject({ ok: false, message: 'unknown scale "dorain": did you mean dorian?' });
    expect(stepsOf('chord', '')).toMatchObject({ ok: false });
    expect(theoryNames('scale')).toContain('minor_pentatonic');
  });

  it('inverts as Sonic Pi does: the lowest note goes up an octave, or the highest down', () => {
    expect(invert([0, 3, 7], 1)).toEqual([3, 7, 12]);
    expect(invert([0, 3, 7], 2)).toEqual([7, 12, 15]);
    expect(invert([0, 3, 7], -1)).toEqual([-5, 0, 3]);
    expect(invert([0, 3, 7], 0)).toEqual([0, 3, 7]);
  });

  it('takes a number of notes, going on up by octaves', () => {
    expect(takeNotes([0, 3, 7], 5)).toEqual([0, 3, 7, 12, 15]);
    expect(takeNotes([0, 4, 7, 11], 3)).toEqual([0, 4, 7]);
  });
});

describe("Euclid's rhythm (Bjorklund)", () => {
  const show = (hits: boolean[]) => hits.map((h) => (h ? 'x' : '.')).join('');

  it.each([
    [3, 8, 'x..x..x.'],
    [5, 8, 'x.xx.xx.'],
    [2, 5, 'x.x..'],
    [3, 4, 'xxx.'], // as Tidal and Strudel have it (Toussaint's paper lists a rotation, x.xx)
    [4, 12, 'x..x..x..x..'],
    [0, 4, '....'],
    [4, 4, 'xxxx'],
  ])('%i of %i is %s', (k, n, pattern) => {
    expect(show(bjorklund(k, n))).toBe(pattern);
  });

  it('always has K onsets of N steps, the first on step 0, gaps differing by at most one', () => {
    for (let n = 1; n <= 40; n++) {
      for (let k = 1; k <= n; k++) {
        const hits = bjorklund(k, n);
        expect(hits.length).toBe(n);
        expect(hits.filter(Boolean).length).toBe(k);
        expect(hits[0]).toBe(true);
        const onsets = hits.flatMap((h, i) => (h ? [i] : []));
        const gaps = onsets.map((o, i) => (onsets[i + 1] ?? n + onsets[0]) - o);
        expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
      }
    }
  });
});
