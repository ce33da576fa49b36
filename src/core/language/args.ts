import { quote, type Diagnostic } from './diagnostics';
import { MAX_DURATION_SECONDS, parseDurationNs } from './numbers';
import { noteName, parseNote } from './pitch';
import type { Token } from './tokens';
import { CONSTANT_ENV, Deferred, evaluate, EvalError, isConstant, isExpressionWord, parseExpr, placeholder, UNITS, type DeferredKind, type Expr, type Value } from './values';

/** The parameters of the phrase whose body is being read (`def arp ROOT: ...`): names a value may use. */
let parameters: ReadonlySet<string> = new Set();

/** Read with `names` as the parameters a value may name (the body of a def). */
export function withParameters<T>(names: readonly string[], read: () => T): T {
  const saved = parameters;
  parameters = new Set(names);
  try {
    return read();
  } finally {
    parameters = saved;
  }
}

const NOTE_EXPECTED = 'a note: a number 0..127 or a name like C5, F#3, Eb4';

/**
 * Reads a command's arguments word by word, turning each problem into a
 * located diagnostic. After a problem it goes on reading, so one line reports
 * all of its bad words at once; the values returned for bad words are NaN.
 */
export class ArgReader {
  readonly diagnostics: Diagnostic[] = [];
  private index = 0;
  private reportedMissing = false;

  constructor(
    readonly tokens: readonly Token[],
    private readonly source: string,
    private readonly line: number,
    /** The command word (for positions when arguments are missing). */
    private readonly command: Token,
    private readonly usage: string,
  ) {}

  /** The command word the arguments belong to. */
  get commandWord(): Token {
    return this.command;
  }

  get remaining(): number {
    return this.tokens.length - this.index;
  }

  get failed(): boolean {
    return this.diagnostics.length > 0;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  /** The next word, or a "missing argument" diagnostic naming `expected`. */
  word(expected: string): Token | undefined {
    const token = this.tokens[this.index];
    if (token === undefined) {
      this.missing(expected);
      return undefined;
    }
    this.index++;
    return token;
  }

  /** Every word left. */
  rest(): Token[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }

  /**
   * A duration in beats (`2`, `0.5`; at the default bpm 60 a beat is a second)
   * or absolute (`250ms`, `1.5s`). What `run` gets is exact integer ns at the
   * source's tempo when the command starts (a placeholder until then: see deferred.ts).
   */
  duration(expected = 'a duration in seconds'): number {
    const token = this.valueWord(expected);
    return token === undefined ? NaN : this.durationOf(token, expected);
  }

  /** Absolute seconds (work and its limits, not music): exact integer ns now. */
  seconds(expected = 'a duration in seconds'): number {
    const token = this.word(expected);
    if (token === undefined) return NaN;
    const ns: unknown = this.durationOf(token, expected);
    if (!(ns instanceof Deferred)) return ns as number;
    if (isConstant(ns.expr)) return this.constantValue(token, ns.expr)?.amount ?? NaN;
    this.error(token, {
      message: `expected ${expected} known when the line is read, found ${quote(token.text)}: a parameter or a chance (choose, rand, tick) has no value until it runs`,
      found: token.text,
      expected: `${expected} known when the line is read`,
    });
    return NaN;
  }

  /** A duration if one is there, else `defaultNs` worth of beats (ns at bpm 60). */
  optionalDuration(defaultNs: number, expected = 'a duration in seconds'): number {
    const token = this.peek();
    if (token === undefined) return this.defer({ kind: 'number', units: defaultNs }, 'duration', this.command);
    return this.duration(expected);
  }

  /** A note number 0..127 (or a note name, or a sum like C5+7, or chance). */
  note(): number {
    const token = this.valueWord(NOTE_EXPECTED);
    return token === undefined ? NaN : this.noteOf(token);
  }

  /** All the words left as notes; at least `min` of them. */
  notes(min = 1): number[] {
    const notes: number[] = [];
    while (this.remaining > 0) notes.push(this.note());
    if (notes.length < min) this.missing(min === 1 ? 'at least one note' : `at least ${min} notes`);
    return notes;
  }

  /** Any value (a phrase's argument): a note, a number, a duration, chance. Placeholder for a `Value`. */
  value(expected: string): unknown {
    const token = this.valueWord(expected);
    if (token === undefined) return undefined;
    const expr = this.exprOf(token);
    return expr === null ? undefined : new Deferred(expr, 'value', token.text, this.at(token));
  }

  /**
   * The next word, joined with the words after it while its brackets are open:
   * `choose(C5, E5, G5)` is one value however it is spaced.
   */
  private valueWord(expected: string): Token | undefined {
    const first = this.word(expected);
    if (first === undefined) return undefined;
    let depth = bracketDepth(first.text);
    let text = first.text;
    let last = first;
    while (depth > 0) {
      const next = this.tokens[this.index];
      if (next === undefined || next.text === ';' || next.text === '|' || next.text === '&') break;
      this.index++;
      depth += bracketDepth(next.text);
      text += next.text;
      last = next;
    }
    return last === first ? first : { text, col: first.col, endCol: last.endCol };
  }

  private at(token: Token): { source: string; line: number; col: number; endCol: number } {
    return { source: this.source, line: this.line, col: token.col, endCol: token.endCol };
  }

  private defer(expr: Expr, kind: DeferredKind, token: Token): number {
    return placeholder(new Deferred(expr, kind, token.text, this.at(token)));
  }

  private exprOf(token: Token): Expr | null {
    const parsed = parseExpr(token.text, parameters);
    if (parsed.ok) return parsed.expr;
    this.error(token, { message: parsed.message, found: token.text, ...(parsed.hint !== undefined ? { hint: parsed.hint } : {}) });
    return null;
  }

  /** The value of a word that needs nothing to run (`C5+7`, `1+250ms`); a sum of unlike kinds is reported at it. */
  private constantValue(token: Token, expr: Expr): Value | null {
    try {
      return evaluate(expr, CONSTANT_ENV);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      this.error(token, { message: `${error.message} (in ${quote(token.text)})`, found: token.text });
      return null;
    }
  }

  /** No words may be left. */
  end(): void {
    const extra = this.tokens[this.index];
    if (extra === undefined) return;
    this.error(extra, {
      message: `too many arguments: expected end of line, found ${quote(extra.text)}`,
      found: extra.text,
      expected: 'end of line',
      hint: `usage: ${this.usage}`,
    });
    this.index = this.tokens.length;
  }

  /** Report a problem at `token`. */
  error(token: Token, d: { message: string; found?: string; expected?: string; hint?: string }): void {
    this.diagnostics.push({ source: this.source, line: this.line, col: token.col, endCol: token.endCol, ...d });
  }

  /** Report a missing argument, just past the last word (once: the next ones are missing too). */
  missing(expected: string): void {
    if (this.reportedMissing) return;
    this.reportedMissing = true;
    const last = this.tokens[this.tokens.length - 1] ?? this.command;
    this.diagnostics.push({
      source: this.source,
      line: this.line,
      col: last.endCol,
      endCol: last.endCol + 1,
      message: `missing argument: expected ${expected}, found end of line`,
      found: 'end of line',
      expected,
      hint: `usage: ${this.usage}`,
    });
  }

  private durationOf(token: Token, expected: string): number {
    if (isExpressionWord(token.text, parameters)) {
      const expr = this.exprOf(token);
      if (expr === null) return NaN;
      if (isConstant(expr)) {
        const value = this.constantValue(token, expr);
        if (value === null) return NaN;
        if (value.amount < 0) {
          this.error(token, { message: `negative duration: expected ${expected} (0 or more), found ${quote(token.text)}`, found: token.text, expected: `${expected} (0 or more)` });
          return NaN;
        }
      }
      return this.defer(expr, 'duration', token);
    }
    const result = parseDurationNs(token.text);
    if (result.ok) return this.defer({ kind: 'number', units: result.ns }, 'duration', token);
    const found = quote(token.text);
    switch (result.problem) {
      case 'not-a-number':
        this.error(token, { message: `expected ${expected}, found ${found}`, found: token.text, expected, hint: 'a duration is a number of beats, like 2, 0.5 or .25 (a beat is a second at bpm 60), or absolute, like 250ms or 1.5s' });
        break;
      case 'negative':
        this.error(token, { message: `negative duration: expected ${expected} (0 or more), found ${found}`, found: token.text, expected: `${expected} (0 or more)` });
        break;
      case 'not-finite':
        this.error(token, { message: `expected a finite duration in seconds, found ${found}`, found: token.text, expected: 'a finite duration in seconds' });
        break;
      case 'too-long':
        this.error(token, { message: `duration too long: expected at most ${MAX_DURATION_SECONDS} seconds, found ${found}`, found: token.text, expected: `at most ${MAX_DURATION_SECONDS} seconds` });
        break;
    }
    return NaN;
  }

  private noteOf(token: Token): number {
    if (isExpressionWord(token.text, parameters)) {
      const expr = this.exprOf(token);
      if (expr === null) return NaN;
      if (!isConstant(expr)) return this.defer(expr, 'note', token);
      const value = this.constantValue(token, expr);
      if (value === null) return NaN;
      const note = value.amount / UNITS;
      if (value.unit === 'units' && Number.isInteger(note) && note >= 0 && note <= 127) return note;
      this.error(token, {
        message: value.unit === 'ns' ? `expected a note, found a duration ${quote(token.text)}` : `note out of range: expected a note 0..127 (${noteName(0)} to ${noteName(127)}), found ${quote(token.text)} (${note})`,
        found: token.text,
        expected: 'a note 0..127',
      });
      return NaN;
    }
    const result = parseNote(token.text);
    if (result.ok) return result.note;
    const found = quote(token.text);
    switch (result.problem) {
      case 'out-of-range': {
        const value = /^[+-]?\d+$/.test(token.text) ? '' : ` (${result.value})`;
        this.error(token, { message: `note out of range: expected a note 0..127 (${noteName(0)} to ${noteName(127)}), found ${found}${value}`, found: token.text, expected: 'a note 0..127' });
        break;
      }
      case 'not-whole':
        this.error(token, { message: `expected a whole note number 0..127, found ${found}`, found: token.text, expected: 'a whole note number 0..127' });
        break;
      case 'bad-name':
        this.error(token, { message: `bad note name: expected a name like C5, F#3 or Eb4, found ${found}`, found: token.text, expected: 'a note name like C5, F#3 or Eb4', hint: 'a name is a letter A-G, then # or b if sharp or flat, then the octave (C5 = 60)' });
        break;
      case 'not-a-note':
        this.error(token, { message: `expected ${NOTE_EXPECTED}, found ${found}`, found: token.text, expected: NOTE_EXPECTED });
        break;
    }
    return NaN;
  }
}

/** How many brackets a word opens (less those it closes). */
function bracketDepth(text: string): number {
  let depth = 0;
  for (const c of text) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  return depth;
}
