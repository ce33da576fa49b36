import type { Diagnostic } from '../language/diagnostics';

/** The longest line accepted, in UTF-16 code units (what an editor's column counts). */
export const MAX_LINE_LENGTH = 4096;

/**
 * One line of a source, numbered from 1. A line that could not be read as text
 * (too long, a NUL byte, invalid UTF-8) is an `error` item that carries its
 * diagnostic and a printable preview, so the line still shows up where it was.
 */
export type LineItem =
  | { kind: 'line'; line: number; text: string }
  | { kind: 'error'; line: number; diagnostic: Diagnostic; preview: string };

const PREVIEW_LENGTH = 60;

/** Checks a decoded line: length and NUL. Returns the line as an item. */
export function checkLine(source: string, line: number, text: string): LineItem {
  if (text.length > MAX_LINE_LENGTH) return tooLong(source, line, text.length, preview(text));
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    return {
      kind: 'error',
      line,
      preview: preview(text),
      diagnostic: {
        source,
        line,
        col: nul + 1,
        endCol: nul + 2,
        message: 'expected text, found a NUL byte',
        found: 'NUL',
        expected: 'text',
        hint: 'is this a binary file?',
      },
    };
  }
  return { kind: 'line', line, text };
}

/** A line over the limit; `length` is null when the line was dropped unread. */
export function tooLong(source: string, line: number, length: number | null, shown: string): LineItem {
  const found = length === null ? 'a longer line' : `${length} characters`;
  return {
    kind: 'error',
    line,
    preview: shown,
    diagnostic: {
      source,
      line,
      col: MAX_LINE_LENGTH + 1,
      message: `line too long: expected at most ${MAX_LINE_LENGTH} characters, found ${found}`,
      found,
      expected: `at most ${MAX_LINE_LENGTH} characters`,
      hint: 'split it into several lines',
    },
  };
}

/** A short printable rendering of a bad line, for the timeline. */
export function preview(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\0' ? '\u2400' : ' '));
  return clean.length > PREVIEW_LENGTH ? `${clean.slice(0, PREVIEW_LENGTH)}\u2026` : clean;
}
