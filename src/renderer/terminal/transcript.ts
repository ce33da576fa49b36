/**
 * What the terminal printed, kept as how to print it at any width, so that a
 * change of width redraws it laid out again (help's table, located errors,
 * the app's messages are broken at the pane's width when printed; xterm's own
 * reflow would re-wrap those broken lines a second time and garble them).
 * Bounded: the oldest entries go first, like xterm's scrollback.
 */

/** One printed block: its text (ANSI colours allowed, `\n` between lines, no final newline) at `columns`. */
export type TranscriptEntry = (columns: number) => string;

/** Entries kept: the scrollback's 5000 rows hold at most about this many blocks. */
export const TRANSCRIPT_ENTRIES = 2000;

export class Transcript {
  private entries: TranscriptEntry[] = [];

  constructor(private readonly capacity = TRANSCRIPT_ENTRIES) {}

  add(entry: TranscriptEntry): void {
    this.entries.push(entry);
    // drop in steps, so the copy is rare
    if (this.entries.length > this.capacity * 1.25) this.entries = this.entries.slice(-this.capacity);
  }

  get length(): number {
    return Math.min(this.entries.length, this.capacity);
  }

  /** Everything, laid out for `columns`, as terminal text (CRLF line ends). */
  render(columns: number): string {
    return this.entries
      .slice(-this.capacity)
      .map((entry) => `${entry(columns).replace(/\r?\n/g, '\r\n')}\r\n`)
      .join('');
  }

  clear(): void {
    this.entries = [];
  }
}
