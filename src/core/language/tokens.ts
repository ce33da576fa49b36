/** A word of a command line with its place: `col` is 1-based, `endCol` is just past it (UTF-16 columns). */
export interface Token {
  text: string;
  col: number;
  endCol: number;
}

function isSpace(code: number): boolean {
  // ASCII whitespace fast path, then what JavaScript's \s also counts (NBSP, BOM, Unicode spaces).
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0x80) return false;
  return /\s/.test(String.fromCharCode(code));
}

const SEMICOLON = 0x3b;
const PIPE = 0x7c;
const AMPERSAND = 0x26;
const HASH = 0x23;

/** `;`, `|` and `&` are words of their own, whether or not spaces surround them. */
function isSeparator(code: number): boolean {
  return code === SEMICOLON || code === PIPE || code === AMPERSAND;
}

/** The words that separate commands: `;` (in sequence), `|` (run together), `&` (in the background). */
export const SEPARATORS: readonly string[] = [';', '|', '&'];

/**
 * Splits a line into words on whitespace. `;`, `|` and `&` are words of their
 * own (they separate the commands of `eval`, of `gather` and of a line run in
 * the background). A `#` that begins a word (at the start of the line, after
 * whitespace or after a separator) begins a comment that runs to the end of
 * the line; inside a word, as in `F#4`, it is part of the word.
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === HASH) break;
    if (isSeparator(c)) {
      tokens.push({ text: line[i], col: i + 1, endCol: i + 2 });
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      const d = line.charCodeAt(i);
      if (isSeparator(d) || isSpace(d)) break;
      i++;
    }
    tokens.push({ text: line.slice(start, i), col: start + 1, endCol: i + 1 });
  }
  return tokens;
}
