/**
 * The one way user text (file names, comments, messages, names of phrases,
 * tasks and cues) gets into a generated program, one function per place it
 * can stand: a string literal, a comment, a docstring. Whatever the text holds
 * (quotes, backslashes, line breaks Python counts as such, NUL, U+2028, lone
 * surrogates, bidi controls), it stays inside its place: it can end neither
 * the literal nor the comment, so none of it runs.
 */

/**
 * Characters written as escapes: controls (NUL and CR among them), format
 * characters (bidi overrides, which can make code read otherwise than it
 * runs), line and paragraph separators, and lone surrogates (no UTF-8 for them).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** `\xNN`, `\uNNNN` or `\UNNNNNNNN`: Python's escape for one code point. */
function escape(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  const hex = cp.toString(16).padStart(2, '0');
  if (cp < 0x100) return `\\x${hex}`;
  if (cp < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** A Python string literal with the value `text` (a lone surrogate stays one, as `\udXXX`). */
export function pyString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE, escape)}"`;
}

/** Text for inside a `"""` docstring (the same escapes as a string literal). */
export function pyDocstring(text: string): string {
  return pyString(text).slice(1, -1);
}

/** Text for after a `#`: on one line, the characters that could end or hide it shown as escapes. */
export function pyComment(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** A word for a shell command line: as it is if it is plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w./+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
