/**
 * Tables laid out for the terminal's width: columns stay aligned, a cell that
 * does not fit is cut with `…` (never broken over rows, which would throw the
 * columns out of line), and the last column, the one with prose in it (a
 * task's command, a key's description), wraps between words inside its own
 * column. Also a list of names (Tab's candidates) in columns, broken only
 * between names. Pure, so every width is tested in Node.
 */
import { wrapWords } from './format';

const GAP = '  ';
/** Columns the last column keeps before the others are cut to make room for it. */
const MIN_LAST = 20;
/** A cut cell keeps at least this many columns (its first characters and `…`). */
const MIN_CELL = 4;

/** `text` in at most `width` columns: cut with `…` if longer. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(0, width));
  return `${text.slice(0, width - 1).trimEnd()}…`;
}

/** The widths of every column but the last, cut (widest first) until the last has `MIN_LAST` columns or none can be cut more. */
function fixedWidths(rows: readonly (readonly string[])[], width: number): number[] {
  const count = Math.max(0, ...rows.map((r) => r.length)) - 1;
  const widths = Array.from({ length: count }, (_, i) => Math.max(0, ...rows.map((r) => (i < r.length - 1 ? r[i].length : 0))));
  const room = () => width - widths.reduce((a, w) => a + w + GAP.length, 0);
  const wanted = Math.min(MIN_LAST, width);
  while (room() < wanted) {
    const widest = widths.indexOf(Math.max(...widths));
    const second = Math.max(MIN_CELL, ...widths.filter((_, i) => i !== widest));
    if (widths[widest] <= MIN_CELL) break;
    // cut the widest down to the next widest at most, so the cuts are shared
    widths[widest] -= Math.max(1, Math.min(widths[widest] - second, wanted - room()));
  }
  return widths;
}

/** Rows of cells as lines of at most `width` columns (the last cell of a row wraps in its column). */
export function layoutTable(rows: readonly (readonly string[])[], width: number): string[] {
  const widths = fixedWidths(rows, width);
  const indent = widths.reduce((a, w) => a + w + GAP.length, 0);
  const lastWidth = Math.max(1, width - indent);
  const out: string[] = [];
  for (const row of rows) {
    const fixed = row.slice(0, -1).map((cell, i) => truncate(cell, widths[i]).padEnd(widths[i]) + GAP);
    const last = row.length > 0 ? row[row.length - 1] : '';
    const lead = fixed.join('');
    if (last === '') {
      out.push(lead.trimEnd());
      continue;
    }
    // a row shorter than the others (no cells but its last) starts its text at its own left edge
    const lines = wrapWords(last, lastWidth + (indent - lead.length), '', lastWidth + (indent - lead.length));
    out.push(lead + lines[0], ...lines.slice(1).map((l) => ' '.repeat(indent) + l));
  }
  return out;
}

/**
 * A table printed as text (cells padded and joined by two spaces, the last
 * unpadded, as the session's `tasks` prints it) read back into rows: the
 * columns start where the header's words do, and every row must have two
 * spaces (or its end) before each of them. Null when the text is no such table.
 */
export function readTable(text: string): string[][] | null {
  const lines = text.split('\n');
  if (lines.length < 2) return null;
  const header = lines[0];
  const starts = [...header.matchAll(/(?:^|\s{2,})(\S)/g)].map((m) => (m.index ?? 0) + m[0].length - 1);
  if (starts.length < 3 || starts[0] !== 0) return null;
  const aligned = (line: string) => starts.slice(1).every((s) => line.length <= s - 2 || line.slice(s - 2, s) === GAP);
  if (!lines.every(aligned)) return null;
  return lines.map((line) => starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
}

/** Names (Tab's candidates) in columns across `width`, broken only between names; a name wider than a line is cut with `…`. */
export function layoutNames(names: readonly string[], width: number): string[] {
  if (names.length === 0) return [];
  const cell = Math.min(width, Math.max(...names.map((n) => n.length)) + GAP.length);
  const perLine = Math.max(1, Math.floor((width + GAP.length) / cell));
  const out: string[] = [];
  for (let i = 0; i < names.length; i += perLine) {
    out.push(
      names
        .slice(i, i + perLine)
        .map((n) => truncate(n, width).padEnd(cell))
        .join('')
        .trimEnd(),
    );
  }
  return out;
}
