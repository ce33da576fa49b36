/**
 * The phrases (`def NAME CMD; ...`) the session has defined, for Tab
 * completion. The host sends no list of them, but it reports every line it
 * runs (a `task-created` event of kind `line`, named by the line's text, from
 * the terminal, scripts and examples alike, and again in a snapshot's recent
 * events): each is parsed here with the engine's own parser against a table of
 * this page's own, as the session parsed it against its table, so a `def` that
 * the session accepted defines the same phrase here and one it refused
 * (a bad name, a built-in's name, a broken body) defines nothing.
 * A script loaded from this page is learnt whole as soon as it plays, since the
 * session reads a whole script (and its defs) when it is loaded. As in the
 * session, each source has its phrases (another source's is `SOURCE/NAME`).
 */
import { builtinCommands } from '../../core/commands';
import { SourceTables } from '../../core/language/source-tables';
import type { CommandTable } from '../../core/language/command';
import { parseLine, parseScript } from '../../core/language/parser';
import type { Diagnostic } from '../../core/session/api';

export class SessionPhrases {
  /** Each source's table, as the session keeps them. */
  private tables = new SourceTables(builtinCommands);

  private tableOf(source: string): CommandTable {
    return this.tables.of(source);
  }

  /** A line the session ran (its text as the task's name). */
  learnLine(text: string, source: string): void {
    // Only a line that may define something is worth parsing.
    if (/\bdef\b/i.test(text)) parseLine(text, source, 1, this.tableOf(source));
  }

  /** A script the session plays (loaded whole, as the session reads it). */
  learnScript(text: string, source: string): void {
    if (/\bdef\b/i.test(text)) parseScript(text, source, this.tableOf(source));
  }

  /**
   * The problems in a script, read as the session will read it: with the
   * phrases its source defined so far (a fork: checking defines nothing here).
   */
  check(text: string, source: string): Diagnostic[] {
    return parseScript(text, source, this.tableOf(source).fork()).diagnostics;
  }

  /** A new session (after quit) knows none of the old one's phrases. */
  forget(): void {
    this.tables = new SourceTables(builtinCommands);
  }

  /** The names of the phrases every source defined so far (each once), in the order first defined. */
  names(): string[] {
    const names = new Map<string, string>();
    for (const table of this.tables.all()) {
      for (const spec of table.definitions()) if (!names.has(spec.name.toLowerCase())) names.set(spec.name.toLowerCase(), spec.name);
    }
    return [...names.values()];
  }
}
