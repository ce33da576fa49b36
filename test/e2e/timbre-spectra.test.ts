/**
 * Renders sound like the app: the same note in each timbre, rendered by the
 * core synthesiser in Node and by the app's own player (Tone.js: native
 * oscillators, Tone's FMOscillator and AMOscillator) in Chromium's
 * OfflineAudioContext, must have the same spectrum. A voice that names its
 * timbre sounds it; one that names none sounds the app's waveform menu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMBRES, noteFrequency, type Timbre } from '../../src/core/stream';
import { goertzelAmplitude } from '../support/audio';
import { startApp, type AppUnderTest } from '../support/e2e/harness';
import { RATE, db, renderInNode, renderInPage, streamEvents } from '../support/e2e/voices-render';

const NOTE = 45; // 220 Hz
const F = noteFrequency(NOTE);
const HARMONICS = 8;
const LEVEL = 0.5;

let app: AppUnderTest;
beforeAll(async () => {
  app = await startApp('timbres');
  await app.page.waitForFunction(() => (globalThis as any).__corotone.audio.limited === true);
});
afterAll(async () => {
  await app?.stop();
});

/** One second of the note at LEVEL, in `timbre` (or, with null, in whatever the renderer's default is). */
const script = (timbre: Timbre | null) =>
  streamEvents(1, ({ stream, at }) => at(0, () => stream.add(NOTE, 1, timbre === null ? { level: LEVEL } : { level: LEVEL, timbre })));

/** Harmonic amplitudes 1..HARMONICS over 0.5 s from 0.25 s. */
const spectrum = (samples: Float32Array): number[] =>
  Array.from({ length: HARMONICS }, (_, i) => goertzelAmplitude(samples, RATE, 0.25 * RATE, 0.5 * RATE, F * (i + 1)));

function compare(node: Float32Array, web: Float32Array, label: string): void {
  const a = spectrum(node);
  const b = spectrum(web);
  const rows = a.map((x, i) => ({ h: i + 1, node: +db(x).toFixed(2), chromium: +db(b[i]).toFixed(2) }));
  for (const row of rows) {
    if (Math.max(row.node, row.chromium) < db(LEVEL) - 40) continue;
    expect(Math.abs(row.node - row.chromium), JSON.stringify(rows)).toBeLessThan(1);
  }
  if (process.env.SHOW_SPECTRA) console.log(label, JSON.stringify(rows));
}

describe('a note rendered in Node and by the app in Chromium', () => {
  for (const timbre of TIMBRES) {
    it(`has the same spectrum in ${timbre} (harmonics within 1 dB, those above -40 dB)`, async () => {
      const events = script(timbre);
      // the menu set to something else: a voice's own timbre wins
      compare(renderInNode(events, 1), await renderInPage(app.page, events, 1, timbre === 'sine' ? 'square' : 'sine'), timbre);
    });
  }

  it("sounds the waveform menu for a voice that names no timbre (the menu on sawtooth, then fm)", async () => {
    const events = script(null);
    for (const menu of ['sawtooth', 'fm'] as const) compare(renderInNode(events, 1, { timbre: menu }), await renderInPage(app.page, events, 1, menu), `menu ${menu}`);
    // and it is not a sine: the 2nd harmonic of a sawtooth is 6 dB under its fundamental
    const saw = spectrum(await renderInPage(app.page, events, 1, 'sawtooth'));
    expect(db(saw[1]) - db(saw[0])).toBeGreaterThan(-7);
  });
});
