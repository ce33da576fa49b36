import { HIGHEST_NOTE, LOWEST_NOTE } from '../stream/notes';

/**
 * Notes are numbers 0..127 (the demo's numbering: 0 = C0, 57 = A4, 60 = C5) or
 * names in scientific pitch notation with the same meaning: a letter A-G in
 * either case, an optional accidental (`#` or `b`, also `♯` `♭`), an octave.
 */
export type NoteResult =
  | { ok: true; note: number }
  | { ok: false; problem: 'out-of-range'; value: number }
  | { ok: false; problem: 'not-whole' }
  | { ok: false; problem: 'bad-name' }
  | { ok: false; problem: 'not-a-note' };

const SEMITONES: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };
const NAME = /^([A-Ga-g])([#b\u266f\u266d]?)(-?\d{1,4})$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Starts like a note name: a note letter then something musical. */
const NAME_LIKE = /^[A-Ga-g][#b\u266f\u266dx+-]*[\d-]/;

export function parseNote(text: string): NoteResult {
  if (INTEGER.test(text)) {
    const value = Number(text) + 0; // + 0 turns "-0" into 0
    if (value < LOWEST_NOTE || value > HIGHEST_NOTE) return { ok: false, problem: 'out-of-range', value };
    return { ok: true, note: value };
  }
  const m = NAME.exec(text);
  if (m !== null) {
    const accidental = m[2] === '#' || m[2] === '\u266f' ? 1 : m[2] === '' ? 0 : -1;
    const value = 12 * Number(m[3]) + SEMITONES[m[1].toLowerCase()] + accidental;
    if (value < LOWEST_NOTE || value > HIGHEST_NOTE) return { ok: false, problem: 'out-of-range', value };
    return { ok: true, note: value };
  }
  if (DECIMAL.test(text)) return { ok: false, problem: 'not-whole' };
  if (NAME_LIKE.test(text)) return { ok: false, problem: 'bad-name' };
  return { ok: false, problem: 'not-a-note' };
}

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/** The name of note `n` (60 → "C5"), for messages and help. */
export function noteName(n: number): string {
  return `${NAMES[((n % 12) + 12) % 12]}${Math.floor(n / 12)}`;
}
