/**
 * The app's effects, heard: a note through each effect rendered by the page's
 * scheduler and player (its AudioWorklet chain) in an OfflineAudioContext and
 * by the core synth in Node (what --wav renders). Their spectra and RMS
 * envelopes, tails included, agree within 1 dB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteFrequency, type Effect, type Timbre } from '../../src/core/stream';
import { goertzelAmplitude } from '../support/audio';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { RATE, db, renderInNode, renderInPage, rms, streamEvents } from '../support/e2e/voices-render';

let app: AppUnderTest;
beforeAll(async () => {
  app = await startApp('fx');
  await app.page.waitForFunction(() => (globalThis as any).__corotone.audio.limited === true);
});
afterAll(async () => {
  await app?.stop();
});

const show = (label: string, value: unknown) => {
  if (process.env.SHOW_VOICES) console.log(label, JSON.stringify(value));
};

const NOTE = 45; // A3, 220 Hz
const SECONDS = 1.6;
const cases: { name: string; timbre: Timbre; fx: Effect[] }[] = [
  { name: 'lpf 800 res=4', timbre: 'sawtooth', fx: [{ type: 'lpf', hz: 800, res: 4 }] },
  { name: 'hpf 1000', timbre: 'sawtooth', fx: [{ type: 'hpf', hz: 1000, res: Math.SQRT1_2 }] },
  { name: 'delay 0.2 0.5', timbre: 'sine', fx: [{ type: 'delay', ns: 200_000_000, feedback: 0.5 }] },
  { name: 'reverb 0.7', timbre: 'sine', fx: [{ type: 'reverb', room: 0.7 }] },
  { name: 'distort 0.6, then reverb', timbre: 'sine', fx: [{ type: 'distort', amount: 0.6 }, { type: 'reverb', room: 0.5 }] },
];

describe('the app plays effects as the WAV render does', () => {
  for (const c of cases) {
    it(`${c.name}: spectrum and RMS envelope (with the tail) within 1 dB`, async () => {
      const events = streamEvents(0.3, ({ stream, at }) => {
        at(0, () => stream.add(NOTE, 1, { level: 0.2, timbre: c.timbre, fx: c.fx }));
        at(0.3, () => stream.remove(NOTE, 1));
      });
      const web = await renderInPage(app.page, events, SECONDS, undefined, SECONDS);
      const node = renderInNode(events, SECONDS);
      // the RMS envelope in 50 ms windows, where either is above -60 dBFS
      const envelope = [];
      for (let t = 0; t + 0.05 <= SECONDS; t += 0.05) envelope.push({ t: +t.toFixed(2), chromium: db(rms(web, t, t + 0.05)), node: db(rms(node, t, t + 0.05)) });
      const loud = envelope.filter((w) => Math.max(w.chromium, w.node) > -60);
      show(`${c.name}: RMS (dB)`, loud.map((w) => [w.t, +w.chromium.toFixed(2), +w.node.toFixed(2)]));
      expect(loud.length).toBeGreaterThan(4);
      for (const w of loud) expect(Math.abs(w.chromium - w.node), `${c.name} at ${w.t} s`).toBeLessThan(1);
      // the spectrum of the held note: its first 16 harmonics, where above -70 dBFS
      const f = noteFrequency(NOTE);
      const spectrum = (s: Float32Array, h: number) => db(goertzelAmplitude(s, RATE, 0.05 * RATE, 0.2 * RATE, f * h));
      for (let h = 1; h <= 16; h++) {
        const [a, b] = [spectrum(web, h), spectrum(node, h)];
        if (Math.max(a, b) > -70) expect(Math.abs(a - b), `${c.name}: harmonic ${h} (${a.toFixed(1)} vs ${b.toFixed(1)} dB)`).toBeLessThan(1);
      }
    });
  }
});

describe('live effects', () => {
  it('makes one chain for the notes that share it, and lets it go once its tail is over', async () => {
    const { page } = app;
    await typeLine(page, 'chord 0.3 60 64 fx=delay:0.05:0.3 fx=lpf:2000');
    await until(page, () => (globalThis as any).__corotone.audio.voiceCount.held === 2);
    expect(await page.evaluate(() => (globalThis as any).__corotone.audio.voiceCount.chains)).toBe(1);
    await until(page, () => {
      const count = (globalThis as any).__corotone.audio.voiceCount;
      return count.held === 0 && count.releasing === 0 && count.chains === 0;
    });
    expect(app.log).toEqual([]);
  });
});
