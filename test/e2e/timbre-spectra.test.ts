/**
 * Renders sound like the app: the same note in each timbre, rendered by the
 * core synthesiser in Node and by Chromium's OfflineAudioContext with the
 * nodes Tone.js builds (OscillatorNode; FMOscillator and AMOscillator rebuilt
 * from native nodes as Tone wires them), must have the same spectrum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Scheduler } from '../../src/core/scheduler';
import { FrequencyStream, noteFrequency, type StreamEvent, type Timbre } from '../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../src/core/synth';
import { goertzelAmplitude, parseWav } from '../support/audio';

const RATE = 48000;
const NOTE = 45; // 220 Hz
const F = noteFrequency(NOTE);
const HARMONICS = 8;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
});

function inNode(timbre: Timbre): Float32Array {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  stream.add(NOTE, 1, { timbre, level: 0.5 });
  scheduler.runUntilIdle();
  scheduler.spawn((function* () { stream.end(); })(), { name: 'end' });
  const { changes } = changesFromStreamEvents(events);
  return parseWav(renderToWav(changes, 1e9, { rate: RATE })).samples;
}

/** The page's half, as source (it runs in Chromium, where the DOM's audio types live). */
const RENDER_IN_PAGE = `async ({ timbre, f, rate }) => {
  const ctx = new OfflineAudioContext(1, rate, rate);
  const out = ctx.createGain();
  out.gain.value = 0.5;
  out.connect(ctx.destination);
  const osc = (type, freq) => {
    const o = ctx.createOscillator();
    o.type = type;
    o.frequency.value = freq;
    o.start(0);
    return o;
  };
  if (timbre === 'fm') {
    // Tone's FMOscillator: carrier frequency f + modulator(f * harmonicity 1) * f * index 2.
    const carrier = osc('sine', f);
    const depth = ctx.createGain();
    depth.gain.value = f * 2;
    osc('square', f).connect(depth).connect(carrier.frequency);
    carrier.connect(out);
  } else if (timbre === 'am') {
    // Tone's AMOscillator: carrier times the modulator mapped to 0..1 (AudioToGain), the gain's own value zeroed.
    const carrier = osc('sine', f);
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const toGain = ctx.createWaveShaper();
    toGain.curve = Float32Array.from({ length: 1025 }, (_, i) => i / 1024);
    osc('square', f).connect(toGain).connect(gain.gain);
    carrier.connect(gain).connect(out);
  } else osc(timbre, f).connect(out);
  return Array.from((await ctx.startRendering()).getChannelData(0));
}`;

async function inChromium(timbre: Timbre): Promise<Float32Array> {
  const samples = await page.evaluate(`(${RENDER_IN_PAGE})(${JSON.stringify({ timbre, f: F, rate: RATE })})`);
  return Float32Array.from(samples as number[]);
}

/** Harmonic amplitudes 1..HARMONICS over 0.5 s from 0.25 s. */
const spectrum = (samples: Float32Array): number[] =>
  Array.from({ length: HARMONICS }, (_, i) => goertzelAmplitude(samples, RATE, 0.25 * RATE, 0.5 * RATE, F * (i + 1)));
const db = (x: number): number => 20 * Math.log10(Math.max(x, 1e-9));

describe('a note rendered in Node and in Chromium', () => {
  for (const timbre of ['sine', 'triangle', 'square', 'sawtooth', 'fm', 'am'] as const) {
      it(`has the same spectrum in ${timbre} (harmonics within 1 dB, those above -40 dB)`, async () => {
      const node = spectrum(inNode(timbre));
      const web = spectrum(await inChromium(timbre));
      const rows = node.map((a, i) => ({ h: i + 1, node: +db(a).toFixed(2), chromium: +db(web[i]).toFixed(2) }));
      for (const row of rows) {
        if (Math.max(row.node, row.chromium) < db(0.5) - 40) continue;
        expect(Math.abs(row.node - row.chromium), JSON.stringify(rows)).toBeLessThan(1);
      }
      if (process.env.SHOW_SPECTRA) console.log(timbre, JSON.stringify(rows));
    });
  }
});
