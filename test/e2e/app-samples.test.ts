/**
 * `sample` in the app, in Chromium through web mode: an audio file dropped on
 * the window is taken in (decoded by the host), `sample NAME` typed in the
 * terminal then sounds it (heard at the page's output: its pitch, A4), and
 * web mode's path rules answer a path out of its folder with a located error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequencies } from '../support/audio';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';
import { db, renderInNodeStereo, renderInPageStereo, rms, streamEvents } from '../support/e2e/voices-render';
import { SAMPLE_KEY } from '../../src/core/stream/voice';
import { SampleBank } from '../../src/core/synth/sample-bank';
import { SampleFiles } from '../../src/node/samples/sample-files';

const FIXTURE = join(import.meta.dirname, '../node/samples/fixtures/a4.flac');

let app: AppUnderTest;
beforeAll(async () => {
  app = await startApp('samples');
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

/** Record the page's output from now on (mono, its first channel), block by block. */
async function record(): Promise<void> {
  await app.page.evaluate(async () => {
    const corotone = (globalThis as any).__corotone;
    const raw = corotone.audio.context.rawContext;
    const code = `registerProcessor('corotone-tape', class extends AudioWorkletProcessor {
      process(inputs) { const ch = inputs[0][0]; if (ch) this.port.postMessage(Array.from(ch)); return true; } });`;
    await raw.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    const node = new (globalThis as any).AudioWorkletNode(raw, 'corotone-tape', { numberOfInputs: 1, numberOfOutputs: 1 });
    const tape: number[][] = [];
    node.port.onmessage = (e: MessageEvent) => tape.push(e.data);
    corotone.audio.tap(node);
    node.connect(raw.destination);
    (globalThis as any).__tape = tape;
  });
}

describe('samples in the app', () => {
  it('an audio file dropped on the window plays with `sample NAME` typed in the terminal', async () => {
    const { page } = app;
    const bytes = [...readFileSync(FIXTURE)];
    await page.evaluate((data) => {
      const g = globalThis as any;
      const transfer = new g.DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'a4.flac', { type: 'audio/flac' }));
      g.window.dispatchEvent(new g.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('a4.flac: 0.25 s, ready: sample a4.flac'));
    await record();
    await typeLine(page, 'race sample a4.flac loop | wait 2');
    // wait for sound, then take 0.5 s of it
    await until(page, () => ((globalThis as any).__tape as number[][]).some((b) => b.some((x) => Math.abs(x) > 0.01)));
    await page.waitForTimeout(700);
    const { samples, rate } = await page.evaluate(() => {
      const tape = (globalThis as any).__tape as number[][];
      const loud = tape.findIndex((b) => b.some((x) => Math.abs(x) > 0.01));
      return { samples: tape.slice(loud, loud + 180).flat(), rate: (globalThis as any).__corotone.audio.context.sampleRate as number };
    });
    expect(samples.length).toBeGreaterThan(rate * 0.4);
    let sum = 0;
    for (const x of samples) sum += x * x;
    expect(Math.sqrt(sum / samples.length)).toBeGreaterThan(0.005);
    expect(dominantFrequencies(samples, rate, 0, samples.length)[0].freq).toBeCloseTo(440, -1);
    expect(app.log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  }, 60_000);

  it('the app plays a sample as --wav does: RMS envelope within 1 dB, at rate 1.5 from its middle', async () => {
    // the dropped file, as the page holds it (the first test dropped it) and as the host decoded it
    const bank = new SampleBank();
    bank.add(null, 'a4.flac', 'dropped/a4.flac', await new SampleFiles().decodeBytes('a4.flac', readFileSync(FIXTURE)));
    const events = streamEvents(1, ({ stream, at }) => {
      at(0, () => stream.add(SAMPLE_KEY, 1, { level: 0.5, sample: { id: 'dropped/a4.flac', start: 0, end: 1, ns: 250_000_000 } }));
      at(0.4, () => stream.add(SAMPLE_KEY, 1, { level: 0.5, rate: 1.5, pan: 0.5, sample: { id: 'dropped/a4.flac', start: 0.5, end: 1, ns: 83_333_333 } }));
    });
    const [web] = await renderInPageStereo(app.page, events, 0.6);
    const [node] = renderInNodeStereo(events, 0.6, bank);
    let rows = 0;
    for (let t = 0; t + 0.01 <= 0.6; t += 0.01) {
      const n = rms(node, t, t + 0.01);
      if (db(n) < -40) continue;
      rows++;
      expect(Math.abs(db(rms(web, t, t + 0.01)) - db(n)), `at ${t.toFixed(2)} s`).toBeLessThan(1);
    }
    expect(rows).toBeGreaterThan(25);
  }, 60_000);

  it('web mode refuses a path out of its folder with a located error in the terminal', async () => {
    const { page } = app;
    await typeLine(page, 'sample ../../etc/passwd');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('web mode reads no path with ".."'));
    const screen = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText() as string);
    // located at the line typed, with what it found and what it expected (the terminal wraps the message)
    expect(screen).toMatch(/terminal:\d+:1: error: web mode reads no path with "\.\."/);
    expect(screen).toContain("../../etc/passwd would leave the script's folder");
    expect(screen).toContain('expected: a path under the folder web mode serves, without ".."');
  }, 60_000);
});
