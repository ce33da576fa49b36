/**
 * Key-to-sound latency in Chromium against web mode: a line typed at a quick
 * human pace (`beep N 0.05`, one every 500 ms), timed from the Enter key's
 * event (its `timeStamp`, the page's performance clock) to the audio time the
 * page's player scheduled its note at, mapped to the performance clock by the
 * AudioContext (`getOutputTimestamp`), with and without the output latency.
 * Also counts the late events and loop-lag marks of the run. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/latency.ts [--lines N] [--speed S]
 */
import { startApp } from '../../../test/e2e/harness';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const lines = opt('--lines', 20);
const speed = opt('--speed', 1);

const app = await startApp('bench-latency');
const { page } = app;
try {
  await page.evaluate(() => {
    const w = globalThis as any;
    const a = w.__corotone;
    w.__keys = [];
    w.addEventListener('keydown', (e: any) => e.key === 'Enter' && w.__keys.push(e.timeStamp), true);
  });
  if (speed !== 1) await page.selectOption('#speed', String(speed));
  await page.locator('.xterm').click();
  const start = Date.now();
  for (let i = 0; i < lines; i++) {
    await page.keyboard.type(`beep ${50 + i} 0.05`);
    await page.keyboard.press('Enter');
    const wait = (i + 1) * 500 - (Date.now() - start);
    if (wait > 0) await page.waitForTimeout(wait);
  }
  await page.waitForTimeout(1000);
  const result = await page.evaluate((lines) => {
    const w = globalThis as any;
    const a = w.__corotone;
    const keys: number[] = w.__keys;
    // the changes the player applied, their audio times mapped to the page's clock
    const ctx = a.audio.context.rawContext as any;
    const ts = ctx.getOutputTimestamp();
    const perf0 = ts.performanceTime ?? performance.now();
    const ctx0 = ts.contextTime ?? ctx.currentTime;
    const out = (ctx.outputLatency || 0) * 1000;
    // (no named function in here: tsx would wrap it in a helper the page does not have)
    const played = (a.audio.playedChanges as { notes: number[]; at: number }[]).map((c) => ({ notes: c.notes, perf: perf0 + (c.at - ctx0) * 1000, out }));
    const scheduled: number[] = [];
    const heard: number[] = [];
    for (let i = 0; i < lines; i++) {
      const change = played.find((p) => p.notes.includes(50 + i));
      const key = keys[keys.length - lines + i];
      if (!change || key === undefined) continue;
      scheduled.push(change.perf - key);
      heard.push(change.perf - key + change.out);
    }
    let lags = 0;
    for (const lane of a.model.lanes) lags += lane.lagT.length;
    return { keys: keys.length, changes: played.length, state: a.audio.stats().state, scheduled, heard, late: a.audio.lateCount as number, lags, lookahead: a.audio.lookahead as number };
  }, lines);
  const browser = app.browser.version();
  await app.stop();
  process.stdout.write(`${JSON.stringify({ browser, lines, speed, ...result })}\n`);
} catch (error) {
  await app.stop();
  throw error;
}
process.exit(0);
