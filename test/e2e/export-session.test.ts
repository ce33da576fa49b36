/**
 * The terminal session as a newcomer exports and saves it (issue 18): a typo
 * does not keep the rest from exporting, a saved session replays at the speed
 * it played after `bpm`, and an export that runs long can be cancelled
 * without holding up the others.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Session } from '../../src/core/session/session';
import { detectNotes, parseWav } from '../support/audio';
import { ARTIFACTS, openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('export-session');
});

afterAll(async () => {
  await app?.stop();
});

/** Wait until the page's timeline shows note `note` ended. */
async function noteEnded(note: number, timeout = 20_000): Promise<void> {
  await app.page.waitForFunction((n) => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === n && !Number.isNaN(b.end)), note, { timeout, polling: 50 });
}

/** The page's note bars of `notes`, [note, start] in order of start. */
async function playedStarts(notes: number[]): Promise<[number, number][]> {
  const bars: [number, number][] = await app.page.evaluate(() => (globalThis as any).__corotone.model.noteBars.map((b: any) => [b.note, b.start]));
  return bars.filter(([n]) => notes.includes(n)).sort((a, b) => a[1] - b[1]);
}

/** Press Save session and read the script it downloads. */
async function savedSession(): Promise<string> {
  const downloading = app.page.waitForEvent('download', { timeout: 30_000 });
  await app.page.locator('#save-session').click();
  return readFile(await (await downloading).path(), 'utf8');
}

/** Export the terminal session through the chooser, and wait for its download. */
async function exportTerminal(): Promise<Download> {
  const { page } = app;
  const downloading = page.waitForEvent('download', { timeout: 30_000 });
  await page.locator('#export-audio').click();
  await page.locator('#export-menu button[data-what="terminal"]').click();
  return downloading;
}

/** Replay `script` offline and list the notes it starts, [note, t]. */
function replayStarts(script: string): { starts: [number, number][]; errors: string[] } {
  const session = new Session();
  const starts: [number, number][] = [];
  const errors: string[] = [];
  let sounding = new Set<number>();
  session.subscribe((e) => {
    if (e.type === 'diagnostic') errors.push(e.diagnostic.message);
    if (e.type !== 'notes') return;
    for (const n of e.notes) if (!sounding.has(n)) starts.push([n, e.t]);
    sounding = new Set(e.notes);
  });
  session.loadScript('saved.txt', script);
  session.scheduler.runUntilIdle(600);
  return { starts, errors };
}

it('exports and saves the terminal session with a typo in it: the typo is kept as a comment, the rest plays', async () => {
  const { page } = app;
  await typeLine(page, 'beep 60 0.25');
  await typeLine(page, 'bepe 62 0.25');
  await typeLine(page, 'beep 64 0.25');
  await noteEnded(64);
  expect(await terminalText(page)).toMatch(/bepe/);

  const download = await exportTerminal();
  expect(download.suggestedFilename()).toBe('terminal-session.wav');
  const wav = parseWav(new Uint8Array(await readFile(await download.path())));
  const window = Math.round(0.1 * wav.rate);
  const notesAt = (t: number) => detectNotes(wav.first, wav.rate, Math.round(t * wav.rate) - window / 2, window).notes;
  expect([notesAt(0.125), notesAt(wav.frames / wav.rate - 0.125)]).toEqual([[60], [64]]);

  const saved = await savedSession();
  expect(saved).toMatch(/^# error: .*\n# bepe 62 0\.25$/m);
  expect(saved.split('\n').filter((l) => /^beep/.test(l))).toEqual(['beep 60 0.25', 'beep 64 0.25']);
  expect(replayStarts(saved).errors).toEqual([]);
});

it('saves a session that changed its bpm so that it replays at the speed it played', async () => {
  const { page } = app;
  await typeLine(page, 'bpm 120');
  await typeLine(page, 'beep 65 0.5');
  await noteEnded(65);
  // a pause of real time, which the saved script keeps as a wait
  await new Promise((r) => setTimeout(r, 1200));
  await typeLine(page, 'bpm 90');
  await typeLine(page, 'beep 67 0.5');
  await noteEnded(67);
  const played = await playedStarts([65, 67]);
  expect(played.map(([n]) => n)).toEqual([65, 67]);

  const saved = await savedSession();
  const replayed = replayStarts(saved);
  const starts = replayed.starts.filter(([n]) => n === 65 || n === 67);
  expect(starts.map(([n]) => n)).toEqual([65, 67]);
  const playedGap = played[1][1] - played[0][1];
  const replayedGap = starts[1][1] - starts[0][1];
  expect(playedGap).toBeGreaterThan(1);
  // the saved waits are whole milliseconds
  expect(Math.abs(replayedGap - playedGap)).toBeLessThan(0.002);
  expect(replayed.errors).toEqual([]);
});

it('renders another export while one that cannot finish runs, and cancels that one from the Export chooser', async () => {
  const { page } = app;
  // Live, it waits a minute first (the test is over by then); rendered, its 9 minutes of 10 µs steps take minutes.
  await openScript(page, 'endless.txt', 'wait 60\nloop wait 0.00001\n');
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'endless.txt'));
  const menu = page.locator('#export-menu');
  await page.locator('#export-audio').click();
  await menu.locator('button[data-name="endless.txt"]').click();
  await until(page, () => (globalThis as any).document.getElementById('export-audio').dataset.exporting === '1');

  // the terminal session exports meanwhile, rather than "an export is already running"
  const download = await exportTerminal();
  expect(download.suggestedFilename()).toBe('terminal-session.wav');
  expect(parseWav(new Uint8Array(await readFile(await download.path()))).frames).toBeGreaterThan(0);

  // the chooser lists the export still rendering, with its Cancel button
  for (const [width, height] of [[1440, 900], [1024, 700]]) {
    await page.setViewportSize({ width, height });
    await page.locator('#export-audio').click();
    await menu.waitFor({ state: 'visible' });
    const row = menu.locator('.running-export');
    expect(await row.allTextContents()).toEqual(['the script endless.txtCancel']);
    const box = (await menu.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    await page.screenshot({ path: resolve(ARTIFACTS, `export-cancel-${width}x${height}.png`) });
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  }

  await page.locator('#export-audio').click();
  await menu.locator('button.cancel-export').click();
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('export of the script endless.txt cancelled'));
  expect(await page.locator('#export-audio').getAttribute('data-exporting')).toBeNull();
  await page.evaluate(() => (globalThis as any).__corotone.transport.api.stopSource({ source: 'endless.txt' }));
});

it('saves what played: lines still waiting their turn when Panic stopped the terminal are not in the saved session', async () => {
  const { page } = app;
  await typeLine(page, 'beep 70 3');
  // typed while the first still plays: it waits its turn
  await typeLine(page, 'beep 71 1');
  await page.waitForFunction(() => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 70), undefined, { timeout: 20_000 });
  await page.locator('#panic').click();
  await noteEnded(70);
  await typeLine(page, 'beep 72 0.25');
  await noteEnded(72);
  expect((await playedStarts([71])).length).toBe(0);
  const saved = await savedSession();
  const lines = saved.split('\n');
  expect(lines).toContain('beep 70 3');
  expect(lines).toContain('beep 72 0.25');
  expect(lines).not.toContain('beep 71 1');
});
