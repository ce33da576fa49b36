/**
 * Show as Python (issue 12), in Chromium against web mode: the editor's
 * Python button opens the shown buffer's program as a read-only tab NAME.py,
 * lists the translator's warnings above it, and downloads the .py file.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openScript, startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('show-python', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

const shownText = (page: Page): Promise<string> => page.evaluate(() => (globalThis as any).__corotone.editor.editor.text as string);
const selectedTab = (page: Page): Promise<string> => page.locator('#editor-tabs .editor-tab[aria-selected="true"]').innerText();

/** Click the download link as a user; the file's name and text. */
async function downloadLinked(page: Page): Promise<{ name: string; text: string }> {
  const downloading = page.waitForEvent('download');
  await page.locator('#python-download').click();
  const download = await downloading;
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

describe('Show as Python', () => {
  it("opens a lesson's program as a read-only tab NAME.py whose download is the code shown", async () => {
    const { page } = app;
    await until(page, () => (globalThis as any).__corotone.examplesReady);
    await page.locator('#examples').selectOption('countdown.txt');
    await expect.poll(() => selectedTab(page)).toBe('countdown.txt');
    if (!(await page.locator('#story').isVisible())) await page.keyboard.press('Control+Shift+L');
    await page.locator('#story-stop').click();
    await page.locator('#editor-python').click();
    await expect.poll(() => selectedTab(page)).toBe('countdown.py');
    expect(await page.locator('#editor-tabs .editor-tab').allInnerTexts()).toEqual(['scratch', 'countdown.txt', 'countdown.py']);
    const code = await shownText(page);
    expect(code).toContain('import asyncio');
    expect(code).toMatch(/^async def countdown_a\(\):/m);
    expect(await page.locator('#python-about').isVisible()).toBe(true);
    expect(await page.locator('#story-about').isVisible()).toBe(false);
    expect(await page.locator('#python-download').innerText()).toBe('Download countdown.py');
    expect(await downloadLinked(page)).toEqual({ name: 'countdown.py', text: code });
    await page.screenshot({ path: resolve(ARTIFACTS, 'show-python-1440x900.png') });
    // read-only: typing changes nothing
    await page.locator('#editor .cm-content').click();
    await page.keyboard.type('xyz');
    expect(await shownText(page)).toBe(code);
    // back on the lesson, the story shows again and the Python part does not
    await page.locator('#editor-tabs .editor-tab', { hasText: 'countdown.txt' }).click();
    expect(await page.locator('#python-about').isVisible()).toBe(false);
    expect(await page.locator('#story-about').isVisible()).toBe(true);
  });

  it("lists a `# NOT EXPORTED` line's warning at its place, and Ctrl+Alt+P downloads what is shown", async () => {
    const { page } = app;
    await openScript(page, 'asks.txt', 'beep C5 0.25\nhelp\nbeep E5 0.25\n');
    await expect.poll(() => page.locator('#editor-tabs .editor-tab', { hasText: 'asks.txt' }).count()).toBe(1);
    await page.locator('#editor-tabs .editor-tab', { hasText: 'asks.txt' }).click();
    await page.keyboard.press('Control+Alt+P');
    await expect.poll(() => selectedTab(page)).toBe('asks.py');
    const code = await shownText(page);
    expect(code).toMatch(/^\s*# NOT EXPORTED \(corotone: help\)/m);
    const warnings = await page.locator('#python-warnings .python-warning').allInnerTexts();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^asks\.txt:2:1: not exported: "help"/);
    expect(await downloadLinked(page)).toEqual({ name: 'asks.py', text: code });
    expect(app.log.filter((line) => /error/i.test(line))).toEqual([]);
  });
});
