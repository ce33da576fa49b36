import { checkLine, type LineItem } from './line';

/**
 * The numbered lines of a whole text (a script loaded at once), one at a time:
 * LF, CRLF or lone CR endings, a leading BOM dropped, no extra line after a
 * final newline. Lazily, so a script can be parsed in slices without first
 * holding an array of every line.
 */
export function* textLines(source: string, text: string): Generator<LineItem, void, undefined> {
  const end = text.length;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (at < end) {
    let stop = at;
    while (stop < end) {
      const c = text.charCodeAt(stop);
      if (c === 10 || c === 13) break; // LF, CR
      stop++;
    }
    yield checkLine(source, line++, text.slice(at, stop));
    if (stop >= end) return;
    at = stop + (text.charCodeAt(stop) === 13 && text.charCodeAt(stop + 1) === 10 ? 2 : 1);
  }
}

/** Every line of a whole text at once (see textLines). */
export function splitText(source: string, text: string): LineItem[] {
  return [...textLines(source, text)];
}
