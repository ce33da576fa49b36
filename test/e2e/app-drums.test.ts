/**
 * The app's drums, noise and pan, heard: the same voices rendered by the page's
 * scheduler and player (a stereo OfflineAudioContext) and by the core synth in
 * Node (what --wav writes). Their RMS envelopes agree within 1 dB, their
 * spectra (octave bands) alike, and pan moves the sound alike in both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRUM_KEYS, DRUMS, type DrumName, type VoiceOptions } from '../../src/core/stream';
import { powerSpectrum } from '../support/audio';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { RATE, db, renderInNodeStereo, renderInPageStereo, rms, streamEvents } from '../support/e2e/voices-render';

let app: AppUnderTest;
beforeAll(async () => {
  app = await startApp('drums');
  await app.page.waitForFunction(() => (globalThis as any).__corotone.audio.limited === true);
});
afterAll(async () => {
  await app?.stop();
});

const show = (label: string, value: unknown) => {
  if (process.env.SHOW_VOICES) console.log(label, JSON.stringify(value));
};

/** One voice at 0 s (a hit of `drum`, or a note with `options`), the stream ending at 1 s. */
function oneVoice(note: number, options: VoiceOptions, holdFor = 1) {
  return streamEvents(1, ({ stream, at }) => {
    at(0, () => stream.add(note, 1, options));
    if (options.drum === undefined) at(holdFor, () => stream.remove(note, 1));
  });
}

/** RMS in 10 ms windows over [0, to) where the Node render is above -50 dBFS: the dB of each, side by side. */
function envelopes(web: Float32Array, node: Float32Array, to: number) {
  const rows: { t: number; chromium: number; node: number }[] = [];
  for (let t = 0; t + 0.01 <= to; t += 0.01) {
    const n = rms(node, t, t + 0.01);
    if (db(n) < -50) continue;
    rows.push({ t: +t.toFixed(2), chromium: +db(rms(web, t, t + 0.01)).toFixed(2), node: +db(n).toFixed(2) });
  }
  return rows;
}

/** The share of energy (dB) in each octave band from 31 Hz to 16 kHz that holds at least 1 % of it. */
function octaves(samples: Float32Array, seconds: number): Map<number, number> {
  const s = powerSpectrum(samples, RATE, 0, Math.round(seconds * RATE));
  let total = 0;
  for (const p of s.power) total += p;
  const bands = new Map<number, number>();
  for (let lo = 31.25; lo < 20000; lo *= 2) {
    let band = 0;
    for (let k = Math.ceil(lo / s.binHz); k * s.binHz < lo * 2 && k < s.power.length; k++) band += s.power[k];
    if (band / total >= 0.01) bands.set(lo, 10 * Math.log10(band / total));
  }
  return bands;
}

function expectAlike(web: Float32Array, node: Float32Array, seconds: number, label: string): void {
  const rows = envelopes(web, node, seconds);
  show(`${label}: RMS envelope (dB)`, rows);
  expect(rows.length, label).toBeGreaterThan(0);
  for (const row of rows) expect(Math.abs(row.chromium - row.node), `${label} ${JSON.stringify(rows)}`).toBeLessThan(1);
  const [a, b] = [octaves(web, seconds), octaves(node, seconds)];
  show(`${label}: octave bands (dB of the whole)`, [...b].map(([lo, d]) => [lo, +d.toFixed(2), +(a.get(lo) ?? -99).toFixed(2)]));
  for (const [lo, share] of b) expect(Math.abs((a.get(lo) ?? -99) - share), `${label}: octave from ${lo} Hz`).toBeLessThan(1);
}

describe('the app plays drums, noise and pan as the WAV render does', () => {
  it.each(DRUMS)('%s: RMS envelope within 1 dB, spectrum alike', async (drum: DrumName) => {
    const events = oneVoice(DRUM_KEYS[drum], { drum, level: 0.5 });
    const [web] = await renderInPageStereo(app.page, events, 1);
    const [node] = renderInNodeStereo(events, 1);
    expectAlike(web, node, 0.7, drum);
  });

  it('a drum at rate 1.5 and a cut one (its task ends it early) sound alike too', async () => {
    const events = streamEvents(1, ({ stream, at }) => {
      at(0, () => stream.add(DRUM_KEYS.bd, 1, { drum: 'bd', level: 0.5, rate: 1.5 }));
      at(0.1, () => stream.add(DRUM_KEYS.oh, 2, { drum: 'oh', level: 0.5 }));
      at(0.2, () => stream.releaseOwner(2));
    });
    const [web] = await renderInPageStereo(app.page, events, 1);
    const [node] = renderInNodeStereo(events, 1);
    expectAlike(web, node, 0.6, 'bd rate 1.5, oh cut at 0.2 s');
    expect(rms(web, 0.21, 0.5)).toBeLessThan(1e-4 + rms(node, 0.21, 0.5) * 1.2);
  });

  it('the noise timbre: RMS within 1 dB, spectrum alike (flat)', async () => {
    const events = oneVoice(57, { timbre: 'noise', level: 0.2 }, 0.5);
    const [web] = await renderInPageStereo(app.page, events, 0.7);
    const [node] = renderInNodeStereo(events, 0.7);
    expectAlike(web, node, 0.6, 'noise');
  });

  it('pan moves a drum and a note alike: hard left is silent on the right, half right is cot(pi/8) louder there', async () => {
    const events = streamEvents(1, ({ stream, at }) => {
      at(0, () => stream.add(DRUM_KEYS.hh, 1, { drum: 'hh', level: 0.5, pan: -1 }));
      at(0.2, () => stream.add(69, 2, { level: 0.2, pan: 0.5 }));
      at(0.8, () => stream.remove(69, 2));
    });
    const [webL, webR] = await renderInPageStereo(app.page, events, 1);
    const [nodeL, nodeR] = renderInNodeStereo(events, 1);
    for (const [name, left, right] of [['chromium', webL, webR], ['node', nodeL, nodeR]] as const) {
      expect(rms(right, 0, 0.1), name).toBeLessThan(1e-4);
      expect(rms(left, 0, 0.1), name).toBeGreaterThan(1e-2);
      const ratio = db(rms(right, 0.3, 0.7)) - db(rms(left, 0.3, 0.7));
      show(`${name}: right - left at pan 0.5 (dB)`, ratio);
      expect(Math.abs(ratio - db(1 / Math.tan(Math.PI / 8))), name).toBeLessThan(0.3);
      // equal power: both channels together carry twice the mono power of the note
      const power = rms(left, 0.3, 0.7) ** 2 + rms(right, 0.3, 0.7) ** 2;
      expect(Math.abs(10 * Math.log10(power / (2 * (0.2 / Math.SQRT2) ** 2))), name).toBeLessThan(0.3);
    }
  });

  it('live, a typed drum sounds, is not a note, and is let go of once it has rung out (the graph does not grow)', async () => {
    const { page } = app;
    await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
    await typeLine(page, 'drum oh; drum bd pan=-0.5');
    await until(page, () => (globalThis as any).__corotone.audio.voiceCount.held === 2);
    expect(await page.evaluate(() => (globalThis as any).__corotone.audio.sounding)).toEqual([]);
    await until(page, () => {
      const count = (globalThis as any).__corotone.audio.voiceCount;
      return count.held === 0 && count.releasing === 0;
    });
    expect(app.log).toEqual([]);
  });
});
