import type { CommandTable } from './command';

/**
 * Each source's command table, as a session keeps them: a source's lines are
 * parsed and run against its own phrases, and reach another source's phrase
 * as `SOURCE/NAME`. The session, the page's phrase book and the CLI's
 * `--strict` check all read scripts this one way.
 */
export class SourceTables {
  private readonly tables = new Map<string, CommandTable>();

  constructor(private readonly base: CommandTable) {}

  /** The table `source` is parsed and run against (made on first use). */
  of(source: string): CommandTable {
    let table = this.tables.get(source);
    if (table === undefined) {
      table = this.base.fork().reachOthers({
        phrase: (other, name) => this.tables.get(other)?.phrase(name),
        owner: (name) => [...this.tables].find(([other, t]) => other !== source && t.phrase(name) !== undefined)?.[0],
      });
      this.tables.set(source, table);
    }
    return table;
  }

  /** Every source's table, in the order first used. */
  all(): IterableIterator<CommandTable> {
    return this.tables.values();
  }
}
