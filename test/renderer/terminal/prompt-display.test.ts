/**
 * The prompt line wider than the terminal: what the screen shows and where the
 * cursor is after each edit, on a virtual screen that applies the escape
 * sequences the display writes (auto-wrap held at the last column, as xterm does).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineEditor, PROMPT, memoryHistory } from '../../../src/renderer/terminal/line-editor';
import { PromptDisplay } from '../../../src/renderer/terminal/prompt-display';
import { VirtualScreen } from '../../support/renderer/virtual-screen';

const LEFT = '\x1b[D', RIGHT = '\x1b[C', UP = '\x1b[A', DOWN = '\x1b[B', HOME = '\x1b[H', END = '\x1b[F', DEL = '\x1b[3~', BS = '\x7f';
const NAMES = ['add', 'remove', 'chord', 'beep', 'wait', 'eval', 'exit'];

/** The terminal pane's wiring (terminal.ts) around a virtual screen. */
function pane(columns: number, rows = 24, before: string[] = ['out']) {
  const screen = new VirtualScreen(columns, rows);
  for (const line of before) screen.write(`${line}\r\n`);
  const editor = new LineEditor(memoryHistory(), () => NAMES);
  const display = new PromptDisplay(PROMPT);
  const draw = () => screen.write(display.draw(editor.line, editor.cursorIndex, screen.columns));
  draw();
  return {
    screen,
    editor,
    keys(...keys: string[]) {
      for (const k of keys) {
        const parts = k.startsWith('\x1b') || k.length === 1 ? [k] : [...k];
        for (const part of parts) {
          for (const a of editor.feed(part)) {
            if (a.type === 'submit') screen.write(display.finish(a.line));
            if (a.type === 'cancel') screen.write(display.finish(a.line, '^C'));
            if (a.type === 'candidates') screen.write(`${display.finish(editor.line)}${a.names.join('  ')}\r\n`);
          }
          draw();
        }
      }
    },
    print(text: string) {
      screen.write(`${display.erase()}${text}\r\n${display.draw(editor.line, editor.cursorIndex, screen.columns)}`);
    },
    resize(columns: number) {
      screen.write(display.erase());
      screen.resize(columns);
      draw();
    },
  };
}

/** `text` cut into rows of `columns` (the independent model of what wrapping shows). */
function rows(text: string, columns: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += columns) out.push(text.slice(i, i + columns));
  return out.length === 0 ? [''] : out;
}

/** What VirtualScreen.lines shows of these rows: trailing blanks trimmed, trailing empty rows dropped. */
function shownAs(lines: string[]): string[] {
  const out = lines.map((l) => l.trimEnd());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

describe('a prompt line longer than the terminal is wide', () => {
  it('wraps over rows with the prompt shown once, the cursor after the last character', () => {
    const p = pane(10);
    p.keys('abcdefghijklmnop');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'ijklmnop']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 8 });
    p.keys('qrstuvwxyz');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'ijklmnopqr', 'stuvwxyz']);
    expect(p.screen.cursor).toEqual({ row: 3, col: 8 });
  });

  it('puts the cursor at the start of the next row when the line fills the row exactly', () => {
    const p = pane(10);
    p.keys('abcdefgh');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 0 });
    p.keys(BS);
    expect(p.screen.lines()).toEqual(['out', '> abcdefg']);
    expect(p.screen.cursor).toEqual({ row: 1, col: 9 });
    p.keys('hi');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'i']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 1 });
    p.keys(BS);
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 0 });
    // two whole rows
    p.keys('0123456789');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', '0123456789']);
    expect(p.screen.cursor).toEqual({ row: 3, col: 0 });
  });

  it('moves left, right, home and end across row boundaries', () => {
    const p = pane(10);
    p.keys('abcdefghij'); // the prompt and 8 letters fill row 1; i, j on row 2
    p.keys(LEFT, LEFT);
    expect(p.screen.cursor).toEqual({ row: 2, col: 0 });
    p.keys(LEFT);
    expect(p.screen.cursor).toEqual({ row: 1, col: 9 });
    p.keys(RIGHT);
    expect(p.screen.cursor).toEqual({ row: 2, col: 0 });
    p.keys(HOME);
    expect(p.screen.cursor).toEqual({ row: 1, col: 2 });
    p.keys(END);
    expect(p.screen.cursor).toEqual({ row: 2, col: 2 });
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'ij']);
  });

  it('inserts and deletes in the middle, reflowing the rows after', () => {
    const p = pane(10);
    p.keys('abcdefghijklmnop', HOME, RIGHT, RIGHT, RIGHT, DEL);
    expect(p.editor.line).toBe('abcefghijklmnop');
    expect(p.screen.lines()).toEqual(['out', '> abcefghi', 'jklmnop']);
    expect(p.screen.cursor).toEqual({ row: 1, col: 5 });
    p.keys('XY');
    expect(p.screen.lines()).toEqual(['out', '> abcXYefg', 'hijklmnop']);
    expect(p.screen.cursor).toEqual({ row: 1, col: 7 });
    p.keys(END, LEFT, LEFT, LEFT, LEFT, BS);
    expect(p.screen.lines()).toEqual(['out', '> abcXYefg', 'hijkmnop']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 4 });
  });

  it('recalls history lines of other lengths in place, the prompt once', () => {
    const p = pane(10);
    const long = 'eval wait 0.01; wait 0.01; wait 0.01';
    p.keys(long, '\r', 'add 60', '\r', 'ch');
    const finished = [...rows(`> ${long}`, 10), '> add 60'];
    p.keys(UP, UP);
    expect(p.screen.lines()).toEqual(['out', ...finished, ...rows(`> ${long}`, 10)]);
    expect(p.screen.cursor).toEqual({ row: 1 + finished.length + 3, col: 8 });
    p.keys(DOWN);
    expect(p.screen.lines()).toEqual(['out', ...finished, '> add 60']);
    expect(p.screen.cursor).toEqual({ row: 1 + finished.length, col: 8 });
    p.keys(DOWN);
    expect(p.screen.lines()).toEqual(['out', ...finished, '> ch']);
  });

  it('leaves a submitted exact-width line with no blank row after it', () => {
    const p = pane(10);
    p.keys('abcdefghijklmnopqr', HOME, '\r');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'ijklmnopqr', '>']);
    expect(p.screen.cursor).toEqual({ row: 3, col: 2 });
  });

  it('Ctrl+C in the middle of a wrapped line shows ^C after all of it and a new prompt', () => {
    const p = pane(10);
    p.keys('abcdefghijklmnop', HOME, RIGHT, '\x03');
    expect(p.screen.lines()).toEqual(['out', '> abcdefgh', 'ijklmnop^C', '>']);
    expect(p.screen.cursor).toEqual({ row: 3, col: 2 });
  });

  it('Tab completion that makes the line wrap, and its candidates', () => {
    const p = pane(12);
    p.keys('eval add 60; ch', '\t');
    expect(p.editor.line).toBe('eval add 60; chord ');
    expect(p.screen.lines()).toEqual(['out', '> eval add 6', '0; chord']);
    expect(p.screen.cursor).toEqual({ row: 2, col: 9 });
    // several candidates: listed below the line, which is drawn again after them (here filling its rows exactly)
    p.keys('; e', '\t');
    expect(p.screen.lines()).toEqual(['out', '> eval add 6', '0; chord ; e', 'eval  exit', '> eval add 6', '0; chord ; e']);
    expect(p.screen.cursor).toEqual({ row: 6, col: 0 });
  });

  it('prints output above the whole wrapped line and draws it again below', () => {
    const p = pane(10);
    p.keys('abcdefghijklmnopqrstuvwxyz', LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT);
    p.print('note 1');
    p.print('an error');
    expect(p.screen.lines()).toEqual(['out', 'note 1', 'an error', '> abcdefgh', 'ijklmnopqr', 'stuvwxyz']);
    expect(p.screen.cursor).toEqual({ row: 4, col: 8 });
  });

  it('scrolls the screen when the wrapped line reaches the bottom', () => {
    const p = pane(10, 4, ['one', 'two']);
    p.keys('abcdefghijklmnopqrstuvwxyz', HOME, 'X');
    expect(p.screen.allLines()).toEqual(['one', 'two', '> Xabcdefg', 'hijklmnopq', 'rstuvwxyz']);
    expect(p.screen.scrollback).toEqual(['one']);
    expect(p.screen.cursor).toEqual({ row: 1, col: 3 });
  });

  it('lays the line out again for a new width', () => {
    const p = pane(20);
    const line = 'eval wait 0.01; wait 0.01; wait 0.01';
    p.keys(line, HOME, RIGHT);
    expect(p.screen.lines()).toEqual(['out', ...rows(`> ${line}`, 20)]);
    p.resize(8);
    expect(p.screen.lines()).toEqual(['out', ...rows(`> ${line}`, 8)]);
    expect(p.screen.cursor).toEqual({ row: 1, col: 3 });
    p.resize(60);
    expect(p.screen.lines()).toEqual(['out', `> ${line}`]);
    p.keys(END);
    expect(p.screen.cursor).toEqual({ row: 1, col: line.length + 2 });
  });

  it('any edits at any width: the screen shows what was finished and the line, the cursor at its place', () => {
    const key = fc.oneof(
      fc.constantFrom(LEFT, RIGHT, HOME, END, BS, DEL, UP, DOWN, '\r', '\x03'),
      fc.constantFrom('a', 'b', 'x', ' ', ';', '0'),
      fc.string({ minLength: 5, maxLength: 14, unit: fc.constantFrom('q', 'w', ' ') }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 25 }), fc.array(key, { maxLength: 30 }), (columns, keys) => {
        const p = pane(columns, 200);
        const shown = ['out'];
        for (const k of keys) {
          const before = p.editor.line;
          p.keys(k);
          if (k === '\r') shown.push(...rows(`> ${before}`, columns));
          if (k === '\x03') shown.push(...rows(`> ${before}^C`, columns));
          const offset = PROMPT.length + p.editor.cursorIndex;
          expect(p.screen.lines()).toEqual(shownAs([...shown, ...rows(`> ${p.editor.line}`, columns)]));
          expect(p.screen.cursor).toEqual({ row: shown.length + Math.floor(offset / columns), col: offset % columns });
        }
      }),
      { numRuns: 300 },
    );
  });
});
