/**
 * What Ctrl+Enter runs: the current line, or the selection, as a script whose
 * lines keep their numbers in the buffer (the lines before are left blank and
 * a partly selected first line keeps its column), so errors, the timeline's
 * positions and the playhead point at the buffer's own lines.
 */

/** The part of `text` from offset `from` to `to`, in place: every other character but newlines blanked. */
export function runnablePart(text: string, from: number, to: number): string {
  const before = text.slice(0, from);
  const lineStart = before.lastIndexOf('\n') + 1;
  const newlines = before.slice(0, lineStart).replace(/[^\n]/g, '');
  const indent = ' '.repeat(from - lineStart);
  return newlines + indent + text.slice(from, to);
}

/** The offsets of the line holding `pos`. */
export function lineAround(text: string, pos: number): { from: number; to: number } {
  const from = text.lastIndexOf('\n', pos - 1) + 1;
  const end = text.indexOf('\n', pos);
  return { from, to: end < 0 ? text.length : end };
}
