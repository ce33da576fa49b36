/**
 * Output latency (issue 18, item 17): the audio device's buffer is most of the
 * time from a key to its sound. By default the page asks for the smallest one
 * (latencyHint 0); the status bar's choice 'normal' reopens the device with
 * Chromium's 'interactive' buffer, and the choice outlasts a reload. Read from
 * what the AudioContext reports (baseLatency, outputLatency), as the status bar
 * shows them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, waitForApp, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('output-latency');
});

afterAll(async () => {
  await app?.stop();
});

function latencies(page: Page): Promise<{ base: number; output: number; rate: number; shown: string }> {
  return page.evaluate(() => {
    const a = (globalThis as any).__corotone.audio;
    const raw = a.context.rawContext;
    return { base: raw.baseLatency, output: raw.outputLatency, rate: raw.sampleRate, shown: (globalThis as any).document.getElementById('st-latency').textContent };
  });
}

it("by default the page opens the audio device with its smallest buffer; 'normal' reopens it with a larger one, and keeps it", async () => {
  const { page } = app;
  expect(await page.inputValue('#output-latency')).toBe('low');
  const low = await latencies(page);
  // the smallest buffer Chromium gives: 128 frames
  expect(low.base).toBeLessThanOrEqual(128 / low.rate + 1e-6);

  await Promise.all([page.waitForEvent('load'), page.selectOption('#output-latency', 'normal')]);
  await waitForApp(page);
  expect(await page.inputValue('#output-latency')).toBe('normal');
  const normal = await latencies(page);
  expect(normal.base).toBeGreaterThan(low.base * 2);
  if (low.output > 0 && normal.output > 0) expect(normal.output).toBeGreaterThan(low.output);

  // back to low, after another reload
  await Promise.all([page.waitForEvent('load'), page.selectOption('#output-latency', 'low')]);
  await waitForApp(page);
  expect((await latencies(page)).base).toBeCloseTo(low.base, 6);
});
