import { quote, type Diagnostic } from './diagnostics';
import { MAX_DURATION_SECONDS, parseDurationNs } from './numbers';
import { noteName, parseNote } from './pitch';
import type { Token } from './tokens';

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

  /** A duration in seconds, as exact integer nanoseconds. */
  duration(expected = 'a duration in seconds'): number {
    const token = this.word(expected);
    return token === undefined ? NaN : this.durationOf(token, expected);
  }

  /** A duration if one is there, else `defaultNs`. */
  optionalDuration(defaultNs: number, expected = 'a duration in seconds'): number {
    const token = this.peek();
    if (token === undefined) return defaultNs;
    this.index++;
    return this.durationOf(token, expected);
  }

  /** A note number 0..127 (or a note name). */
  note(): number {
    const token = this.word(NOTE_EXPECTED);
    return token === undefined ? NaN : this.noteOf(token);
  }

  /** All the words left as notes; at least `min` of them. */
  notes(min = 1): number[] {
    if (this.remaining < min) {
      this.missing(min === 1 ? 'at least one note' : `at least ${min} notes`);
      return [];
    }
    return this.rest().map((token) => this.noteOf(token));
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
    const result = parseDurationNs(token.text);
    if (result.ok) return result.ns;
    const found = quote(token.text);
    switch (result.problem) {
      case 'not-a-number':
        this.error(token, { message: `expected ${expected}, found ${found}`, found: token.text, expected, hint: 'a duration is a number of seconds, like 2, 0.5 or .25' });
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
