/**
 * The app's voices, heard: the same scripts of voices rendered by the page's
 * scheduler and Tone.js player (OfflineAudioContext) and by the core synth in
 * Node. Levels, the dip of a re-articulation, the limiter and the envelope are
 * measured in the rendered sound of both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL, noteFrequency } from '../../src/core/stream';
import { goertzelAmplitude } from '../support/audio';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { RATE, db, peak, renderInNode, renderInPage, rms, streamEvents } from '../support/e2e/voices-render';

let app: AppUnderTest;
beforeAll(async () => {
  app = await startApp('voices');
  await app.page.waitForFunction(() => (globalThis as any).__corotone.audio.limited === true);
});
afterAll(async () => {
  await app?.stop();
});

/** Amplitude of `note` over [from, to) seconds. */
const show = (label: string, value: unknown) => {
  if (process.env.SHOW_VOICES) console.log(label, JSON.stringify(value));
};
/** Mean of samples [from, to) seconds: a wave's DC. */
function mean(samples: Float32Array, from: number, to: number): number {
  const a = Math.round(from * RATE);
  const b = Math.round(to * RATE);
  let sum = 0;
  for (let i = a; i < b; i++) sum += samples[i];
  return sum / (b - a);
}
const amplitude = (samples: Float32Array, note: number, from: number, to: number) =>
  goertzelAmplitude(samples, RATE, Math.round(from * RATE), Math.round((to - from) * RATE), noteFrequency(note));

describe('the app plays voices as the WAV render does', () => {
  it('dips at least 12 dB between a note and its repeat at the same instant (repeat 3 beep 64 0.2)', async () => {
    const events = streamEvents(0.6, ({ stream, at }) => {
      at(0, () => stream.add(64, 1));
      for (const t of [0.2, 0.4]) at(t, () => { stream.remove(64, 1); stream.add(64, 1); });
      at(0.6, () => stream.remove(64, 1));
    });
    const web = await renderInPage(app.page, events, 0.7);
    const node = renderInNode(events, 0.7);
    // the level in 0.5 ms windows around each repeat, against the held level
    const dip = (samples: Float32Array, t: number) => {
      const held = rms(samples, t - 0.05, t - 0.01);
      let least = Infinity;
      for (let x = t - 0.004; x < t + 0.008; x += 0.0005) least = Math.min(least, rms(samples, x, x + 0.0005));
      return db(held) - db(least);
    };
    const rows = [0.2, 0.4].map((t) => ({ t, chromiumDb: +dip(web, t).toFixed(1), nodeDb: +dip(node, t).toFixed(1) }));
    show('re-articulation dip (dB)', rows);
    for (const row of rows) {
      expect(row.chromiumDb, JSON.stringify(rows)).toBeGreaterThanOrEqual(12);
      expect(row.nodeDb, JSON.stringify(rows)).toBeGreaterThanOrEqual(12);
    }
    // and the notes between sound at the default level, in both
    for (const samples of [web, node]) expect(Math.abs(db(amplitude(samples, 64, 0.05, 0.17)) - db(DEFAULT_LEVEL))).toBeLessThan(0.5);
  });

  it('keeps a held note within 1 dB when seven voices join, and eight default voices never clip', async () => {
    const others = [64, 67, 71, 74, 77, 81, 84];
    const events = streamEvents(1.1, ({ stream, at }) => {
      at(0, () => stream.add(60, 1));
      at(0.5, () => others.forEach((n, i) => stream.add(n, i + 2)));
    });
    const web = await renderInPage(app.page, events, 1.1);
    const node = renderInNode(events, 1.1);
    for (const [name, samples] of [['chromium', web], ['node', node]] as const) {
      const alone = amplitude(samples, 60, 0.1, 0.45);
      const joined = amplitude(samples, 60, 0.6, 1.05);
      show(`${name}: held note alone, joined (dB), peak of eight`, [+db(alone).toFixed(3), +db(joined).toFixed(3), +peak(samples).toFixed(4)]);
      expect(Math.abs(db(joined) - db(alone)), `${name}: ${alone} -> ${joined}`).toBeLessThan(1);
      expect(Math.abs(db(alone) - db(DEFAULT_LEVEL)), name).toBeLessThan(0.5);
      for (const n of others) expect(Math.abs(db(amplitude(samples, n, 0.6, 1.05)) - db(DEFAULT_LEVEL)), `${name} ${n}`).toBeLessThan(0.5);
      expect(peak(samples), name).toBeLessThan(1);
    }
  });

  it('keeps every sample within full scale with 16 voices at amp 0.3, and the tone a sine (a limiter, not clipping)', async () => {
    const events = streamEvents(1, ({ stream, at }) => {
      // in phase: sixteen tasks holding A3 at 0.3 sum to 4.8 of full scale
      at(0, () => { for (let i = 0; i < 16; i++) stream.add(57, i + 1, { level: 0.3 }); });
    });
    const web = await renderInPage(app.page, events, 1);
    const node = renderInNode(events, 1);
    show('16 voices at 0.3: peak chromium, node', [peak(web), peak(node)]);
    expect(peak(web)).toBeLessThanOrEqual(1);
    expect(peak(node)).toBeLessThanOrEqual(1);
    const f = noteFrequency(57);
    const harmonic = (samples: Float32Array, h: number) => goertzelAmplitude(samples, RATE, 0.3 * RATE, 0.5 * RATE, f * h);
    for (const [name, samples] of [['chromium', web], ['node', node]] as const) {
      // hard clipping 4.8 to 1 would leave the 3rd harmonic about 12 dB under the fundamental
      expect(db(harmonic(samples, 3)) - db(harmonic(samples, 1)), name).toBeLessThan(-40);
      expect(db(harmonic(samples, 1)), name).toBeGreaterThan(-1.5);
    }
    show('16 voices: H1 dB chromium, node; H3-H1 chromium, node', [db(harmonic(web, 1)), db(harmonic(node, 1)), db(harmonic(web, 3)) - db(harmonic(web, 1)), db(harmonic(node, 3)) - db(harmonic(node, 1))]);
    expect(Math.abs(db(harmonic(web, 1)) - db(harmonic(node, 1)))).toBeLessThan(0.5);
  });

  it('shapes a note with its envelope (env 0.1 0.1 0.5 0.2) as the WAV render does', async () => {
    const envelope = { attack: 0.1, decay: 0.1, sustain: 0.5, release: 0.2 };
    const events = streamEvents(1, ({ stream, at }) => {
      at(0, () => stream.add(69, 1, { level: 0.5, envelope }));
      at(0.5, () => stream.remove(69, 1));
    });
    const web = await renderInPage(app.page, events, 0.9);
    const node = renderInNode(events, 0.9);
    // RMS in 10 ms windows along the attack, decay, sustain and release
    const points = [0.02, 0.05, 0.09, 0.13, 0.17, 0.3, 0.45, 0.55, 0.6, 0.65];
    const rows = points.map((t) => ({ t, chromium: +db(rms(web, t, t + 0.01)).toFixed(2), node: +db(rms(node, t, t + 0.01)).toFixed(2) }));
    show('envelope RMS (dB)', rows);
    for (const row of rows) expect(Math.abs(row.chromium - row.node), JSON.stringify(rows)).toBeLessThan(0.5);
    const sustain = rms(web, 0.3, 0.45) * Math.SQRT2;
    expect(Math.abs(db(sustain) - db(0.25))).toBeLessThan(0.3);
    expect(rms(web, 0.71, 0.8)).toBeLessThan(1e-4);
  });

  it('sounds every timbre about as loud as a sine (within 1 dB RMS) and centred on zero (no DC), as the WAV render does', async () => {
    const timbres = ['sine', 'triangle', 'square', 'sawtooth', 'fm', 'am'] as const;
    const rows = [];
    for (const timbre of timbres) {
      const events = streamEvents(1, ({ stream, at }) => at(0, () => stream.add(45, 1, { timbre })));
      const web = await renderInPage(app.page, events, 1);
      const node = renderInNode(events, 1);
      rows.push({ timbre, chromiumDb: +db(rms(web, 0.2, 0.9)).toFixed(2), nodeDb: +db(rms(node, 0.2, 0.9)).toFixed(2), chromiumMean: +mean(web, 0.2, 0.9).toFixed(5), nodeMean: +mean(node, 0.2, 0.9).toFixed(5) });
      // and the same spectrum: each of the first six harmonics that is not faint within 1 dB
      const f = noteFrequency(45);
      const partial = (samples: Float32Array, h: number) => db(goertzelAmplitude(samples, RATE, 0.2 * RATE, 0.7 * RATE, f * h));
      const spectra = [1, 2, 3, 4, 5, 6].map((h) => ({ h, chromium: +partial(web, h).toFixed(2), node: +partial(node, h).toFixed(2) }));
      show(`${timbre}: harmonics (dB)`, spectra);
      for (const { h, chromium, node: inNode } of spectra) if (inNode > -60) expect(Math.abs(chromium - inNode), `${timbre} harmonic ${h}: ${JSON.stringify(spectra)}`).toBeLessThan(1);
    }
    show('timbres: RMS (dB) and mean', rows);
    for (const row of rows) {
      expect(Math.abs(row.chromiumDb - row.nodeDb), JSON.stringify(row)).toBeLessThan(1);
      expect(Math.abs(row.chromiumMean), JSON.stringify(row)).toBeLessThan(0.001);
      expect(Math.abs(row.nodeMean), JSON.stringify(row)).toBeLessThan(0.001);
    }
    for (const key of ['chromiumDb', 'nodeDb'] as const) {
      const levels = rows.map((row) => row[key]);
      expect(Math.max(...levels) - Math.min(...levels), `${key}: ${JSON.stringify(rows)}`).toBeLessThan(1);
    }
  });

  it('lets go of every voice live once it has fallen silent, in a basic timbre and in fm (the graph does not grow)', async () => {
    const { page } = app;
    for (const wave of ['triangle', 'fm']) {
      await page.locator('#waveform').selectOption(wave);
      await typeLine(page, 'chord 0.2 60 64 67');
      await until(page, () => (globalThis as any).__corotone.audio.voiceCount.held === 3);
      await until(page, () => {
        const count = (globalThis as any).__corotone.audio.voiceCount;
        return count.held === 0 && count.releasing === 0;
      });
    }
    expect(app.log).toEqual([]);
  });
});
