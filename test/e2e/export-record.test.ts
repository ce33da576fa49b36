/**
 * Export asks what to export and names the file after it (it used to render
 * the last script loaded, whatever had just been typed); Record saves what
 * was heard, the live mix, as a WAV made in the page.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { detectNotes, parseWav } from '../support/audio';
import { openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('export-record');
});

afterAll(async () => {
  await app?.stop();
});

it('Export asks what: the terminal session is rendered as typed, not the lesson loaded before it', async () => {
  const { page } = app;
  await openScript(page, 'lesson.txt', 'beep 60 2\n');
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'lesson.txt'));
  await typeLine(page, 'beep 69 0.5');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 69 && !Number.isNaN(b.end)));

  await page.keyboard.press('Control+E');
  const menu = page.locator('#export-menu');
  await menu.waitFor({ state: 'visible' });
  expect(await menu.locator('button').allTextContents()).toEqual(['The terminal session (what was typed)', 'The script lesson.txt', 'Everything that played']);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });

  // The desktop menu's Export Audio… (the host's 'menu' message) opens the same chooser; sent again, it stays open.
  await page.evaluate(() => (globalThis as any).__corotone.receive({ type: 'menu', action: 'export-audio' }));
  await menu.waitFor({ state: 'visible' });
  await page.evaluate(() => (globalThis as any).__corotone.receive({ type: 'menu', action: 'export-audio' }));
  expect(await menu.locator('button').allTextContents()).toEqual(['The terminal session (what was typed)', 'The script lesson.txt', 'Everything that played']);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });

  await page.locator('#export-audio').click();
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await menu.locator('button[data-what="terminal"]').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('terminal-session.wav');
  const wav = parseWav(new Uint8Array(await readFile(await download.path())));
  expect(wav.frames / wav.rate).toBeCloseTo(0.5, 1);
  const window = Math.round(0.1 * wav.rate);
  expect(detectNotes(wav.first, wav.rate, Math.round(0.25 * wav.rate) - window / 2, window).notes).toEqual([69]);
  expect(await terminalText(page)).toContain('downloading terminal-session.wav');
});

it('Record (Ctrl+Alt+R) captures the live mix and saves it as a WAV when pressed again', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  // the lesson the last test opened (beep 60 2) may still be heard: the mix is recorded, so record after it
  await until(page, () => (globalThis as any).__corotone.audio.sounding.length === 0);
  await page.keyboard.press('Control+Alt+R');
  await until(page, () => (globalThis as any).document.getElementById('record').getAttribute('aria-pressed') === 'true');
  await typeLine(page, 'beep 71 1');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 71 && !Number.isNaN(b.end)), 20_000);
  // what is heard trails the timeline by the lookahead and the output latency
  await new Promise((r) => setTimeout(r, 600));
  const downloading = page.waitForEvent('download', { timeout: 30_000 });
  await page.locator('#record').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^corotone-recording-[\dT-]+\.wav$/);
  const wav = parseWav(new Uint8Array(await readFile(await download.path())));
  expect(wav.frames / wav.rate).toBeGreaterThan(1);
  // the loudest 0.2 s of the recording is the beep: B4
  const window = Math.round(0.2 * wav.rate);
  let loudest = 0;
  let best = 0;
  for (let at = 0; at + window <= wav.frames; at += Math.round(window / 4)) {
    let energy = 0;
    for (let i = at; i < at + window; i++) energy += wav.first[i] * wav.first[i];
    if (energy > best) [best, loudest] = [energy, at];
  }
  expect(best / window).toBeGreaterThan(1e-4);
  expect(detectNotes(wav.first, wav.rate, loudest, window).notes).toEqual([71]);
  expect(await page.locator('#record').getAttribute('aria-pressed')).toBe('false');
  expect(await terminalText(page)).toMatch(/recorded \d+\.\d s of what was heard/);
});
