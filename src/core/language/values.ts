import { nanos, UNITS_PER_ONE, type Nanos } from '../time';
import { parseDurationNs } from './numbers';
import { parseNote } from './pitch';
import { stepsOf, type TheoryKind } from './theory';

/**
 * The argument words whose value is known only when the command runs: a
 * duration in beats (the tempo is the source's at that moment), a phrase's
 * parameter (`ROOT+7`), chance (`choose(C5,E5,G5)`, `rand(0.1,0.3)`).
 *
 * A word is read into an expression when the line is read (so its errors are
 * located then) and evaluated each time its command runs. Unitless amounts are
 * exact: integer billionths (`0.25` is 250_000_000), as durations always were.
 */
export type Expr =
  | { kind: 'number'; units: number }
  | { kind: 'note'; units: number }
  /** `250ms`, `1.5s`: absolute, in ns. */
  | { kind: 'absolute'; ns: Nanos }
  | { kind: 'param'; name: string }
  | { kind: 'const'; value: Value }
  | { kind: 'sum'; sign: 1 | -1; left: Expr; right: Expr }
  | { kind: 'choose' | 'tick'; options: Expr[] }
  | { kind: 'rand'; low: Expr; high: Expr };

/** An evaluated word: a unitless amount in billionths (a note, a count of beats), or absolute ns. */
export type Value = { unit: 'units'; amount: number } | { unit: 'ns'; amount: Nanos };

/** Billionths in one: a unitless amount is kept as an integer count of them (time.ts). */
export const UNITS = UNITS_PER_ONE;

function valueIn(unit: Value['unit'], amount: number): Value {
  return unit === 'ns' ? { unit, amount: nanos(amount) } : { unit, amount };
}

export type ExprResult = { ok: true; expr: Expr } | { ok: false; message: string; hint?: string };

const FUNCTIONS = ['choose', 'rand', 'tick'];
/** Functions that stand for a list of notes (the options of choose and tick). */
const LISTS = ['scale', 'chord'];
const LIST_START = /^(?:scale|chord)\(/i;
const PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ABSOLUTE = /^(\d+(?:\.\d*)?|\.\d+)(ms|s)$/;

/** Does the word need an expression (more than a plain number or note name)? */
export function isExpressionWord(text: string, params: ReadonlySet<string>): boolean {
  if (params.has(text)) return true;
  if (parseDurationNs(text).ok || parseNote(text).ok) return false;
  return /[+()]/.test(text) || /.-/.test(text) || ABSOLUTE.test(text) || (PARAM.test(text) && /^[A-Z_]{2,}[A-Z0-9_]*$/.test(text));
}

/**
 * Parse one argument word: sums of atoms with `+` and `-`, atoms being numbers,
 * note names, absolute durations, parameters and calls `choose(...)`,
 * `rand(A,B)`, `tick(...)`.
 */
export function parseExpr(text: string, params: ReadonlySet<string>): ExprResult {
  let i = 0;
  const fail = (message: string, hint?: string): never => {
    throw new ExprSyntax(message, hint);
  };
  const atom = (): Expr => {
    const start = i;
    while (i < text.length && !'+-(),'.includes(text[i])) i++;
    const word = text.slice(start, i);
    if (word === '') fail(i < text.length ? `expected a value, found "${text[i]}"` : 'expected a value, found the end of the word');
    if (text[i] === '(') {
      const name = word.toLowerCase();
      if (LISTS.includes(name)) fail(`${name}(...) is a list of notes: use it inside choose(...) or tick(...)`, `like choose(scale(C4,minor_pentatonic)) or tick(chord(E3,minor))`);
      if (!FUNCTIONS.includes(name)) fail(`unknown function "${word}": expected choose, rand or tick`, 'choose(C5,E5,G5) picks one, rand(0.1,0.3) a number between, tick(C5,E5) the next each time; scale(C4,major) and chord(E3,minor) go inside them');
      i++;
      // choose and tick take lists of notes among their options: scale(...) and chord(...) are their notes.
      const option = (): Expr[] => (name !== 'rand' && LIST_START.test(text.slice(i)) ? list() : [sum()]);
      const options: Expr[] = option();
      while (text[i] === ',') {
        i++;
        options.push(...option());
      }
      if (text[i] !== ')') fail(`expected "," or ")" in ${name}(...), found ${i < text.length ? `"${text[i]}"` : 'the end of the word'}`);
      i++;
      if (name === 'rand') {
        if (options.length !== 2) fail(`rand takes two values, the lowest and the highest: found ${options.length}`, 'like rand(0.1,0.3)');
        return { kind: 'rand', low: options[0], high: options[1] };
      }
      return { kind: name as 'choose' | 'tick', options };
    }
    if (params.has(word)) return { kind: 'param', name: word };
    const absolute = ABSOLUTE.exec(word);
    if (absolute !== null) {
      const d = parseDurationNs(absolute[1]);
      if (!d.ok) fail(`duration too long: "${word}"`);
      const ns = d.ok ? d.ns : nanos(0);
      return { kind: 'absolute', ns: absolute[2] === 'ms' ? nanos(Math.round(ns / 1000)) : ns };
    }
    const number = parseDurationNs(word);
    if (number.ok && /^[\d.]/.test(word)) return { kind: 'number', units: number.ns };
    const note = parseNote(word);
    if (note.ok) return { kind: 'note', units: note.note * UNITS };
    if (/^[A-Z_]{2,}[A-Z0-9_]*$/.test(word)) {
      fail(`unknown name "${word}": it is not a parameter of this phrase`, 'parameters are named after the phrase name: def arp ROOT: beep ROOT 0.25');
    }
    return fail(`expected a number, a note (C5, F#3) or a duration (250ms, 1.5s), found "${word}"`);
  };
  /** `scale(ROOT,NAME)` or `chord(ROOT,NAME)`: the notes as options, ROOT plus each step of the name. */
  const list = (): Expr[] => {
    const start = i;
    while (text[i] !== '(') i++;
    const kind = text.slice(start, i).toLowerCase() as TheoryKind;
    i++;
    const root = sum();
    if (text[i] !== ',') fail(`expected "," and a ${kind} name in ${kind}(ROOT,NAME), found ${i < text.length ? `"${text[i]}"` : 'the end of the word'}`, `like ${kind === 'scale' ? 'scale(C4,minor_pentatonic)' : 'chord(E3,minor)'}`);
    const nameStart = ++i;
    while (i < text.length && text[i] !== ')' && text[i] !== ',') i++;
    const name = text.slice(nameStart, i);
    if (text[i] !== ')') fail(`expected ")" after the ${kind} name, found ${i < text.length ? `"${text[i]}"` : 'the end of the word'}`);
    i++;
    return listNotes(kind, root, name, text.slice(start, i));
  };
  const sum = (): Expr => {
    let left = atom();
    while (text[i] === '+' || text[i] === '-') {
      const sign = text[i] === '+' ? 1 : -1;
      i++;
      left = { kind: 'sum', sign, left, right: atom() };
    }
    return left;
  };
  try {
    const expr = sum();
    if (i < text.length) fail(`unexpected "${text[i]}" in "${text}"`);
    return { ok: true, expr };
  } catch (error) {
    if (error instanceof ExprSyntax) return { ok: false, message: error.message, hint: error.hint };
    throw error;
  }
}

/** The notes of `scale(ROOT,NAME)` or `chord(ROOT,NAME)` as options: ROOT plus each step of the name (`text`: the call, for messages). */
function listNotes(kind: TheoryKind, root: Expr, name: string, text: string): Expr[] {
  const named = stepsOf(kind, name);
  if (!named.ok) throw new ExprSyntax(named.message, named.hint);
  const steps = named.steps;
  if (!isConstant(root)) return steps.map((s) => ({ kind: 'sum', sign: 1, left: root, right: { kind: 'number', units: s * UNITS } }));
  let value: Value;
  try {
    value = evaluate(root, CONSTANT_ENV);
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    throw new ExprSyntax(error.message);
  }
  const note = value.amount / UNITS;
  if (value.unit === 'ns' || !Number.isInteger(note)) throw new ExprSyntax(`expected a note as the root of ${kind}(...), found "${text}"`);
  const top = note + steps[steps.length - 1];
  if (note < 0 || top > 127) throw new ExprSyntax(`${kind}(...) goes out of the notes 0..127: its notes are ${note} to ${top}`, 'move its root by octaves');
  return steps.map((s) => ({ kind: 'note', units: (note + s) * UNITS }));
}

class ExprSyntax extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** What evaluating needs: the chance of the source, and a counter per `tick`. */
export interface EvalEnv {
  random(): number;
  tick(expr: Expr): number;
}

/** A problem found while evaluating (a note pushed out of range is found in `run`). */
export class EvalError extends Error {}

export function evaluate(expr: Expr, env: EvalEnv): Value {
  switch (expr.kind) {
    case 'number':
    case 'note':
      return { unit: 'units', amount: expr.units };
    case 'absolute':
      return { unit: 'ns', amount: expr.ns };
    case 'const':
      return expr.value;
    case 'param':
      throw new EvalError(`parameter ${expr.name} has no value here`);
    case 'sum': {
      const left = evaluate(expr.left, env);
      const right = evaluate(expr.right, env);
      if (left.unit !== right.unit) {
        throw new EvalError('cannot add beats and absolute time: write both in beats (0.5) or both absolute (250ms)');
      }
      return valueIn(left.unit, left.amount + expr.sign * right.amount);
    }
    case 'choose':
      return evaluate(expr.options[Math.floor(env.random() * expr.options.length)], env);
    case 'tick':
      return evaluate(expr.options[env.tick(expr) % expr.options.length], env);
    case 'rand': {
      const low = evaluate(expr.low, env);
      const high = evaluate(expr.high, env);
      if (low.unit !== high.unit) throw new EvalError('rand takes two values of the same kind: two numbers, or two absolute durations');
      return valueIn(low.unit, Math.round(low.amount + env.random() * (high.amount - low.amount)));
    }
  }
}

/** The expression with its parameters given values (those not named stay). */
export function bindParams(expr: Expr, values: ReadonlyMap<string, Value>): Expr {
  // The same object when nothing in it changes: a tick keeps its count across calls of the phrase.
  switch (expr.kind) {
    case 'param': {
      const value = values.get(expr.name);
      return value === undefined ? expr : { kind: 'const', value };
    }
    case 'sum': {
      const left = bindParams(expr.left, values);
      const right = bindParams(expr.right, values);
      return left === expr.left && right === expr.right ? expr : { ...expr, left, right };
    }
    case 'choose':
    case 'tick': {
      const options = expr.options.map((o) => bindParams(o, values));
      return options.every((o, i) => o === expr.options[i]) ? expr : { ...expr, options };
    }
    case 'rand': {
      const low = bindParams(expr.low, values);
      const high = bindParams(expr.high, values);
      return low === expr.low && high === expr.high ? expr : { ...expr, low, high };
    }
    default:
      return expr;
  }
}

/** Evaluates the same way whenever it runs (no parameter, no chance): can be checked when the line is read. */
export function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case 'param':
    case 'choose':
    case 'tick':
    case 'rand':
      return false;
    case 'sum':
      return isConstant(expr.left) && isConstant(expr.right);
    default:
      return true;
  }
}

export const CONSTANT_ENV: EvalEnv = { random: () => 0, tick: () => 0 };

/**
 * What a word stands for: a note, a duration, any value (a phrase's argument),
 * a plain number in a range (`amp=rand(0.05,0.2)`: 0..1), or one of some names
 * (`synth=choose(saw,square)`: its expression picks an index into the choices).
 */
export type DeferredKind = 'note' | 'duration' | 'value' | 'number' | 'choice';

/** What a 'number' must be within, and what a 'choice' picks from. */
export interface DeferredLimits {
  range?: readonly [number, number];
  choices?: readonly string[];
}

/**
 * A word whose value is known only when its command runs (see values.ts).
 * The argument reader hands one out where a number goes; `resolveArgs` puts
 * the value in its place just before the command's `run` sees its arguments.
 */
export class Deferred {
  constructor(
    readonly expr: Expr,
    readonly kind: DeferredKind,
    readonly text: string,
    readonly at: { source: string; line: number; col: number; endCol: number },
    readonly limits: DeferredLimits = {},
  ) {}
}

/** The reader's placeholder where a number goes (resolved before `run`). */
export function placeholder(deferred: Deferred): number {
  return deferred as unknown as number;
}

