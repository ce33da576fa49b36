import { ArgReader } from '../language/args';
import { commandError, type Invocation, type ParseContext } from '../language/command';
import { quote } from '../language/diagnostics';
import { Deferred } from '../language/deferred';
import { noteName } from '../language/pitch';
import { invert, stepsOf, takeNotes } from '../language/theory';
import type { Token } from '../language/tokens';

/**
 * Chords by name, `ROOT:TYPE` (`E3:minor`, `C4:maj7`, `ROOT:m7` in a phrase):
 * the notes Tonal gives for the type, from the root. A root known when the line
 * is read gives the notes at once; one known only when it runs (a parameter,
 * a chance) gives a shape, made notes by `chordNotes` when the command runs.
 */
export interface ChordShape {
  /** The root: a note number, or a placeholder until the command runs. */
  root: number;
  /** Semitones above the root, after any inversion. */
  steps: readonly number[];
  /** Where the word is, for an error when the notes come out of range. */
  col: number;
  endCol: number;
}

/** A chord's tone as read: a note (or its placeholder), or a chord by name whose root is known only when it runs. */
export type ChordTone = number | ChordShape;

/** `invert=N` and `num=N`: how a chord by name is voiced (Sonic Pi's `invert:`, and a number of notes). */
export interface Voicing {
  invert: number;
  num: number | null;
  /** The word that set one of them (an error if there is no chord by name to shape). */
  setBy: Token | null;
}

const MAX_INVERT = 16;
const MAX_NOTES = 32;

export function isChordName(text: string): boolean {
  return text.includes(':');
}

export function isShape(tone: ChordTone): tone is ChordShape {
  return typeof tone === 'object' && tone !== null && !((tone as unknown) instanceof Deferred);
}

/** The note options `invert=` and `num=` for `withNoteOptions`, read into `voicing`. */
export function voicingOptions(r: ArgReader, voicing: Voicing): Record<string, (token: Token, value: string) => void> {
  const whole = (token: Token, value: string, low: number, high: number, what: string): number => {
    if (/^-?\d+$/.test(value) && Number(value) >= low && Number(value) <= high) return Number(value);
    r.error(token, { message: `expected ${what} ${low}..${high}, found ${quote(value)}`, found: token.text, expected: `${what} ${low}..${high}` });
    return NaN;
  };
  return {
    invert(token, value) {
      voicing.invert = whole(token, value, -MAX_INVERT, MAX_INVERT, 'an inversion');
      voicing.setBy = token;
    },
    num(token, value) {
      voicing.num = whole(token, value, 1, MAX_NOTES, 'a number of notes');
      voicing.setBy = token;
    },
  };
}

/** The tones of one word `ROOT:TYPE` (errors reported on `r`, at the word); null if it had any. */
export function readChordName(r: ArgReader, ctx: ParseContext, token: Token, usage: string, voicing: Voicing = { invert: 0, num: null, setBy: null }): ChordTone[] | null {
  const colon = token.text.lastIndexOf(':');
  const rootToken: Token = { text: token.text.slice(0, colon), col: token.col, endCol: token.col + colon };
  const typeToken: Token = { text: token.text.slice(colon + 1), col: token.col + colon + 1, endCol: token.endCol };
  if (rootToken.text === '' || typeToken.text === '') {
    r.error(token, { message: `expected a chord by name ROOT:TYPE, like E3:minor or C4:maj7, found ${quote(token.text)}`, found: token.text, expected: 'ROOT:TYPE' });
    return null;
  }
  const reader = new ArgReader([rootToken], ctx.source, ctx.line, rootToken, usage);
  const root = reader.note();
  r.diagnostics.push(...reader.diagnostics);
  const named = stepsOf('chord', typeToken.text);
  if (!named.ok) r.error(typeToken, { message: named.message, found: typeToken.text, expected: 'a chord name', hint: named.hint });
  if (reader.failed || !named.ok) return null;
  const steps = takeNotes(invert(named.steps, voicing.invert), voicing.num ?? named.steps.length);
  if ((root as unknown) instanceof Deferred) return [{ root, steps, col: token.col, endCol: token.endCol }];
  const notes = steps.map((s) => root + s);
  if (notes[0] < 0 || notes[notes.length - 1] > 127) {
    r.error(token, { message: outOfRange(token.text, notes), found: token.text, expected: 'notes 0..127' });
    return null;
  }
  return notes;
}

function outOfRange(text: string, notes: readonly number[]): string {
  return `chord out of range: ${quote(text)} comes to the notes ${notes.join(' ')}, expected notes 0..127 (${noteName(0)} to ${noteName(127)})`;
}

/** The notes of a chord's tones as the command runs (a shape's root has its value now). */
export function chordNotes(tones: readonly ChordTone[], invocation: Invocation): number[] {
  if (!tones.some(isShape)) return tones as number[];
  const notes: number[] = [];
  for (const tone of tones) {
    if (!isShape(tone)) {
      notes.push(tone);
      continue;
    }
    const chord = tone.steps.map((s) => tone.root + s);
    if (chord[0] < 0 || chord[chord.length - 1] > 127) {
      const text = invocation.text.slice(tone.col - invocation.pos.col, tone.endCol - invocation.pos.col);
      throw commandError(invocation, { message: outOfRange(text, chord), found: text, expected: 'notes 0..127', hint: 'move its root by octaves' }, tone);
    }
    notes.push(...chord);
  }
  return notes;
}

/** Reads a chord's words: notes (`C4`, `60`, `choose(...)`) and chords by name (`E3:minor`), at least one. */
export function readChordTones(args: ArgReader, ctx: ParseContext, usage: string, voicing: Voicing): ChordTone[] {
  const tones: ChordTone[] = [];
  let named = false;
  while (args.remaining > 0) {
    const next = args.peek()!;
    if (isChordName(next.text)) {
      args.word('a note');
      named = true;
      tones.push(...(readChordName(args, ctx, next, usage, voicing) ?? []));
    } else tones.push(args.note());
  }
  if (tones.length === 0 && !named) args.missing('at least one note, or a chord by name like E3:minor');
  if (voicing.setBy !== null && !named) {
    const by = voicing.setBy;
    args.error(by, { message: `${quote(by.text)} voices a chord by name, and this chord has none`, found: by.text, expected: 'a chord by name like E3:minor', hint: 'chord 1 E3:minor invert=1 num=4' });
  }
  return tones;
}
