/**
 * Browsers start audio only after a user gesture: until then the page says so,
 * and the first click (or key) starts it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('gesture', { autoplay: false });
});

afterAll(async () => {
  await app?.stop();
});

it('says audio is off until the first gesture, which starts it', async () => {
  const { page } = app;
  expect(await page.locator('#audio-banner').isVisible()).toBe(true);
  expect(await page.locator('#st-audio').innerText()).toBe('suspended');
  // a note played before the gesture is not heard late: it sounds once audio starts
  await page.evaluate(() => (globalThis as any).__corotone.submit('add 60'));
  await until(page, () => (globalThis as any).__corotone.model.activeNotes.includes(60));
  await page.locator('.timeline-pane').click({ position: { x: 200, y: 400 } });
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  expect(await page.locator('#audio-banner').isVisible()).toBe(false);
  await until(page, () => (globalThis as any).document.getElementById('st-audio').textContent === 'running');
  expect(await page.evaluate(() => [...(globalThis as any).__corotone.audio.sounding])).toEqual([60]);
  await page.evaluate(() => (globalThis as any).__corotone.submit('remove 60'));
  await until(page, () => (globalThis as any).__corotone.audio.sounding.length === 0);
});
