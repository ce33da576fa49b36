/**
 * The demo's commands.txt played in the browser: what the renderer actually
 * played (every change as it was scheduled on the live audio clock) is
 * rendered through the same player into an OfflineAudioContext in the page,
 * and the sound is judged by listening: which notes sound between changes, how
 * loud each is, and where each change starts, against SPEC's schedule.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL } from '../../src/core/stream';
import { detectNotes, detectOnsets } from '../support/audio';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, openScript, renderPlayedInPage, startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

/** SPEC: the demo's schedule. Each change: logical time (s from the script's start) and the notes sounding after it. */
const CHORD_A = [72, 75, 79];
const CHORD_B = [70, 74, 77];
const CHORD_C = [68, 72, 75];
const SCHEDULE: { t: number; notes: number[] }[] = [
  { t: 0, notes: [60] },
  { t: 2.0, notes: [60, ...CHORD_A] },
  { t: 2.5, notes: [60] },
  { t: 3.0, notes: [60, ...CHORD_A] },
  { t: 3.4, notes: [60, ...CHORD_B] },
  { t: 3.75, notes: [60, ...CHORD_A] },
  { t: 4.35, notes: [60] },
  { t: 4.85, notes: [60, ...CHORD_A] },
  { t: 5.25, notes: [60, ...CHORD_B] },
  { t: 5.6, notes: [60, ...CHORD_A] },
  { t: 6.2, notes: [60] },
  { t: 6.7, notes: [60, ...CHORD_A] },
  { t: 7.1, notes: [60, ...CHORD_B] },
  { t: 7.45, notes: [60, ...CHORD_C] },
  { t: 8.05, notes: [60] },
  { t: 10.05, notes: [] },
];
const RATE = 16000;
const LEAD = 0.25;

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('demo');
});

afterAll(async () => {
  await app?.stop();
});

describe("the demo's commands.txt", () => {
  let samples: Float32Array;
  let lateEvents = 0;
  /** How late each change of SCHEDULE was played (0 when on time), from the renderer's own count. */
  let lateness: number[] = [];
  /** Where each change should start in the render: its logical time, plus its lateness if it came late. */
  const expectedAt = (i: number) => LEAD + SCHEDULE[i].t + lateness[i];

  it('plays to the end in the browser (with a typed line alongside), the timeline holding every line', async () => {
    const { page } = app;
    // a longer lookahead than the default: the host shares two cores with the test and the browser
    await page.locator('#lookahead').fill('150');
    await page.locator('#lookahead').dispatchEvent('change');
    await typeLine(page, 'help');
    await typeLine(page, 'beep 48 0.1');
    await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 48 && !Number.isNaN(b.end)));
    await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      app.audio.forgetRecording();
      // keep the script's lines as they come (its quit ends the script, not the session)
      const lines: { name: string; start: number }[] = ((globalThis as any).__lines = []);
      app.transport.onMessage((m: any) => {
        if (m.type !== 'events') return;
        for (const e of m.events) if (e.type === 'task-created' && e.source === 'commands.txt' && e.kind === 'line') lines.push({ name: e.name, start: e.t });
      });
    });
    await openScript(page, 'commands.txt', readFileSync(resolve(ROOT, 'resources/commands.txt'), 'utf8'));
    // mid-play: the picture for the README
    await until(page, () => (globalThis as any).__corotone.model.noteBars.filter((b: any) => b.note === 77).length >= 2, 20_000);
    await page.evaluate(() => {
      const view = (globalThis as any).__corotone.timeline;
      view.axis.pxPerSecond = view.axis.width / 8;
      view.invalidate();
    });
    await page.locator('.xterm').click();
    await page.keyboard.type('chord 0.5 72 75 79');
    await page.waitForTimeout(200);
    await page.screenshot({ path: resolve(ARTIFACTS, 'app.png') });
    await page.keyboard.press('Control+U');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('commands.txt ended (quit)'), 20_000);

    const lines: { name: string; start: number }[] = await page.evaluate(() => (globalThis as any).__lines);
    const text = readFileSync(resolve(ROOT, 'resources/commands.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(lines.map((l) => l.name)).toEqual(text);
    const t0 = lines[0].start;
    const chordStarts = lines.filter((l) => l.name.startsWith('chord')).map((l) => +(l.start - t0).toFixed(9));
    expect(chordStarts).toEqual([2.0, 3.0, 3.4, 3.75, 4.85, 5.25, 5.6, 6.7, 7.1, 7.45]);

    const rendered = await renderPlayedInPage(page, RATE, LEAD);
    samples = rendered.samples;
    lateEvents = rendered.late;
    // the end of the stream comes as one more change at the time of the last (quit), which changes nothing
    const played = rendered.played.filter((c, i, all) => i === 0 || c.t !== all[i - 1].t);
    expect(played.map((c) => +(c.t - played[0].t).toFixed(9))).toEqual(SCHEDULE.map((c) => c.t));
    lateness = played.map((c) => c.lateBy);
    expect(samples.length).toBeGreaterThan(RATE * 10.3);
  });

  it('sounds the right notes between changes, each voice at the default level whatever joins (no 0.8/N)', () => {
    const windowLength = Math.round(0.12 * RATE);
    for (let i = 0; i < SCHEDULE.length - 1; i++) {
      const mid = (expectedAt(i) + LEAD + SCHEDULE[i + 1].t) / 2;
      const start = Math.round(mid * RATE) - windowLength / 2;
      const found = detectNotes(samples, RATE, start, windowLength);
      expect({ t: SCHEDULE[i].t, notes: found.notes }).toEqual({ t: SCHEDULE[i].t, notes: SCHEDULE[i].notes });
      expect(found.unexplained).toEqual([]);
      // each note at DEFAULT_LEVEL (0.1) within 1 dB, be it alone or one of four; the demo's 0.8/N is --raw --exact's only
      for (const peak of found.peaks) expect(Math.abs(20 * Math.log10(peak.amplitude / DEFAULT_LEVEL)), `${SCHEDULE[i].t}s ${peak.amplitude}`).toBeLessThan(1);
    }
    // silence after the end
    const tail = samples.subarray(Math.round((LEAD + 10.1) * RATE));
    expect(Math.max(...Array.from(tail, Math.abs))).toBeLessThan(1e-4);
  });

  it('starts every change on its logical time (onsets measured in the rendered sound)', () => {
    const onsets = detectOnsets(samples, RATE);
    const errors = SCHEDULE.map(({ t }, i) => {
      const expected = expectedAt(i) * RATE;
      const nearest = onsets.reduce((best, o) => (Math.abs(o - expected) < Math.abs(best - expected) ? o : best), Infinity);
      return { t, lateMs: lateness[i] * 1000, errorMs: ((nearest - expected) / RATE) * 1000 };
    });
    const worst = Math.max(...errors.map((e) => Math.abs(e.errorMs)));
    writeFileSync(resolve(ARTIFACTS, 'demo-onsets.json'), JSON.stringify({ rate: RATE, lateEvents, worstMs: worst, errors, onsets }, null, 2));
    console.log(`commands.txt in the browser: ${SCHEDULE.length} changes, worst onset error ${worst.toFixed(3)} ms, late events ${lateEvents}`);
    // On time, a change starts on its exact sample; a late one plays at once, as late as the renderer counted it.
    for (const e of errors) expect(Math.abs(e.errorMs), `change at ${e.t}s`).toBeLessThan(1);
  });

  it('leaves a screenshot of the app mid-play (the README\'s picture is made by examples.test.ts)', () => {
    const shot = resolve(ARTIFACTS, 'app.png');
    expect(readFileSync(shot).length).toBeGreaterThan(10_000);
  });
});
