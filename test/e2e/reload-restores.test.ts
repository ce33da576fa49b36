/**
 * A reload brings back what the page showed (issue 18, item 4): the lines
 * typed in the terminal, each above what it printed, and every lesson tab that
 * was open, not only the one the host plays, with the edits made in it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, terminalText, typeLine, until, waitForApp, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('reload-restores', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

const tabs = () => app.page.locator('#editor-tabs [data-buffer]').evaluateAll((els) => els.map((e) => (e as any).dataset.buffer as string));

it('shows the typed lines above their output, and every open lesson tab, after a reload', async () => {
  const { page } = app;
  await typeLine(page, 'help wait');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('example: wait'));
  await typeLine(page, 'beep 62 0.1');
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  const files = await page.locator('#examples option').evaluateAll((els) => els.map((e) => (e as any).value as string).filter((v) => v !== ''));
  expect(files.length).toBeGreaterThanOrEqual(3);
  const opened = files.slice(0, 3);
  for (const file of opened) {
    await page.selectOption('#examples', file);
    await page.waitForFunction((f) => (globalThis as any).document.querySelector(`#editor-tabs [aria-selected="true"]`)?.dataset.buffer === f, file);
  }
  expect(await tabs()).toEqual(expect.arrayContaining(opened));

  await page.reload();
  await waitForApp(page);
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('example: wait'));
  const lines = (await terminalText(page)).split('\n').map((l) => l.trimEnd());
  const help = lines.indexOf('> help wait');
  expect(help).toBeGreaterThanOrEqual(0);
  expect(lines[help + 1]).toMatch(/^wait S/);
  expect(lines).toContain('> beep 62 0.1');
  expect(lines.indexOf('> beep 62 0.1')).toBeGreaterThan(help);
  // every lesson tab is back, the one the host plays shown
  await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#editor-tabs [data-buffer]').length >= n, opened.length + 1);
  expect(await tabs()).toEqual(expect.arrayContaining(opened));
  expect(await page.locator('#editor-tabs [aria-selected="true"]').getAttribute('data-buffer')).toBe(opened[2]);
});

it('keeps an edit made in a lesson tab across a reload: the tab shows the edited text, and Reset brings the lesson back', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  await page.selectOption('#examples', 'countdown.txt');
  await page.waitForFunction(() => (globalThis as any).document.querySelector('#editor-tabs [aria-selected="true"]')?.dataset.buffer === 'countdown.txt');
  const original = await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text as string);
  await page.locator('#editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nbeep 84 0.1   # my own ending');
  const edited = await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text as string);
  expect(edited).toContain('# my own ending');

  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('#editor-tabs [data-buffer]')].some((e: any) => e.dataset.buffer === 'countdown.txt'));
  await page.locator('#editor-tabs [data-buffer="countdown.txt"]').click();
  await page.waitForFunction(() => (globalThis as any).document.querySelector('#editor-tabs [aria-selected="true"]')?.dataset.buffer === 'countdown.txt');
  expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text as string)).toBe(edited);
  await page.locator('#story-reset').click();
  expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text as string)).toBe(original);
});
