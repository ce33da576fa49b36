/** A located error: `source:line:col: message`. Lines and columns count from 1. */
export interface Diagnostic {
  source: string;
  line: number;
  col: number;
  /** Column just past the offending text, when known. */
  endCol?: number;
  /** What was wrong, in a sentence: "expected a duration in seconds, found \"x\"". */
  message: string;
  /** The text found at the position, if any. */
  found?: string;
  /** What was expected there. */
  expected?: string;
  /** A suggestion, e.g. `did you mean "chord"?`. */
  hint?: string;
}

/**
 * The most diagnostics a script's load collects (and a reply or the CLI shows):
 * past it they are counted, not kept, and reported as "and N more". A 1 MiB
 * script of half a million bad lines once held 563 MB of them; the first ones
 * are what a user fixes first anyway.
 */
export const MAX_DIAGNOSTICS = 100;

/** How a capped list of diagnostics says what it left out: ` (the first 100 shown, and 2,000 more)`, or '' with none left out. */
export function moreDiagnostics(shown: number, more: number): string {
  return more > 0 ? ` (the first ${shown} shown, and ${more.toLocaleString('en-US')} more)` : '';
}

/**
 * A command failed with a located error. Thrown inside a task; `reported` is
 * set once a diagnostic event has been emitted for it, so the tasks that join
 * the failing one pass it on without reporting it again.
 */
export class CommandError extends Error {
  override name = 'CommandError';
  reported = false;
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.length > 0 ? diagnostics[0].message : 'error');
  }
}

export interface FormatOptions {
  /** The line's text: shown under the message with a caret under the column. */
  lineText?: string;
}

/**
 * `file.txt:3:7: error: expected ..., found "x"`, then the hint on its own line
 * (and, given the line's text, the line with a caret under the error).
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  let text = `${d.source}:${d.line}:${d.col}: error: ${d.message}`;
  if (options.lineText !== undefined) {
    const width = Math.max(1, (d.endCol ?? d.col + 1) - d.col);
    const pad = options.lineText.slice(0, d.col - 1).replace(/[^\t]/g, ' ');
    text += `\n  ${options.lineText}\n  ${pad}^${'~'.repeat(Math.min(width, 80) - 1)}`;
  }
  if (d.hint !== undefined) text += `\n  hint: ${d.hint}`;
  return text;
}

/** How a found word is shown in messages: quoted, escaped, cut short. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}\u2026` : text;
  return JSON.stringify(shown);
}

/** Edit distance with adjacent transpositions counted as one edit (`chrod` → `chord` is 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const rows = a.length + 1;
  const cols = b.length + 1;
  // One reused table: a script of many misspelt lines asks this for every line and every name.
  const d = EDIT_TABLE;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

const EDIT_TABLE = new Int32Array(65 * 65);

/** The candidate nearest to `word`, if it is near enough to be what was meant. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The length difference is a lower bound of the distance: no need to compute what cannot win.
    if (Math.abs(candidate.length - lower.length) >= bestDistance) continue;
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  // Allow about one edit per three letters, at least one, and never the whole word.
  const allowed = Math.max(1, Math.floor(Math.max(lower.length, best.length) / 3));
  return bestDistance <= allowed && bestDistance < best.length ? best : undefined;
}
