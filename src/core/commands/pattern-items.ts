import { ArgReader } from '../language/args';
import type { Invocation, ParseContext } from '../language/command';
import { quote } from '../language/diagnostics';
import { parseNote } from '../language/pitch';
import type { Token } from '../language/tokens';
import type { Value } from '../language/values';
import type { VoiceOptions } from '../stream/voice';
import { isChordName, readChordName, type ChordTone } from './chord-names';

/**
 * The items of a pattern (`seq 0.25 C4 [E4 G4] _ E3:minor*2 bd`), in
 * Strudel's mini-notation as far as it goes here:
 * - a note (`C4`, `60`, `choose(C4,E4)`), or a chord by name (`E3:minor`);
 * - `_` or `~`: a rest;
 * - `[A B ...]`: the items share the step, one after another;
 * - `A*N`: A N times in its step;
 * - a drum name (`bd`): the one-word command `drum bd`, when the language has a `drum` command;
 * - with a scale (`seq ... scale=C3:major`), a whole number is a degree of it, as Strudel's
 *   `n("0 2 4").scale("C:major")`: 0 is the root, 7 of a seven-note scale the octave, -1 the note below.
 *
 * Parsed into steps of leaves: each leaf is a rest, notes or a command, with its
 * place in the step as a fraction (from `start / den` to `end / den`).
 */
export type PatternItem =
  | { kind: 'rest' }
  /** `options`: the seq's note options, each leaf its own copy (a chance in them is drawn for each). */
  | { kind: 'notes'; notes: ChordTone[]; options?: VoiceOptions }
  /** A command a pattern word stands for (a drum: `bd` is `drum bd`): run at the leaf's start. */
  | { kind: 'command'; command: Invocation };

export interface PatternLeaf {
  item: PatternItem;
  start: number;
  end: number;
  den: number;
}

/** A step: its leaves, in order, covering the step from 0 to 1. */
export type PatternStep = PatternLeaf[];

/** A pattern's step length, read as a duration: a placeholder for its `Value` until the command runs, and where it is written. */
export interface StepLength {
  value: Value;
  col: number;
  endCol: number;
}

type Tree = PatternItem | { kind: 'group'; items: Tree[] };

/** The most steps and leaves one pattern has, and how deep its brackets go (the README's Limits). */
export const MAX_PATTERN_LEAVES = 4096;
export const MAX_PATTERN_DEPTH = 8;
export const MAX_PATTERN_REPEAT = 64;
/** The furthest degree from a scale's root a pattern may name, up or down (README Limits). */
export const MAX_DEGREE = 128;

/** The scale a pattern's whole numbers are degrees of: its root (a note, or a placeholder until the line runs) and its steps. */
export interface DegreeScale {
  root: number;
  steps: readonly number[];
}

/** Semitones above the root of degree `d` of a scale: past its last step it goes on an octave higher (below 0, lower). */
export function degreeSemitones(steps: readonly number[], d: number): number {
  const octave = Math.floor(d / steps.length);
  return steps[d - octave * steps.length] + 12 * octave;
}

type Piece = { kind: '[' | ']' | 'word'; token: Token } | { kind: '*'; token: Token; count: number };

class PatternSyntax extends Error {
  constructor(readonly token: Token, message: string, readonly hint?: string) {
    super(message);
  }
}

/** The words of a pattern cut into brackets, words and `*N`. */
function pieces(tokens: readonly Token[]): Piece[] {
  const out: Piece[] = [];
  for (const token of tokens) {
    let i = 0;
    const text = token.text;
    const at = (from: number, to: number): Token => ({ text: text.slice(from, to), col: token.col + from, endCol: token.col + to });
    while (i < text.length) {
      const c = text[i];
      if (c === '[' || c === ']') {
        out.push({ kind: c, token: at(i, i + 1) });
        i++;
      } else if (c === '*') {
        const m = /^\d+/.exec(text.slice(i + 1));
        const piece = at(i, i + 1 + (m?.[0].length ?? 0));
        const count = m === null ? NaN : Number(m[0]);
        if (!(count >= 1 && count <= MAX_PATTERN_REPEAT)) {
          throw new PatternSyntax(piece, `expected a count 1..${MAX_PATTERN_REPEAT} after "*", found ${quote(piece.text)}`, 'A*2 plays A twice in its step');
        }
        out.push({ kind: '*', token: piece, count });
        i = piece.endCol - token.col;
      } else {
        let j = i;
        while (j < text.length && !'[]*'.includes(text[j])) j++;
        out.push({ kind: 'word', token: at(i, j) });
        i = j;
      }
    }
  }
  return out;
}

/** Reads the items of a pattern; errors are reported on `r`. Null if it had any. */
export function readPattern(r: ArgReader, ctx: ParseContext, tokens: readonly Token[], usage: string, scale: DegreeScale | null = null): PatternStep[] | null {
  const before = r.diagnostics.length;
  let failed = false;
  const leaf = (token: Token): PatternItem => {
    const item = scale !== null && DEGREE.test(token.text) ? degreeItem(r, token, scale) : leafItem(r, ctx, token, usage);
    if (item !== null) return item;
    failed = true;
    return { kind: 'rest' };
  };
  let trees: Tree[];
  try {
    const list = pieces(tokens);
    let i = 0;
    const sequence = (open: Token | null, depth: number): Tree[] => {
      if (depth > MAX_PATTERN_DEPTH) throw new PatternSyntax(open!, `brackets nested too deep: at most ${MAX_PATTERN_DEPTH}`);
      const items: Tree[] = [];
      for (;;) {
        const piece = list[i];
        if (piece === undefined) {
          if (open !== null) throw new PatternSyntax(open, 'unclosed "[": expected "]" before the end of the line', '[E4 G4] plays two notes in one step');
          return items;
        }
        i++;
        if (piece.kind === ']') {
          if (open === null) throw new PatternSyntax(piece.token, 'unexpected "]": expected a note, "_", "[" or a drum name', 'brackets go in pairs: [E4 G4]');
          if (items.length === 0) throw new PatternSyntax(open, 'empty "[]": expected items inside the brackets', '[E4 G4] plays two notes in one step');
          return items;
        }
        if (piece.kind === '*') throw new PatternSyntax(piece.token, `expected an item before ${quote(piece.token.text)}`, 'A*2 plays A twice in its step');
        let item: Tree = piece.kind === '[' ? { kind: 'group', items: sequence(piece.token, depth + 1) } : leaf(piece.token);
        for (let next = list[i]; next?.kind === '*'; next = list[i]) {
          item = { kind: 'group', items: Array.from({ length: next.count }, () => item) };
          i++;
        }
        items.push(item);
      }
    };
    trees = sequence(null, 0);
  } catch (error) {
    if (!(error instanceof PatternSyntax)) throw error;
    r.error(error.token, { message: error.message, found: error.token.text, ...(error.hint !== undefined ? { hint: error.hint } : {}) });
    return null;
  }
  if (trees.length === 0) {
    r.missing('the items of the pattern: notes, _ (a rest), [A B], A*2');
    return null;
  }
  if (failed || r.diagnostics.length > before) return null;
  if (countLeaves(trees) > MAX_PATTERN_LEAVES) {
    r.error(tokens[0], { message: `pattern too long: more than ${MAX_PATTERN_LEAVES} notes and rests`, found: `more than ${MAX_PATTERN_LEAVES} notes and rests`, hint: 'play a shorter pattern in a loop' });
    return null;
  }
  return trees.map((tree) => place(tree));
}

/** How many leaves the trees have, counting no further than just past the limit (A*64 nested is many). */
function countLeaves(trees: readonly Tree[]): number {
  let count = 0;
  const visit = (t: Tree): void => {
    if (count > MAX_PATTERN_LEAVES) return;
    if (t.kind === 'group') t.items.forEach(visit);
    else count++;
  };
  trees.forEach(visit);
  return count;
}

/** The leaves of one step, each with its place as a fraction of the step. */
function place(tree: Tree): PatternStep {
  const leaves: PatternStep = [];
  const walk = (t: Tree, start: number, length: number, den: number): void => {
    if (t.kind !== 'group') {
      leaves.push({ item: t, start, end: start + length, den });
      return;
    }
    const n = t.items.length;
    t.items.forEach((child, k) => walk(child, start * n + k * length, length, den * n));
  };
  walk(tree, 0, 1, 1);
  // One denominator per leaf, as small as it goes: [A B] is halves, not 2/4.
  return leaves.map((leaf) => {
    const g = gcd(gcd(leaf.start, leaf.end), leaf.den);
    return { item: leaf.item, start: leaf.start / g, end: leaf.end / g, den: leaf.den / g };
  });
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

const REST = /^[_~]$/;
const DEGREE = /^-?\d+$/;

/** A whole number read as a degree of `scale`: one tone, a shape on the scale's root (known now or when the line runs). */
function degreeItem(r: ArgReader, token: Token, scale: DegreeScale): PatternItem | null {
  const d = Number(token.text);
  if (Math.abs(d) > MAX_DEGREE) {
    r.error(token, { message: `expected a degree -${MAX_DEGREE}..${MAX_DEGREE} of the scale, found ${quote(token.text)}`, found: token.text, expected: `a degree -${MAX_DEGREE}..${MAX_DEGREE}` });
    return null;
  }
  return { kind: 'notes', notes: [{ root: scale.root, steps: [degreeSemitones(scale.steps, d)], col: token.col, endCol: token.endCol }] };
}
const DRUM_WORD = /^[a-z][a-z0-9]*$/;

/** One word of a pattern: a rest, a note, a chord by name, or a drum. Null if it had errors (reported). */
function leafItem(r: ArgReader, ctx: ParseContext, token: Token, usage: string): PatternItem | null {
  if (REST.test(token.text)) return { kind: 'rest' };
  if (isChordName(token.text)) {
    const notes = readChordName(r, ctx, token, usage);
    return notes === null ? null : { kind: 'notes', notes };
  }
  const asNote = parseNote(token.text);
  if (DRUM_WORD.test(token.text) && !asNote.ok && asNote.problem === 'not-a-note') {
    // A drum is the command `drum NAME` (its own file): a pattern word stands for it where the language has it.
    if (ctx.table.get('drum') !== undefined) {
      const command = ctx.parseCommand([{ text: 'drum', col: token.col, endCol: token.col }, token]);
      return command === null ? null : { kind: 'command', command };
    }
    r.error(token, {
      message: `expected a note (C4, 60), a chord by name (E3:minor), _ (a rest) or [A B], found ${quote(token.text)}`,
      found: token.text,
      expected: 'a note, a chord by name, _ or [A B]',
      hint: 'a drum name plays only where the language has the drum command',
    });
    return null;
  }
  const reader = new ArgReader([token], ctx.source, ctx.line, token, usage);
  const note = reader.note();
  r.diagnostics.push(...reader.diagnostics);
  return reader.failed ? null : { kind: 'notes', notes: [note] };
}
