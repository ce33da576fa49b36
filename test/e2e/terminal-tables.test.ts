/**
 * What the terminal prints fits its width as a user reads it (issue 18, item
 * 3): output breaks between words, never inside one; the `tasks` table and the
 * Ctrl+/ key table keep their columns in line (a cell too wide is cut with
 * `…`); Tab's candidates are whole names in columns.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { terminalRows } from '../support/e2e/terminal-rows';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('terminal-tables', { viewport: { width: 1024, height: 700 } });
});

afterAll(async () => {
  await app?.stop();
});

/** xterm's rows, each without the spaces after its text. */
const rows = async (page: Page) => (await terminalRows(page)).map((r) => ({ ...r, text: r.text.trimEnd() }));

const cols = (page: Page) => page.evaluate(() => (globalThis as any).__corotone.terminal.term.cols as number);

/** The rows printed after the typed line `line`, up to the next prompt. */
function after(all: { text: string; wrapped: boolean }[], line: string): { text: string; wrapped: boolean }[] {
  const at = all.map((r) => r.text).lastIndexOf(`> ${line}`.trimEnd());
  expect(at).toBeGreaterThanOrEqual(0);
  const rest = all.slice(at + 1);
  const end = rest.findIndex((r) => r.text.startsWith('>'));
  return end < 0 ? rest : rest.slice(0, end);
}

it("lays the tasks table out for the pane: one row per task, no row wrapped by xterm, each column starting where its header does", async () => {
  const { page } = app;
  const width = await cols(page);
  // background tasks whose command is wider than the pane
  let command = 'loop beep C5 0.25';
  while (command.length < width + 10) command += '; wait 0.25';
  await typeLine(page, `${command} &`);
  await typeLine(page, `${command.replace('C5', 'E5')} &`);
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('[t2]'));
  await typeLine(page, 'tasks');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('waits on'));
  await new Promise((r) => setTimeout(r, 300));
  const table = after(await rows(page), 'tasks');
  expect(table.filter((r) => r.wrapped)).toEqual([]);
  const header = table[0].text;
  expect(header).toMatch(/^name\s+id\s+state\s+waits on\s+source\s+command$/);
  const idAt = header.indexOf('id');
  const stateAt = header.indexOf('state');
  const taskRows = table.slice(1).filter((r) => /^t\d|^-/.test(r.text));
  expect(taskRows.length).toBeGreaterThanOrEqual(2);
  for (const r of taskRows) {
    expect(r.text.slice(idAt)).toMatch(/^\d+\s/);
    expect(r.text.slice(stateAt)).toMatch(/^(running|sleeping|waiting|ready|blocking)/);
  }
  for (const r of table) expect(r.text.length).toBeLessThanOrEqual(width);
  await typeLine(page, 'panic');
});

it('prints the key table (Ctrl+/) with its columns in line and its descriptions broken between words', async () => {
  const { page } = app;
  await page.locator('.xterm').click();
  await page.keyboard.press('Control+/');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('keyboard shortcuts:'));
  await new Promise((r) => setTimeout(r, 300));
  const all = await rows(page);
  const table = all.slice(all.map((r) => r.text).lastIndexOf('keyboard shortcuts:') + 1).filter((r) => r.text.trim() !== '' && !r.text.startsWith('>'));
  expect(table.filter((r) => r.wrapped)).toEqual([]);
  // every row names where its keys work, at one column
  const whereAt = table.filter((r) => !r.text.startsWith(' ')).map((r) => r.text.search(/ (anywhere|terminal|timeline|editor) /));
  expect(whereAt.length).toBeGreaterThan(15);
  expect(new Set(whereAt).size).toBe(1);
  // a description's next row continues in the description's column, and no word is cut over rows
  const text = table.map((r) => r.text.trim()).join(' ');
  for (const phrase of ['export audio as WAV', 'record what is heard', 'silence everything at once']) expect(text).toContain(phrase);
});

it('lists Tab’s candidates as whole names, none broken over rows', async () => {
  const { page } = app;
  await page.locator('.xterm').click();
  await page.keyboard.press('Tab');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('offload'));
  await new Promise((r) => setTimeout(r, 300));
  const all = await rows(page);
  // the rows between the line Tab was pressed on and the prompt drawn again below them
  const block = after(all.slice(0, all.map((r) => r.text).lastIndexOf('>')), '');
  expect(block.length).toBeGreaterThan(1);
  expect(block.filter((r) => r.wrapped)).toEqual([]);
  const words = new Set(block.flatMap((r) => r.text.split(/\s+/)));
  for (const name of ['gather', 'cancel', 'offload', 'timeout', 'settle', 'remove']) expect(words.has(name)).toBe(true);
  const width = await cols(page);
  for (const r of block) expect(r.text.length).toBeLessThanOrEqual(width);
  await page.keyboard.press('Control+C');
});
