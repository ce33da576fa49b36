/**
 * Drawing the prompt and the line being edited when together they are wider
 * than the terminal: xterm wraps them over several rows, so a redraw goes back
 * up to the prompt's first row, clears to the end of the screen, writes them
 * again and puts the cursor on the row and column of the cursor position, as
 * readline does. Pure: the escape sequences come from (prompt, line, cursor,
 * columns, where the last draw left the cursor), so every width is tested in
 * Node against a virtual screen.
 *
 * One character (code point) is one column: wide characters (CJK, emoji),
 * which xterm draws over two, are not accounted for.
 */

const CSI = '\x1b[';

/** Where the last draw left the terminal's cursor: rows below the prompt's first row. */
export interface PromptLayout {
  readonly cursorRow: number;
}

/** Nothing drawn yet: the cursor is at the start of the row the prompt goes on. */
export const NOT_DRAWN: PromptLayout = { cursorRow: 0 };

export interface Redraw {
  /** What to write to the terminal. */
  text: string;
  /** Where it leaves the cursor, for the next redraw. */
  layout: PromptLayout;
}

/** Back to the first row of what was drawn, and clear from there to the end of the screen. */
export function eraseSequence(prev: PromptLayout): string {
  return `\r${prev.cursorRow > 0 ? `${CSI}${prev.cursorRow}A` : ''}${CSI}J`;
}

/** Row and column of the cell `offset` columns after the prompt's first cell. */
export function cellAt(offset: number, columns: number): { row: number; col: number } {
  return { row: Math.floor(offset / columns), col: offset % columns };
}

/**
 * Erase what `prev` drew and draw `prompt` + `line` with the cursor before
 * character `cursor` of the line (characters are code points).
 */
export function redrawSequence(prompt: string, line: string, cursor: number, columns: number, prev: PromptLayout): Redraw {
  const width = Math.max(1, Math.floor(columns));
  const promptLength = [...prompt].length;
  const total = promptLength + [...line].length;
  const target = cellAt(promptLength + Math.max(0, Math.min(cursor, total - promptLength)), width);
  let text = eraseSequence(prev) + prompt + line;
  // After a character in the last column the terminal holds the cursor there
  // (pending wrap) rather than on the next row: a space and a carriage return
  // move it to the start of the next row, where an exact-width line's cursor belongs.
  if (total > 0 && total % width === 0) text += ' \r';
  const end = cellAt(total, width);
  if (end.row > target.row) text += `${CSI}${end.row - target.row}A`;
  if (end.col !== target.col) text += target.col === 0 ? '\r' : `${CSI}${target.col + 1}G`;
  return { text, layout: { cursorRow: target.row } };
}

/**
 * Erase what `prev` drew, draw `prompt` + `line` once more, then `suffix`
 * (such as `^C`), and go to the start of the next row: the line stays on
 * screen and the next prompt begins below it. An exact-width line gets no
 * blank row after it.
 */
export function finishSequence(prompt: string, line: string, prev: PromptLayout, suffix = ''): string {
  return `${eraseSequence(prev)}${prompt}${line}${suffix}\r\n`;
}

/** The prompt line's drawing state: each method returns what to write to the terminal. */
export class PromptDisplay {
  private layout: PromptLayout = NOT_DRAWN;

  constructor(readonly prompt: string) {}

  /** The screen was cleared: nothing of the line is drawn any more. */
  forget(): void {
    this.layout = NOT_DRAWN;
  }

  /** Draw (again) the line with the cursor before character `cursor`, on a terminal `columns` wide. */
  draw(line: string, cursor: number, columns: number): string {
    const r = redrawSequence(this.prompt, line, cursor, columns, this.layout);
    this.layout = r.layout;
    return r.text;
  }

  /** Remove the prompt and line from the screen; the cursor is left where the prompt began. */
  erase(): string {
    const text = eraseSequence(this.layout);
    this.layout = NOT_DRAWN;
    return text;
  }

  /** Leave `line` (and `suffix`) on screen as the finished line; the next draw starts on the row below. */
  finish(line: string, suffix = ''): string {
    const text = finishSequence(this.prompt, line, this.layout, suffix);
    this.layout = NOT_DRAWN;
    return text;
  }
}
