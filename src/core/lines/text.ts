import { checkLine, type LineItem } from './line';

/**
 * Splits a whole text (a script loaded at once) into numbered lines: LF,
 * CRLF or lone CR endings, a leading BOM dropped, no extra line after a final newline.
 */
export function splitText(source: string, text: string): LineItem[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body === '') return [];
  const parts = body.split(/\r\n|\r|\n/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const items: LineItem[] = [];
  for (let i = 0; i < parts.length; i++) {
    items.push(checkLine(source, i + 1, parts[i]));
  }
  return items;
}
