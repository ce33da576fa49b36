/**
 * The inspector at the two sizes the README shows (1440×900 and 1024×700), in
 * the dark theme and then the light one: paused a few steps into a script
 * whose tasks wait on each other, with the editor open on it (each task's
 * command lit and named). Nothing of the strip is cut off or covers the lanes.
 * Each picture goes to the test artifacts; COROTONE_UPDATE_SCREENSHOT=1 copies
 * them to resources/ for the README.
 */
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, openScript, startApp, until } from '../support/e2e/harness';

const SCRIPT = [
  '# the inspector: several tasks, some awaiting others',
  'beep 60 2 &',
  'beep 64 1 &',
  'wait 1; sync go; beep 72 1 &',
  'wait 0.5; cue go',
  'race beep 67 1 | beep 71 1',
  '',
].join('\n');

describe.each([
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
])('at $width×$height', (viewport) => {
  it('shows the inspector under the lanes, its lists and the step buttons whole', async () => {
    const app = await startApp(`inspector-shot-${viewport.width}`, { viewport });
    try {
      const { page } = app;
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('#pause').click();
      await until(page, () => !(globalThis as any).document.getElementById('inspector').hidden);
      await openScript(page, 'inspect.txt', SCRIPT);
      await until(page, () => (globalThis as any).document.querySelectorAll('#inspector-ready .inspector-task').length === 1);
      await page.keyboard.press('Control+Alt+3');
      await page.locator('#editor-tabs [data-buffer="inspect.txt"]').click();
      for (let i = 0; i < 9; i++) {
        await page.evaluate(() => ((globalThis as any).document.getElementById('inspector-said').textContent = ''));
        await page.locator('#step').click();
        await until(page, () => (globalThis as any).document.getElementById('inspector-said').textContent !== '');
      }
      // Two instants on, so the bars have length: to the cue, then to the sync's wake.
      for (let i = 0; i < 2; i++) {
        await page.evaluate(() => ((globalThis as any).document.getElementById('inspector-said').textContent = ''));
        await page.locator('#step-instant').click();
        await until(page, () => (globalThis as any).document.getElementById('inspector-said').textContent !== '');
      }
      await until(page, () => (globalThis as any).document.querySelectorAll('#editor .cm-task-label').length > 1);
      await page.evaluate(() => {
        const app = (globalThis as any).__corotone;
        app.timeline.setFollow(false);
        app.timeline.fit(0, app.timelineNow() + 2);
        app.timeline.frame(true);
      });
      // The strip and its buttons are inside the timeline pane, under the lanes.
      const strip = (await page.locator('#inspector').boundingBox())!;
      const canvas = (await page.locator('#timeline-canvas').boundingBox())!;
      expect(strip.y).toBeGreaterThanOrEqual(canvas.y + canvas.height - 1);
      expect(canvas.height).toBeGreaterThan(150);
      for (const selector of ['#step', '#step-instant', '#step-line', '#inspector-said']) {
        const box = (await page.locator(selector).boundingBox())!;
        expect(box.x + box.width, selector).toBeLessThanOrEqual(strip.x + strip.width + 1);
        expect(box.y + box.height, selector).toBeLessThanOrEqual(strip.y + strip.height);
      }
      // Paused, the status bar's longer clock still leaves every control of the bar whole in the window.
      for (const selector of ['#st-clock', '#midi-out', '#app-sound', '#osc-target']) {
        const box = (await page.locator(selector).boundingBox())!;
        expect(box.x + box.width, selector).toBeLessThanOrEqual(viewport.width);
      }
      for (const theme of ['dark', 'light']) {
        if (theme === 'light') {
          await page.locator('#theme-toggle').click();
          await page.evaluate(() => (globalThis as any).__corotone.timeline.frame(true));
          await page.waitForTimeout(200);
        }
        const name = `screenshot-inspector-${viewport.width}x${viewport.height}${theme === 'light' ? '-light' : ''}.png`;
        await page.screenshot({ path: resolve(ARTIFACTS, name) });
        if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, name), resolve(ROOT, 'resources', name));
      }
    } finally {
      await app.stop();
    }
  });
});
