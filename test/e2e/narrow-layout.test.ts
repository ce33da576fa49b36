/**
 * The layout when space is tight (issue 10, item 8): at 1024×700 the toolbar
 * is one row and the terminal at least 60 columns wide, with the story open
 * or not.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('narrow-layout', { viewport: { width: 1024, height: 700 } });
});

afterAll(async () => {
  await app?.stop();
});

/** The toolbar's rows (distinct tops of its visible items), and the terminal's columns. */
function measure(page: Page): Promise<{ rows: number; right: number; cols: number }> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const items = [...doc.querySelector('.toolbar').children].filter((el: any) => el.offsetParent !== null && el.getBoundingClientRect().height > 0);
    const boxes = items.map((el: any) => el.getBoundingClientRect());
    // an item that starts below the first row's lowest top is on a second row
    const firstRowBottom = Math.min(...boxes.map((b: any) => b.bottom));
    const rows = boxes.some((b: any) => b.top >= firstRowBottom) ? 2 : 1;
    const right = Math.max(...boxes.map((b: any) => b.right));
    return { rows, right, cols: (globalThis as any).__corotone.terminal.term.cols as number };
  });
}

it('keeps the toolbar to one row and the terminal 60 columns wide at 1024×700', async () => {
  const { page } = app;
  const closed = await measure(page);
  console.log(`1024×700, story closed: toolbar rows ${closed.rows}, terminal ${closed.cols} columns`);
  expect(closed.rows).toBe(1);
  expect(closed.right).toBeLessThanOrEqual(1024);
  expect(closed.cols).toBeGreaterThanOrEqual(60);
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  await page.locator('#examples').selectOption('countdown.txt');
  await until(page, () => !(globalThis as any).document.getElementById('story').hidden);
  await page.waitForTimeout(300);
  const open = await measure(page);
  console.log(`1024×700, story open: toolbar rows ${open.rows}, terminal ${open.cols} columns`);
  expect(open.rows).toBe(1);
  expect(open.cols).toBeGreaterThanOrEqual(60);
});

it('keeps the legend and the timeline tools off the lanes: below the canvas, not over it', async () => {
  const { page } = app;
  const boxes = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const rect = (selector: string) => {
      const r = doc.querySelector(selector).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    };
    return { canvas: rect('#timeline-canvas'), legend: rect('.legend'), tools: rect('.timeline-tools') };
  });
  expect(boxes.legend.top).toBeGreaterThanOrEqual(boxes.canvas.bottom);
  expect(boxes.tools.top).toBeGreaterThanOrEqual(boxes.canvas.bottom);
});
