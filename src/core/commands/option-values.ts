import { ArgReader } from '../language/args';
import type { ParseContext } from '../language/command';
import { Deferred } from '../language/deferred';
import { quote } from '../language/diagnostics';
import { CONSTANT_ENV, evaluate, isConstant, placeholder, UNITS, type Expr } from '../language/values';
import type { Token } from '../language/tokens';

/**
 * Chance in a note option's value: `amp=rand(0.05,0.2)`, `amp=choose(0.1,0.3)`,
 * `amp=LEVEL` in a phrase, `synth=choose(saw,square)`, `synth=tick(sine,square)`.
 * Drawn from the source's seeded chance as the note starts, as a note's
 * `choose(...)` is: a placeholder until then (language/values.ts).
 */

/** Does an option's value need an expression (a call, a sum, a phrase's parameter)? */
export function isChanceValue(text: string): boolean {
  return /[()+]/.test(text) || /^[A-Z_]{2,}[A-Z0-9_]*$/.test(text);
}

/**
 * A number LOW..HIGH from an expression (`rand(0.05,0.2)`, `rand(400,2000)`): the number now if it
 * needs nothing to run, else a placeholder checked in range as the note starts. NaN after an error (reported on `r`).
 * `text` is the value, the end of `token` (`amp=rand(0.05,0.2)`).
 */
export function chanceNumber(r: ArgReader, ctx: ParseContext, token: Token, text: string, what: string, low = 0, high = 1): number {
  const word: Token = { text, col: token.endCol - text.length, endCol: token.endCol };
  const reader = new ArgReader([word], ctx.source, ctx.line, word, what);
  const read: unknown = reader.value(`${what} ${low}..${high}`);
  r.diagnostics.push(...reader.diagnostics);
  if (!(read instanceof Deferred)) return NaN;
  if (!isConstant(read.expr)) return placeholder(new Deferred(read.expr, 'number', read.text, read.at, { range: [low, high] }));
  const value = evaluate(read.expr, CONSTANT_ENV);
  const number = value.amount / UNITS;
  if (value.unit === 'units' && number >= low && number <= high) return number;
  r.error(word, { message: `expected ${what} ${low}..${high}, found ${quote(text)}`, found: text, expected: `${what} ${low}..${high}` });
  return NaN;
}

const PICK = /^(choose|tick)\((.*)\)$/i;

/**
 * One of some names, by chance or in turn: `choose(saw,square)`, `tick(sine,square)`.
 * `nameOf` checks a name (reporting a bad one) and gives its proper spelling.
 * A placeholder for the chosen name until the note starts; null after an error (reported).
 */
export function chanceName(r: ArgReader, ctx: ParseContext, token: Token, text: string, nameOf: (word: Token) => string | null): string | null {
  const word: Token = { text, col: token.endCol - text.length, endCol: token.endCol };
  const m = PICK.exec(text);
  if (m === null) {
    r.error(word, { message: `expected a name, choose(A,B) or tick(A,B), found ${quote(text)}`, found: text, expected: 'a name, choose(A,B) or tick(A,B)' });
    return null;
  }
  const names: (string | null)[] = [];
  let at = word.col + m[1].length + 1;
  for (const part of m[2].split(',')) {
    names.push(nameOf({ text: part.trim(), col: at, endCol: at + part.length }));
    at += part.length + 1;
  }
  if (names.some((n) => n === null)) return null;
  const options: Expr[] = names.map((_, i) => ({ kind: 'number', units: i * UNITS }));
  const expr: Expr = { kind: m[1].toLowerCase() as 'choose' | 'tick', options };
  const deferred = new Deferred(expr, 'choice', text, { source: ctx.source, line: ctx.line, col: word.col, endCol: word.endCol }, { choices: names as string[] });
  return deferred as unknown as string;
}
