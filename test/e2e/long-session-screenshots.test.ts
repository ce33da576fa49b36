/**
 * A long session's timeline, at the two sizes the README shows (1440×900 and
 * 1024×700), in the dark theme and then the light one: typed lines, then two
 * lessons played one after the other, the whole session fitted into view,
 * every lane open.
 * Nothing is drawn past now, lanes keep their names, and the pictures go to
 * the test artifacts; COROTONE_UPDATE_SCREENSHOT=1 copies them to resources/.
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
  it('shows a whole session of typed lines and two lessons on the timeline, lane by lane, nothing past now', async () => {
    const app = await startApp(`long-session-${viewport.width}`, { viewport });
    try {
      const { page } = app;
      await page.emulateMedia({ colorScheme: 'dark' });
      await typeLine(page, 'chord 0.4 60 64 67');
      await typeLine(page, 'spawn repeat 6 beep 72 0.2; wait 0.1');
      await until(page, () => (globalThis as any).__corotone.examplesReady);
      for (const lesson of ['cooking-dinner.txt', 'exceptions.txt']) {
        await page.locator('#examples').selectOption(lesson);
        await page.waitForFunction((name) => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === name && l.tasks.length > 3), lesson, {
          timeout: 20_000,
          polling: 50,
        });
        // played to its end: its lane has no task still running
        await page.waitForFunction(
          (name) => {
            const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === name);
            return lane !== undefined && lane.tasks.every((t: any) => t.end != null && !Number.isNaN(t.end));
          },
          lesson,
          { timeout: 60_000, polling: 100 },
        );
      }
      const seen = await page.evaluate(() => {
        const app = (globalThis as any).__corotone;
        app.timeline.setFollow(false);
        // ended lanes fold up; opened again, as a user clicks their names, to show all the session did
        for (const lane of app.model.lanes) if (app.timeline.laneCollapsed(lane)) app.timeline.toggleLane(lane);
        app.timeline.fit(0, app.timelineNow());
        app.timeline.frame(true);
        const lanes = app.model.lanes.map((l: any) => l.name);
        return { lanes, tasks: app.model.lanes.reduce((n: number, l: any) => n + l.tasks.length, 0), now: app.timelineNow() };
      });
      expect(seen.lanes).toEqual(expect.arrayContaining(['terminal', 'cooking-dinner.txt', 'exceptions.txt']));
      expect(seen.tasks).toBeGreaterThan(40);
      expect(seen.now).toBeGreaterThan(10);
      const box = (await page.locator('#timeline-canvas').boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 1);
      for (const theme of ['dark', 'light']) {
        if (theme === 'light') {
          await page.locator('#theme-toggle').click();
          expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme)).toBe('light');
          await page.evaluate(() => (globalThis as any).__corotone.timeline.frame(true));
          await page.waitForTimeout(200);
        }
        const name = `screenshot-long-${viewport.width}x${viewport.height}${theme === 'light' ? '-light' : ''}.png`;
        await page.screenshot({ path: resolve(ARTIFACTS, name) });
        if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, name), resolve(ROOT, 'resources', name));
      }
    } finally {
      await app.stop();
    }
  });
});
