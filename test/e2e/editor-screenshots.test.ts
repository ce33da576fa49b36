/**
 * The app with the code editor open, at the two sizes the README shows
 * (1440×900 and 1024×700): a lesson playing with its line lit by the
 * playhead, an error marked in the scratch buffer, after a few typed lines,
 * in the dark theme and then the light one.
 * The pictures go to the test artifacts; COROTONE_UPDATE_SCREENSHOT=1 copies
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
  it('shows the editor beside the terminal and the timeline, its playhead on the lesson’s running line', async () => {
    const app = await startApp(`editor-screenshot-${viewport.width}`, { viewport });
    try {
      const { page } = app;
      // the system's choice, as a dark desktop has it (headless Chromium prefers light)
      await page.emulateMedia({ colorScheme: 'dark' });
      await typeLine(page, 'chord 0.4 60 64 67');
      await typeLine(page, 'help beep');
      await until(page, () => (globalThis as any).__corotone.examplesReady);
      await page.locator('#examples').selectOption('countdown.txt');
      // the playhead lights a line of the lesson while it plays
      await until(page, () => (globalThis as any).document.querySelector('#editor .cm-playhead-playing') !== null, 20_000);
      for (const selector of ['#terminal', '#timeline-canvas', '#editor']) {
        const box = await page.locator(selector).boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.width, selector).toBeGreaterThan(250);
        expect(box!.height, selector).toBeGreaterThan(150);
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(viewport.width + 1);
        expect(box!.y + box!.height, selector).toBeLessThanOrEqual(viewport.height + 1);
      }
      // the terminal keeps 60 columns with the editor open
      expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.term.cols)).toBeGreaterThanOrEqual(60);
      await page.waitForTimeout(1200);
      await page.evaluate(() => {
        const app = (globalThis as any).__corotone;
        app.timeline.setFollow(false);
        app.timeline.fit(0, app.timelineNow() + 0.5);
        app.timeline.frame(true);
      });
      for (const theme of ['dark', 'light']) {
        if (theme !== (await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme ?? 'dark'))) {
          await page.locator('#theme-toggle').click();
          await page.evaluate(() => (globalThis as any).__corotone.timeline.frame(true));
          await page.waitForTimeout(200);
        }
        expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme ?? 'dark')).toBe(theme);
        const name = `screenshot-editor-${viewport.width}x${viewport.height}${theme === 'light' ? '-light' : ''}.png`;
        await page.screenshot({ path: resolve(ARTIFACTS, name) });
        if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, name), resolve(ROOT, 'resources', name));
      }
    } finally {
      await app.stop();
    }
  });
});
