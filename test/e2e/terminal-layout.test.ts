/**
 * The terminal in Chromium as the page around it changes: opening the story
 * panel narrows it, and what it printed before (help's table) is laid out
 * again for the new width instead of re-wrapped by xterm into a garble. And
 * what it prints for panic and settle.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { terminalRows } from '../support/e2e/terminal-rows';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('terminal-layout', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

const rows = terminalRows;

it("opening the story panel lays help's table out again for the narrower terminal, without garbling it", async () => {
  const { page } = app;
  await typeLine(page, 'help');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('settle CMD'));
  const wide = await page.evaluate(() => (globalThis as any).__corotone.terminal.term.cols as number);
  const widest = Math.max(...(await rows(page)).map((r) => r.text.length));
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  const first = await page.locator('#examples option').nth(1).getAttribute('value');
  await page.selectOption('#examples', first!);
  await page.locator('#story').waitFor({ state: 'visible' });
  // the editor pane keeps the terminal at 35% (480 px at least): at 1440 px it loses some 9 columns
  await page.waitForFunction((cols) => (globalThis as any).__corotone.terminal.term.cols < cols, wide);
  const narrow = await page.evaluate(() => (globalThis as any).__corotone.terminal.term.cols as number);
  // help printed rows that no longer fit: left to xterm, they would wrap
  expect(widest).toBeGreaterThan(narrow);
  // Laid out again: no help row is longer than the pane (xterm never had to wrap one), and each usage starts a row.
  const shown = await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('settle CMD'));
  expect(shown).toBe(true);
  const all = await rows(page);
  const help = all.slice(all.findIndex((r) => r.text === '> help'));
  const table = help.slice(1, help.findIndex((r) => r.text.startsWith('▶')) > 0 ? help.findIndex((r) => r.text.startsWith('▶')) : undefined);
  expect(table.length).toBeGreaterThan(10);
  expect(table.filter((r) => r.wrapped)).toEqual([]);
  for (const r of table) expect(r.text.length).toBeLessThanOrEqual(narrow);
  for (const usage of ['gather CMD | CMD | ...', 'settle CMD | CMD | ...', 'repeat N CMD']) {
    expect(table.some((r) => r.text.trimStart().startsWith(usage.split(' ')[0]) && r.text.includes(usage.split(' ')[1]))).toBe(true);
  }
  await page.locator('#story-close').click();
  await page.locator('#story-stop').evaluate((b) => (b as { click(): void }).click());
});

it('Shift+Esc says in the terminal what panic stopped', async () => {
  const { page } = app;
  await typeLine(page, 'chord 30 60 64');
  await until(page, () => (globalThis as any).__corotone.model.activeNotes.includes(64));
  await page.keyboard.press('Shift+Escape');
  await until(page, () => /panic \(Shift\+Esc\): stopped \d+ tasks?, silenced 60 64/.test((globalThis as any).__corotone.terminal.screenText()));
  await until(page, () => (globalThis as any).__corotone.model.activeNotes.length === 0);
});

it('settle says when each part ended, from its start, in readable units', async () => {
  const { page } = app;
  await typeLine(page, 'settle beep 60 0.25 | wait 1.5 | fail nope');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('settle: 2 done, 1 failed'));
  const text = await terminalText(page);
  expect(text).toMatch(/1\. done +after 250 ms +beep 60 0\.25/);
  expect(text).toMatch(/2\. done +after 1\.5 s +wait 1\.5/);
  expect(text).toMatch(/3\. failed +after 0 s +fail nope/);
  expect(text).not.toMatch(/\d\.\d{4,}/);
});
