/**
 * Export in web mode: clicking the button in the page downloads the
 * rendered WAV, or a MIDI file when the chooser says so (fetched from the
 * host's download route, not sent through the socket) under the script's name.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { detectNotes, parseWav } from '../support/audio';
import { readMidi } from '../support/midi/read-back';
import { openScript, startApp, terminalText, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('export-download');
});

afterAll(async () => {
  await app?.stop();
});

it('downloads the exported WAV with the script’s name when Export WAV is clicked and the script picked', async () => {
  const { page } = app;
  await openScript(page, 'tune.txt', 'beep 62 0.5\nbeep 69 0.5\n');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('tune.txt'));
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await page.locator('#export-audio').click();
  await page.locator('#export-menu button[data-name="tune.txt"]').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('tune.wav');
  expect(download.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${app.server.port}/download/[A-Za-z0-9_-]{43}$`));
  const path = await download.path();
  const bytes = new Uint8Array(await readFile(path));
  expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('RIFF');
  expect(Buffer.from(bytes.subarray(8, 12)).toString('latin1')).toBe('WAVE');
  const wav = parseWav(bytes);
  expect(wav.frames / wav.rate).toBeCloseTo(1, 1);
  const window = Math.round(0.1 * wav.rate);
  const notesAt = (t: number) => detectNotes(wav.first, wav.rate, Math.round(t * wav.rate) - window / 2, window).notes;
  expect([notesAt(0.25), notesAt(0.75)]).toEqual([[62], [69]]);
  expect(await terminalText(page)).toContain('downloading tune.wav');
  expect(app.log.filter((line) => /error/i.test(line))).toEqual([]);
});

it('downloads a MIDI file of the script when "MIDI file" is picked in the Export chooser: its notes, N + 12, on their ticks', async () => {
  const { page } = app;
  await openScript(page, 'tune2.txt', 'bpm 120\nbeep 62 0.5\nbeep 69 1\n');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('tune2.txt'));
  await page.locator('#export-audio').click();
  const menu = page.locator('#export-menu');
  // the chooser's list of what to export is unchanged; the format is a choice above it
  expect(await menu.locator('button').allTextContents()).toContain('The script tune2.txt');
  await menu.locator('input[value="midi"]').check();
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await menu.locator('button[data-name="tune2.txt"]').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('tune2.mid');
  const file = readMidi(new Uint8Array(await readFile(await download.path())));
  expect(file.notes.map((n) => [n.track, n.midi, n.ticks, n.endTicks])).toEqual([
    ['tune2.txt', 74, 0, 480],
    ['tune2.txt', 81, 480, 1440],
  ]);
  expect(file.tempos.map((t) => [t.ticks, Math.round(t.bpm)])).toEqual([[0, 120]]);
  expect(await terminalText(page)).toContain('downloading tune2.mid');
  // the chooser remembers the format: the next export is a MIDI file too, until WAV is picked
  await page.locator('#export-audio').click();
  expect(await menu.locator('input[value="midi"]').isChecked()).toBe(true);
  await menu.locator('input[value="wav"]').check();
  await page.keyboard.press('Escape');
});
