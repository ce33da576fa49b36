/**
 * The code editor pane shows what it holds (issue 18, item 16): the story box
 * ends at a whole line, a lesson's long lines wrap (the Wrap button lets them
 * run on), the shown buffer's tab is in view when the strip overflows, and a
 * lint message stays inside the code, off the Run bar. At 1440×900 and
 * 1024×700, in both themes, with a screenshot of each.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('editor-pane-fit', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

async function checkPane(page: Page, label: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 400));
  // the shown buffer's tab is inside the strip
  const strip = await box(page, '#editor-tabs');
  const tab = await box(page, '#editor-tabs [aria-selected="true"]');
  expect(tab.x, label).toBeGreaterThanOrEqual(strip.x - 1);
  expect(tab.x + tab.width, label).toBeLessThanOrEqual(strip.x + strip.width + 1);
  // the story box, when it scrolls, ends at a whole line
  const story = await page.locator('#story-text').evaluate((el: any) => {
    const lineHeight = parseFloat((globalThis as any).getComputedStyle(el).lineHeight);
    return { overflows: el.scrollHeight > el.clientHeight + 1, lines: el.clientHeight / lineHeight };
  });
  if (story.overflows) expect(Math.abs(story.lines - Math.round(story.lines)), `${label}: story shows ${story.lines} lines`).toBeLessThan(0.1);
  // no code line runs past the right edge
  const code = await page.locator('#editor .cm-scroller').evaluate((el: any) => ({ scroll: el.scrollWidth as number, client: el.clientWidth as number }));
  expect(code.scroll, label).toBeLessThanOrEqual(code.client + 1);
  await page.screenshot({ path: resolve(ARTIFACTS, `editor-pane-${label}.png`) });
}

it('shows the story to a whole line, long lines wrapped, and the shown tab, at both sizes and in both themes', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  const files = await page.locator('#examples option').evaluateAll((els) => els.map((e: any) => e.value as string).filter((v) => v !== ''));
  for (const file of files) {
    await page.selectOption('#examples', file);
    await page.waitForFunction((f) => (globalThis as any).document.querySelector('#editor-tabs [aria-selected="true"]')?.dataset.buffer === f, file);
  }
  for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(size);
    for (const theme of ['first', 'second']) {
      await checkPane(page, `${size.width}x${size.height}-${theme}`);
      await page.keyboard.press('Control+Alt+D');
    }
  }
  // Wrap off: the long lines run on to the right, scrolled
  await page.locator('#editor-wrap').click();
  await new Promise((r) => setTimeout(r, 300));
  const code = await page.locator('#editor .cm-scroller').evaluate((el: any) => ({ scroll: el.scrollWidth as number, client: el.clientWidth as number }));
  expect(code.scroll).toBeGreaterThan(code.client);
  await page.locator('#editor-wrap').click();
});

it('keeps a lint message inside the code, off the Run bar', async () => {
  const { page } = app;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('#editor-tabs [data-buffer="scratch"]').click();
  await page.locator('#editor .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('chrod 1 C4 E4 G4\n');
  const mark = page.locator('#editor .cm-lintRange-error').first();
  await mark.waitFor({ state: 'visible' });
  await mark.hover();
  const tip = page.locator('.cm-tooltip-lint').first();
  await tip.waitFor({ state: 'visible' });
  const t = (await tip.boundingBox())!;
  const host = await box(page, '#editor');
  const actions = await box(page, '.editor-actions');
  expect(t.x).toBeGreaterThanOrEqual(host.x - 1);
  expect(t.x + t.width).toBeLessThanOrEqual(host.x + host.width + 1);
  expect(t.y).toBeGreaterThanOrEqual(actions.y + actions.height);
  await page.screenshot({ path: resolve(ARTIFACTS, 'editor-pane-lint.png') });
});
