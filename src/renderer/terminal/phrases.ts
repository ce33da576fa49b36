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
 * session reads a whole script (and its defs) when it is loaded.
 */
import { builtinCommands } from '../../core/commands';
import type { CommandTable } from '../../core/language/command';
import { parseLine, parseScript } from '../../core/language/parser';
import type { Diagnostic } from '../../core/session/api';

export class SessionPhrases {
  private table: CommandTable = builtinCommands.fork();

  /** A line the session ran (its text as the task's name). */
  learnLine(text: string, source: string): void {
    // Only a line that may define something is worth parsing.
    if (/\bdef\b/i.test(text)) parseLine(text, source, 1, this.table);
  }

  /** A script the session plays (loaded whole, as the session reads it). */
  learnScript(text: string, source: string): void {
    if (/\bdef\b/i.test(text)) parseScript(text, source, this.table);
  }

  /**
   * The problems in a script, read as the session will read it: with the
   * phrases defined so far (a fork: checking defines nothing here).
   */
  check(text: string, source: string): Diagnostic[] {
    return parseScript(text, source, this.table.fork()).diagnostics;
  }

  /** A new session (after quit) knows none of the old one's phrases. */
  forget(): void {
    this.table = builtinCommands.fork();
  }

  /** The names of the phrases defined so far, in the order first defined. */
  names(): string[] {
    return this.table.definitions().map((spec) => spec.name);
  }
}
