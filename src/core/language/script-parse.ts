import type { LineItem } from '../lines/line';
import { textLines } from '../lines/text';
import type { AnyCommand, CommandTable } from './command';
import type { Diagnostic } from './diagnostics';
import { parseLineItem, type ParsedLine } from './parser';

export interface ScriptParseOptions {
  /** Diagnostics kept; past it they are only counted, in `more` (default: every one kept). */
  maxDiagnostics?: number;
  /**
   * Keep parsed lines only while the script has no error (default: every
   * line). A host that plays a script only without errors needs no lines of one
   * with errors, and half a million of them cost hundreds of MB.
   */
  linesOnlyIfClean?: boolean;
}

/**
 * A whole script, parsed one line per `step`, so a host can parse it in
 * slices between its other work and hand the result to the session to play
 * (`Session.loadParsed`) without parsing it again. It parses against a fork
 * of `origin`: the phrases it defines stay out of `origin` until it is played.
 */
export class ScriptParse {
  /** The parsed lines (none of a script with errors, given `linesOnlyIfClean`). */
  lines: ParsedLine[] = [];
  /** The problems found so far, in line order (at most `maxDiagnostics`). */
  readonly diagnostics: Diagnostic[] = [];
  /** Problems found past `maxDiagnostics`: counted, not kept. */
  more = 0;
  /** The table it parses against: a fork of `origin`'s. */
  readonly table: CommandTable;
  private readonly items: Iterator<LineItem, void>;
  private readonly inherited: ReadonlySet<AnyCommand>;
  private readonly maxDiagnostics: number;
  private readonly linesOnlyIfClean: boolean;
  private finished = false;

  constructor(
    readonly source: string,
    text: string,
    /** The table of the session it is parsed for (and may only be played in). */
    readonly origin: CommandTable,
    options: ScriptParseOptions = {},
  ) {
    this.table = origin.fork();
    this.inherited = new Set(this.table.definitions());
    this.items = textLines(source, text);
    this.maxDiagnostics = options.maxDiagnostics ?? Infinity;
    this.linesOnlyIfClean = options.linesOnlyIfClean ?? false;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Every problem found so far, kept or only counted. */
  get errorCount(): number {
    return this.diagnostics.length + this.more;
  }

  /** Parse the next line. False once every line is parsed. */
  step(): boolean {
    if (this.finished) return false;
    const next = this.items.next();
    if (next.done === true) {
      this.finished = true;
      return false;
    }
    const parsed = parseLineItem(next.value, this.source, this.table);
    if (parsed.kind === 'error') {
      for (const d of parsed.diagnostics) {
        if (this.diagnostics.length < this.maxDiagnostics) this.diagnostics.push(d);
        else this.more++;
      }
      if (this.linesOnlyIfClean) this.lines = [];
    }
    if (!this.linesOnlyIfClean || this.errorCount === 0) this.lines.push(parsed);
    return true;
  }

  /** Parse every line left, at once. */
  finish(): this {
    while (this.step());
    return this;
  }

  /** The phrases the script defined or redefined (what playing it adds to the session's table). */
  defined(): AnyCommand[] {
    return this.table.definitions().filter((spec) => !this.inherited.has(spec));
  }
}
