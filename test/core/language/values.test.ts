import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

function struck(lines: string[]): number[] {
  const h = play(lines);
  h.run();
  expect(h.diagnostics()).toEqual([]);
  return h.of('notes').filter((e) => e.notes.length > 0).map((e) => e.notes[0]);
}

describe('scale(ROOT,NAME) and chord(ROOT,NAME): lists of notes in choose and tick', () => {
  it('tick(scale(...)) walks the scale up, note by note', () => {
    expect(struck(['repeat 8 beep tick(scale(C4,major)) 0.25'])).toEqual([48, 50, 52, 53, 55, 57, 59, 48]);
    expect(struck(['repeat 5 beep tick(scale(A3,minor_pentatonic)) 0.25'])).toEqual([45, 48, 50, 52, 55]);
  });

  it('choose(scale(...)) picks notes of the scale only, the same with the same seed', () => {
    const run = () => struck(['seed 9', 'repeat 40 beep choose(scale(C4,minor_pentatonic)) 0.125']);
    const notes = run();
    expect(notes).toEqual(run());
    expect(new Set(notes)).toEqual(new Set([48, 51, 53, 55, 58]));
  });

  it('a list mixes with other options, and takes a phrase parameter as its root', () => {
    expect(struck(['repeat 4 beep tick(C6,chord(E3,minor)) 0.25'])).toEqual([72, 40, 43, 47]);
    expect(struck(['def run ROOT: repeat 3 beep tick(chord(ROOT,major)) 0.25', 'run C4'])).toEqual([48, 52, 55]);
  });

  it.each([
    ['beep scale(C4,major)', 6, 21, 'scale(...) is a list of notes: use it inside choose(...) or tick(...)'],
    ['beep choose(scale(C4,majr))', 6, 28, 'unknown scale "majr": did you mean major?'],
    ['beep choose(scale(C4))', 6, 23, 'expected "," and a scale name in scale(ROOT,NAME), found ")"'],
    ['beep tick(scale(C10,major))', 6, 28, 'scale(...) goes out of the notes 0..127: its notes are 120 to 131'],
    ['beep rand(scale(C4,major),2)', 6, 29, 'scale(...) is a list of notes: use it inside choose(...) or tick(...)'],
  ])('%s is a located error', (line, col, endCol, message) => {
    const h = play([line]);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col, endCol, message });
  });
});
