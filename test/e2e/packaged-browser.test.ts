/**
 * The fallback for a machine without Chromium, tried on every run (even where
 * Debian's exists): the headless Chromium that @sparticuz/chromium ships,
 * unpacked from the package (nothing downloaded), runs the app and its audio.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('packaged-browser', { browser: 'sparticuz' });
});

afterAll(async () => {
  await app?.stop();
});

it('runs the app in the Chromium the npm package ships', async () => {
  const { page, browser } = app;
  expect(browser.version()).toMatch(/^\d+\./);
  await typeLine(page, 'beep 64 0.05');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 64 && !Number.isNaN(b.end)));
  expect(await terminalText(page)).toContain('beep 64 0.05');
  // Its AudioContext runs (autoplay allowed, as for the system's Chromium).
  expect(await until(page, () => (globalThis as any).__corotone.audio.state === 'running')).toBe(true);
  expect(app.log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
});
