/**
 * Pause and continue in Chromium: the toolbar's Pause stops the timeline's
 * now-cursor and releases every voice of the page's player, the status bar
 * says "paused at t = …"; Space (with the timeline focused) continues, the
 * held note sounds again, and the notes played after it are not late.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('pause');
});

afterAll(async () => {
  await app?.stop();
});

const timelineNow = () => app.page.evaluate(() => (globalThis as any).__corotone.timelineNow() as number);
const held = () => app.page.evaluate(() => (globalThis as any).__corotone.audio.voiceCount.held as number);

it('Pause stops the cursor and the sound; Space continues with nothing late', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  await openScript(page, 'tune.txt', 'add 60\n' + 'beep 67 0.25\nbeep 72 0.25\n'.repeat(40));
  await until(page, () => (globalThis as any).__corotone.audio.sounding.includes(60));
  await page.waitForTimeout(300);

  await page.locator('#pause').click();
  await until(page, () => (globalThis as any).document.getElementById('st-clock').innerText.startsWith('paused at t ='));
  expect(await page.locator('#pause').getAttribute('aria-label')).toBe('Continue');
  // No voice sounds in the page's player while paused.
  await until(page, () => (globalThis as any).__corotone.audio.voiceCount.held === 0);
  expect(await page.evaluate(() => [...(globalThis as any).__corotone.audio.sounding])).toEqual([]);
  const stopped = await timelineNow();
  await page.waitForTimeout(600);
  expect(await timelineNow()).toBe(stopped);
  expect(await held()).toBe(0);
  const shown = await page.locator('#st-clock').innerText();
  expect(shown).toMatch(/^paused at t = \d+\.\d\d s$/);
  // The timeline's cursor says so too.
  await until(page, () => (globalThis as any).__corotone.timeline.drawnPausedLabel !== null);
  expect(await page.evaluate(() => (globalThis as any).__corotone.timeline.drawnPausedLabel)).toBe(shown);
  // Nothing is drawn past the paused cursor: the model's latest event is not after it.
  expect(await page.evaluate(() => (globalThis as any).__corotone.model.latest as number)).toBeLessThanOrEqual(stopped + 1e-9);

  const lateBefore = await page.evaluate(() => (globalThis as any).__corotone.audio.lateCount as number);
  const changesBefore = await page.evaluate(() => (globalThis as any).__corotone.audio.playedChanges.length as number);
  await page.keyboard.press('Control+Alt+2');
  await page.keyboard.press('Space');
  await until(page, () => /^t \d/.test((globalThis as any).document.getElementById('st-clock').innerText));
  expect(await page.locator('#pause').getAttribute('aria-label')).toBe('Pause');
  await until(page, () => (globalThis as any).__corotone.timeline.drawnPausedLabel === null);
  // The note still held sounds again, and time goes on from where it stood.
  await until(page, () => (globalThis as any).__corotone.audio.sounding.includes(60));
  await page.waitForTimeout(800);
  expect(await timelineNow()).toBeGreaterThan(stopped);
  const after = await page.evaluate(
    (from) => ((globalThis as any).__corotone.audio.playedChanges as { t: number; late: boolean; notes: number[] }[]).slice(from).filter((c) => !Number.isNaN(c.t)),
    changesBefore,
  );
  expect(after.length).toBeGreaterThan(3);
  expect(after.filter((c) => c.late)).toEqual([]);
  expect(await page.evaluate(() => (globalThis as any).__corotone.audio.lateCount as number)).toBe(lateBefore);
});

it('panic still works while paused', async () => {
  const { page } = app;
  await page.locator('#pause').click();
  await until(page, () => (globalThis as any).document.getElementById('st-clock').innerText.startsWith('paused at t ='));
  await page.locator('#panic').click();
  await until(page, () => (globalThis as any).__corotone.model.activeNotes.length === 0);
  await page.locator('#pause').click();
  await until(page, () => /^t \d/.test((globalThis as any).document.getElementById('st-clock').innerText));
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => [...(globalThis as any).__corotone.audio.sounding])).toEqual([]);
});

it('a space typed in the terminal is a space, not a pause', async () => {
  const { page } = app;
  await typeLine(page, 'print one two');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('one two'));
  expect(await terminalText(page)).toContain('print one two');
  expect(await page.locator('#st-clock').innerText()).toMatch(/^t \d/);
});
