import { ChordType, Interval, ScaleType } from 'tonal';
import { closest } from './diagnostics';

/**
 * Chords and scales by name, from Tonal's dictionaries (no tables of our own):
 * a name gives the steps of its notes above the root, in semitones, so a root
 * known only when the line runs (a phrase's ROOT, a choose) still makes the chord.
 * Names are Tonal's, with `_` for a space: `minor`, `m7`, `maj7`, `dim`, `sus4`,
 * `major_seventh`; `major`, `minor_pentatonic`, `dorian`, `harmonic_minor`.
 * Chord symbols are case-sensitive as in music (`M7` is major, `m7` minor).
 */

export type TheoryKind = 'chord' | 'scale';

export type StepsResult = { ok: true; steps: readonly number[] } | { ok: false; message: string; hint: string };

const cache: Record<TheoryKind, Map<string, readonly number[] | null>> = { chord: new Map(), scale: new Map() };

function lookup(kind: TheoryKind, name: string): readonly number[] | null {
  const known = cache[kind].get(name);
  if (known !== undefined) return known;
  const spaced = name.replace(/_/g, ' ');
  // Tonal reads "" as the major chord: a name must be written.
  const entry = spaced.trim() === '' ? null : kind === 'chord' ? ChordType.get(spaced) : ScaleType.get(spaced);
  const steps = entry === null || entry.empty ? null : entry.intervals.map((i) => Interval.semitones(i) ?? NaN);
  const result = steps === null || steps.some((s) => !Number.isInteger(s)) ? null : Object.freeze(steps);
  cache[kind].set(name, result);
  return result;
}

/** Every name Tonal knows for chords or scales, written with `_` for spaces. */
export function theoryNames(kind: TheoryKind): string[] {
  const entries = kind === 'chord' ? ChordType.all() : ScaleType.all();
  const names = entries.flatMap((e) => [e.name, ...e.aliases]).filter((n) => n !== '');
  return names.map((n) => n.replace(/ /g, '_'));
}

/** The steps (semitones above the root) of the chord or scale called `name`, or why there are none. */
export function stepsOf(kind: TheoryKind, name: string): StepsResult {
  const steps = lookup(kind, name);
  if (steps !== null) return { ok: true, steps };
  const near = closest(name, theoryNames(kind));
  const examples = kind === 'chord' ? 'minor, major, m7, maj7, dim, aug, sus4' : 'major, minor, minor_pentatonic, dorian, blues';
  return {
    ok: false,
    message: `unknown ${kind} ${JSON.stringify(name)}${near !== undefined ? `: did you mean ${near}?` : ''}`,
    hint: `${kind} names are Tonal's, with _ for a space, such as ${examples}`,
  };
}

/**
 * Sonic Pi's `invert:`: each inversion moves the lowest note up an octave
 * (a negative one moves the highest down), so the bass changes and the chord keeps its notes.
 */
export function invert(steps: readonly number[], times: number): number[] {
  const out = [...steps].sort((a, b) => a - b);
  for (let i = 0; i < times; i++) out.push(out.shift()! + 12);
  for (let i = 0; i > times; i--) out.unshift(out.pop()! - 12);
  return out;
}

/** `count` notes of the chord going up: past its last note it goes on an octave higher (3 of a 4-note chord drops the top). */
export function takeNotes(steps: readonly number[], count: number): number[] {
  return Array.from({ length: count }, (_, i) => steps[i % steps.length] + 12 * Math.floor(i / steps.length));
}

/**
 * Euclid's rhythm by Bjorklund's algorithm, as Strudel's `bd(3,8)` and Sonic
 * Pi's `spread` play it: `hits` onsets spread as evenly as they go over `steps`,
 * the first on step 0 (3 of 8: x..x..x.). Tonal's `RhythmPattern.euclid`
 * spreads them too, but rotated otherwise (5 of 8: x.x.xx.x, not x.xx.xx.).
 */
export function bjorklund(hits: number, steps: number): boolean[] {
  if (hits <= 0) return Array.from({ length: steps }, () => false);
  if (hits >= steps) return Array.from({ length: steps }, () => true);
  let front: boolean[][] = Array.from({ length: hits }, () => [true]);
  let back: boolean[][] = Array.from({ length: steps - hits }, () => [false]);
  while (back.length > 1) {
    const pairs = Math.min(front.length, back.length);
    const joined = front.slice(0, pairs).map((group, i) => [...group, ...back[i]]);
    back = front.length > pairs ? front.slice(pairs) : back.slice(pairs);
    front = joined;
  }
  return [...front.flat(), ...back.flat()];
}
