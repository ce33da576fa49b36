/**
 * Live MIDI out in Chromium, against a stand-in MIDIAccess (an output that
 * records each `send` with its timestamp): chosen in the status bar's menu,
 * it gets every voice as note on and off (N + 12), each timestamped within
 * 2 ms of when its audio is heard; Stop and Panic send the note offs and
 * "all notes off"; "sound" turns the app's own sound off and on.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openScript, startApp, terminalText, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('midi-out');
  await app.page.evaluate(() => {
    const sent: { data: number[]; ts: number | undefined; now: number }[] = [];
    const port = { id: 'stand-in-1', name: 'Stand-in synth', send: (data: number[], ts?: number) => void sent.push({ data: [...data], ts, now: performance.now() }) };
    (globalThis as any).__midiSent = sent;
    (globalThis as any).navigator.requestMIDIAccess = (options: { sysex: boolean }) => {
      (globalThis as any).__midiAskedSysex = options.sysex;
      return Promise.resolve({ outputs: new Map([[port.id, port]]), onstatechange: null });
    };
  });
});

afterAll(async () => {
  await app?.stop();
});

const sent = () => app.page.evaluate(() => (globalThis as any).__midiSent as { data: number[]; ts: number | undefined; now: number }[]);

it('sends every voice to the chosen output as note on and off, timestamped with its audio', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  await page.locator('#midi-out').focus();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#midi-out option').length === 2);
  expect(await page.locator('#midi-out option').allTextContents()).toEqual(['off', 'Stand-in synth']);
  expect(await page.evaluate(() => (globalThis as any).__midiAskedSysex)).toBe(false);
  await page.locator('#midi-out').selectOption('stand-in-1');
  expect(await terminalText(page)).toContain('MIDI out: Stand-in synth');

  await openScript(page, 'midi.txt', 'beep 60 0.25\nchord 0.25 64 67 amp=0.5\nwait 0.1\nbeep 72 0.2\n');
  await until(page, () => ((globalThis as any).__midiSent as { data: number[] }[]).some((m) => m.data[0] === 0x80 && m.data[1] === 84));
  const messages = await sent();
  const ons = messages.filter((m) => m.data[0] === 0x90);
  const offs = messages.filter((m) => m.data[0] === 0x80);
  // corotone's 60, 64, 67, 72 are MIDI's 72, 76, 79, 84; the chord at amp 0.5 is velocity 108, the default level 64
  expect(ons.map((m) => m.data.slice(1))).toEqual([
    [72, 64],
    [76, 108],
    [79, 108],
    [84, 64],
  ]);
  expect(offs.map((m) => m.data[1]).sort()).toEqual([72, 76, 79, 84]);
  // each sent ahead of its time, and its time within 2 ms of when its audio is heard
  const heard = await page.evaluate(() => {
    const audio = (globalThis as any).__corotone.audio;
    return (audio.playedChanges as { at: number; notes: number[] }[]).map((c) => ({ notes: c.notes, heardMs: audio.heardAtMs(c.at) as number }));
  });
  for (const m of [...ons, ...offs]) {
    expect(m.ts).toBeGreaterThan(m.now);
    const nearest = Math.min(...heard.map((h) => Math.abs(h.heardMs - m.ts!)));
    expect(nearest).toBeLessThan(2);
  }
  // note 72 starts 0.25 s after 60 (logical time), and so do their MIDI timestamps
  expect(Math.abs(ons[1].ts! - ons[0].ts! - 250)).toBeLessThan(2);
  expect(Math.abs(ons[3].ts! - ons[0].ts! - 600)).toBeLessThan(2);
});

it('Stop sends the note offs of what it ends, then all notes off', async () => {
  const { page } = app;
  const before = (await sent()).length;
  await openScript(page, 'stopped.txt', 'beep 63 30\n');
  await until(page, () => ((globalThis as any).__midiSent as { data: number[] }[]).some((m) => m.data[0] === 0x90 && m.data[1] === 75));
  await page.evaluate(() => (globalThis as any).__corotone.transport.api.stopSource({ source: 'stopped.txt' }));
  await until(page, () => ((globalThis as any).__midiSent as { data: number[] }[]).some((m) => m.data[0] === 0xb0));
  expect((await sent()).slice(before).map((m) => m.data)).toEqual([
    [0x90, 75, 64],
    [0x80, 75, 0],
    [0xb0, 123, 0],
  ]);
});

it('Panic sends the note offs of what sounds and all notes off; with the output off nothing more is sent', async () => {
  const { page } = app;
  const before = (await sent()).length;
  await openScript(page, 'long.txt', 'beep 62 30\n');
  await until(page, () => ((globalThis as any).__midiSent as { data: number[] }[]).some((m) => m.data[0] === 0x90 && m.data[1] === 74));
  await page.locator('#panic').click();
  await page.waitForFunction((n) => ((globalThis as any).__midiSent as { data: number[] }[]).slice(n).some((m) => m.data[0] === 0xb0), before);
  const after = (await sent()).slice(before);
  const panic = after.slice(after.findIndex((m) => m.data[0] === 0x90 && m.data[1] === 74) + 1);
  expect(panic.slice(0, 2).map((m) => m.data)).toEqual([
    [0x80, 74, 0],
    [0xb0, 123, 0],
  ]);
  await page.locator('#midi-out').selectOption('');
  const count = (await sent()).length;
  await openScript(page, 'quiet.txt', 'beep 65 0.1\n');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 65 && !Number.isNaN(b.end)));
  expect((await sent()).length).toBe(count);
});

it('"sound" turns the app’s own sound off, keeping the volume for when it is on again', async () => {
  const { page } = app;
  const volume = await page.evaluate(() => (globalThis as any).__corotone.audio.volume as number);
  await page.locator('#app-sound').uncheck();
  expect(await page.evaluate(() => (globalThis as any).__corotone.audio.appSound)).toBe(false);
  expect(await page.evaluate(() => (globalThis as any).__corotone.audio.player.master.gain.value)).toBe(0);
  await page.locator('#app-sound').check();
  expect(await page.evaluate(() => (globalThis as any).__corotone.audio.player.master.gain.value)).toBeCloseTo(volume, 5);
});
