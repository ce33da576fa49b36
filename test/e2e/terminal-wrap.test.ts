/**
 * A line longer than the terminal pane is wide, edited in Chromium: it wraps
 * over rows with the prompt shown once, and it runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('terminal-wrap', { viewport: { width: 1100, height: 760 } });
});

afterAll(async () => {
  await app?.stop();
});

/** The terminal's lines as xterm holds them, rows it wrapped joined back into one (empty rows at the end dropped); and the cursor. */
function screen(page: Page): Promise<{ lines: string[]; cols: number; cursor: { line: number; col: number } }> {
  return page.evaluate(() => {
    const term = (globalThis as any).__corotone.terminal.term;
    const buffer = term.buffer.active;
    const lines: string[] = [];
    let cursorLine = -1;
    let cursorCol = -1;
    for (let i = 0; i < buffer.length; i++) {
      const row = buffer.getLine(i);
      const wrapped = row.isWrapped && lines.length > 0;
      const offset = wrapped ? lines[lines.length - 1].length : 0;
      const text = row.translateToString(false);
      if (wrapped) lines[lines.length - 1] += text;
      else lines.push(text);
      if (i === buffer.baseY + buffer.cursorY) {
        cursorLine = lines.length - 1;
        cursorCol = offset + buffer.cursorX;
      }
    }
    const trimmed = lines.map((l) => l.trimEnd());
    // the screen's empty rows below
    while (trimmed.length > cursorLine + 1 && trimmed[trimmed.length - 1] === '') trimmed.pop();
    return { lines: trimmed, cols: term.cols as number, cursor: { line: cursorLine, col: cursorCol } };
  });
}

const PROMPT = '> ';

type Screen = Awaited<ReturnType<typeof screen>>;

/** The screen once xterm has drawn what it was sent (writes are processed after the key is handled): polled until `ready`, or as it is after 5 s. */
async function settled(page: Page, ready: (s: Screen) => boolean): Promise<Screen> {
  let s = await screen(page);
  for (let i = 0; i < 100 && !ready(s); i++) {
    await new Promise((r) => setTimeout(r, 50));
    s = await screen(page);
  }
  return s;
}

const promptLines = (s: Screen) => s.lines.filter((l) => l.startsWith(PROMPT));
/** The cursor's place in the joined lines when it is before character `index` of `line`. */
const cursorIn = (s: Screen, line: string, index: number) => ({ line: s.lines.indexOf(PROMPT + line), col: PROMPT.length + index });

it('edits a line three times the pane width: the prompt once, the line once, and it runs', async () => {
  const { page } = app;
  const { cols } = await screen(page);
  let line = 'eval';
  while (line.length < 3 * cols) line += ' wait 0.01;';
  line += ' beep 71 0.05';
  // typed with a stray character in the middle, deleted after moving there
  const middle = Math.floor(line.length / 2);
  const typed = `${line.slice(0, middle)}#${line.slice(middle)}`;
  await page.locator('.xterm').click();
  await page.keyboard.type(typed);
  await page.keyboard.press('Home');
  let shown = await settled(page, (s) => s.cursor.col === PROMPT.length);
  expect(promptLines(shown)).toEqual([PROMPT + typed]);
  expect(shown.cursor).toEqual(cursorIn(shown, typed, 0));
  for (let i = 0; i < middle; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Delete');
  await page.keyboard.press('End');
  expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe(line);
  shown = await settled(page, (s) => s.cursor.col === PROMPT.length + line.length);
  expect(promptLines(shown)).toEqual([PROMPT + line]);
  // the cursor after the last character (xterm's row and column for it, read back as an offset in the joined line)
  expect(shown.cursor).toEqual(cursorIn(shown, line, line.length));

  await page.keyboard.press('Enter');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 71));
  shown = await screen(page);
  expect(shown.lines.filter((l) => l.includes('wait 0.01'))).toEqual([PROMPT + line]);
  expect(shown.lines.filter((l) => l.startsWith('>'))).toEqual([PROMPT + line, '>']);
  expect(shown.lines.join('\n')).not.toMatch(/error/);
});

it('lays the line being edited out again when the pane changes width', async () => {
  const { page } = app;
  const before = await screen(page);
  const finished = before.lines.filter((l) => l.startsWith(`${PROMPT}eval`));
  let line = 'eval';
  while (line.length < 2 * before.cols) line += ' wait 0.01;';
  line += ' beep 73 0.05';
  await page.keyboard.type(line);
  await page.keyboard.press('Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await until(page, () => (globalThis as any).__corotone.terminal.editor.cursorIndex === 3);
  await page.setViewportSize({ width: 760, height: 760 });
  await page.waitForFunction((cols) => (globalThis as any).__corotone.terminal.term.cols < cols, before.cols);
  // the line is erased at the old width, then drawn again at the new one
  const expected = [...finished, PROMPT + line];
  let shown = await settled(page, (s) => JSON.stringify(promptLines(s)) === JSON.stringify(expected) && s.cursor.col === PROMPT.length + 3);
  expect(shown.cols).toBeLessThan(before.cols);
  expect(promptLines(shown)).toEqual(expected);
  expect(shown.cursor).toEqual(cursorIn(shown, line, 3));
  // editing goes on at the new width
  await page.keyboard.press('End');
  await page.keyboard.type('X');
  await page.keyboard.press('Backspace');
  shown = await settled(page, (s) => s.cursor.col === PROMPT.length + line.length && promptLines(s).length === expected.length);
  expect(promptLines(shown)).toEqual(expected);
  expect(shown.cursor).toEqual(cursorIn(shown, line, line.length));
  await page.keyboard.press('Enter');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 73));
});

it('prints a note above a wrapped line being edited, and Ctrl+L clears the screen to that line alone', async () => {
  const { page } = app;
  const { cols } = await screen(page);
  let line = 'eval';
  while (line.length < 2 * cols + 5) line += ' wait 0.01;';
  await page.keyboard.type(line);
  await page.keyboard.press('Home');
  await page.evaluate(() => (globalThis as any).__corotone.terminal.notice('a note while typing'));
  let shown = await settled(page, (s) => s.lines.includes('a note while typing') && s.cursor.col === PROMPT.length);
  const note = shown.lines.lastIndexOf('a note while typing');
  expect(shown.lines.slice(note)).toEqual(['a note while typing', PROMPT + line]);
  expect(shown.cursor).toEqual(cursorIn(shown, line, 0));
  await page.keyboard.press('Control+L');
  shown = await settled(page, (s) => !s.lines.includes('a note while typing') && s.lines.includes(PROMPT + line));
  expect(shown.lines.filter((l) => l !== '')).toEqual([PROMPT + line]);
  expect(shown.cursor).toEqual(cursorIn(shown, line, 0));
  await page.keyboard.press('Control+C');
  await until(page, () => (globalThis as any).__corotone.terminal.editor.line === '');
});
