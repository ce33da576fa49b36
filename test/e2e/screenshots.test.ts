/**
 * The app at the two sizes the README shows (1440×900 and 1024×700): a lesson
 * playing with its story open beside the timeline, after a few typed lines,
 * in the dark theme and then the light one.
 * Each picture goes to the test artifacts; COROTONE_UPDATE_SCREENSHOT=1 copies
 * them to resources/ for the README.
 */
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, startApp, typeLine, until } from '../support/e2e/harness';

describe.each([
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
])('at $width×$height', (viewport) => {
  it('shows the terminal, the timeline and the story, none of them narrow or cut off', async () => {
    const app = await startApp(`screenshot-${viewport.width}`, { viewport });
    try {
      const { page } = app;
      // the system's choice, as a dark desktop has it (headless Chromium prefers light)
      await page.emulateMedia({ colorScheme: 'dark' });
      await typeLine(page, 'chord 0.4 60 64 67');
      await typeLine(page, 'spawn beep 72 0.3');
      await until(page, () => (globalThis as any).__corotone.examplesReady);
      await page.locator('#examples').selectOption('exceptions.txt');
      await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'exceptions.txt' && l.tasks.length > 3), 20_000);
      await page.waitForTimeout(2500);
      await page.evaluate(() => {
        const app = (globalThis as any).__corotone;
        app.timeline.setFollow(false);
        app.timeline.fit(0, app.timelineNow() + 0.5);
        app.timeline.frame(true);
      });
      for (const selector of ['#terminal', '#timeline-canvas', '#story']) {
        const box = await page.locator(selector).boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.width, selector).toBeGreaterThan(150);
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(viewport.width + 1);
      }
      // both themes: dark, then the light one (the toolbar's toggle)
      for (const theme of ['dark', 'light']) {
        if (theme === 'light') {
          await page.locator('#theme-toggle').click();
          expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme)).toBe('light');
          await page.evaluate(() => (globalThis as any).__corotone.timeline.frame(true));
          await page.waitForTimeout(200);
        }
        const name = `screenshot-${viewport.width}x${viewport.height}${theme === 'light' ? '-light' : ''}.png`;
        await page.screenshot({ path: resolve(ARTIFACTS, name) });
        if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, name), resolve(ROOT, 'resources', name));
      }
    } finally {
      await app.stop();
    }
  });
});
