import { formatDiagnostic, MAX_DIAGNOSTICS, moreDiagnostics } from '../../core/language/diagnostics';
import type { Diagnostic } from '../../core/session/api';
import { escapeControl } from '../../core/text';

/**
 * The most diagnostics the CLI prints for one source: web mode's cap on a
 * reply, so both show the same first errors. `--check` on 1 MiB of bad lines
 * printed 169 MB; the first errors are what a user fixes first anyway.
 */
export const MAX_PRINTED_DIAGNOSTICS = MAX_DIAGNOSTICS;

/**
 * Prints a source's first MAX_PRINTED_DIAGNOSTICS diagnostics and counts the
 * rest, to say at the source's end how many more there were. A source typed
 * at a terminal is not capped: each error there answers a line just typed.
 */
export class DiagnosticPrinter {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly uncapped: (source: string) => boolean = () => false,
    private readonly max = MAX_PRINTED_DIAGNOSTICS,
  ) {}

  print(d: Diagnostic): void {
    const count = (this.counts.get(d.source) ?? 0) + 1;
    this.counts.set(d.source, count);
    // A script's text can hold ESC: shown as \x1b, never obeyed by the terminal.
    if (count <= this.max || this.uncapped(d.source)) this.write(`${escapeControl(formatDiagnostic(d))}\n`);
  }

  /** The source ended: say how many of its diagnostics were not printed, if any. */
  sourceEnded(source: string): void {
    const count = this.counts.get(source) ?? 0;
    this.counts.delete(source);
    const line = this.uncapped(source) ? null : notShown(count, this.max);
    if (line !== null) this.write(`corotone: ${escapeControl(source)}: ${count.toLocaleString('en-US')} errors (${line})\n`);
  }
}

/** "the first 100 shown, and 12,345 more", or null if all were shown. */
export function notShown(count: number, max = MAX_PRINTED_DIAGNOSTICS): string | null {
  if (count <= max) return null;
  // moreDiagnostics words it as the host's replies do: " (the first N shown, and M more)".
  return moreDiagnostics(max, count - max).slice(2, -1);
}
