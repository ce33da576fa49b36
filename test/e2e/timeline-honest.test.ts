/**
 * Honest marks (issue 10, item 5): typing at a quick human pace (20 lines in
 * 10 s) and a ½× replay make no late audio events unless the host or the page
 * really stalled for longer than the lookahead, and every loop-lag mark stands
 * for a real stall of the host's event loop (measured here: the host of web
 * mode runs in this process; the page's as the long tasks Chromium reports). On an
 * idle machine: no late event and no mark. (A machine busy with other work
 * stalls the page too: a late note then was blamed on a host that had not stalled.)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openScript, startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('timeline-honest');
});

afterAll(async () => {
  await app?.stop();
});

interface Marks {
  late: number;
  lateBy: number[];
  lags: number[];
}

/** The late events so far, and the loop-lag marks of `source`'s lane (or of every lane). */
function marks(page: Page, source?: string): Promise<Marks> {
  return page.evaluate((source) => {
    const a = (globalThis as any).__corotone;
    const lags: number[] = [];
    for (const lane of a.model.lanes) if (source === undefined || lane.name === source) lags.push(...lane.lagLate);
    return { late: a.audio.lateCount as number, lateBy: [...a.model.lateBy] as number[], lags };
  }, source);
}

/**
 * Runs `work` while the host's event-loop delay is measured (ms, worst seen),
 * and the page's long tasks: a note is late when either thread stalled (the page's
 * does on a machine busy with other work), so each is a stall that can excuse one.
 */
async function withLoopDelay<T>(page: Page, work: () => Promise<T>): Promise<{ value: T; worstMs: number; pageWorstMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 2 });
  await page.evaluate(() => {
    // Long tasks (over 50 ms) of the page's main thread, as Chromium reports them.
    const probe = { worst: 0, observer: new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.worst = Math.max(probe.worst, entry.duration);
    }) };
    (probe.observer as any).observe({ type: 'longtask' }); // a browser entry type Node's typings do not list
    (globalThis as any).__stallProbe = probe;
  });
  h.enable();
  try {
    const value = await work();
    const pageWorstMs = await page.evaluate(() => {
      const probe = (globalThis as any).__stallProbe;
      probe.observer.disconnect();
      return probe.worst as number;
    });
    return { value, worstMs: h.max / 1e6, pageWorstMs };
  } finally {
    h.disable();
  }
}

/**
 * Late events only where the host or the page stalled for longer than the notes' lead (the lookahead,
 * 50 ms; a typed line's, the input lookahead; none at all on a machine where neither stalled), and
 * each no later than the longer stall.
 */
function expectHonestLate(lateBy: readonly number[], stalls: { worstMs: number; pageWorstMs: number }, leadMs = 50): void {
  const worst = Math.max(stalls.worstMs, stalls.pageWorstMs);
  if (worst < leadMs) expect(lateBy).toEqual([]);
  for (const late of lateBy) expect(late * 1000).toBeLessThanOrEqual(worst);
}

/** Every loop-lag mark is no later than a stall the host's loop really had (a small allowance for the timer's own ms). */
function expectHonestLags(lags: readonly number[], worstMs: number): void {
  for (const late of lags) expect(late * 1000).toBeLessThanOrEqual(worstMs + 5);
}

it('typing 20 lines in 10 s makes no late events, and no loop-lag mark without a stall behind it', async () => {
  const { page } = app;
  await page.locator('.xterm').click();
  const stalls = await withLoopDelay(page, async () => {
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.type(i % 5 === 4 ? 'tasks' : `beep ${60 + i} 0.1`);
      await page.keyboard.press('Enter');
      const wait = (i + 1) * 500 - (Date.now() - start);
      if (wait > 0) await page.waitForTimeout(wait);
    }
    await page.waitForTimeout(500);
  });
  const m = await marks(page);
  console.log(
    `typing: ${m.late} late events ${JSON.stringify(m.lateBy.map((s) => +(s * 1000).toFixed(1)))}, ${m.lags.length} loop-lag marks, ` +
      `worst stall of the host ${stalls.worstMs.toFixed(1)} ms, of the page ${stalls.pageWorstMs.toFixed(1)} ms`,
  );
  // typed lines are placed with the input lookahead: a stall longer than it can make one late
  const inputMs = await page.evaluate(() => (globalThis as any).__corotone.audio.inputLookahead * 1000);
  expectHonestLate(m.lateBy, stalls, inputMs);
  expectHonestLags(m.lags, stalls.worstMs);
});

it('a ½× replay makes no late events, and no loop-lag mark without a stall behind it', async () => {
  const { page } = app;
  const before = await marks(page);
  await page.selectOption('#speed', '0.5');
  await until(page, () => (globalThis as any).__corotone.audio.speed === 0.5);
  // what Save session writes: the lines with the waits between them
  const replay = Array.from({ length: 12 }, (_, i) => `beep ${62 + (i % 7)} 0.1\nwait 0.25`).join('\n');
  const stalls = await withLoopDelay(page, async () => {
    await openScript(page, 'replay.txt', `${replay}\n`);
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'replay.txt');
      return lane && lane.tasks.length > 20 && lane.busy === 0;
    }, 30_000);
  });
  const m = await marks(page, 'replay.txt');
  const lags = m.lags;
  console.log(
    `½× replay: ${m.late - before.late} late events, ${lags.length} loop-lag marks, ` +
      `worst stall of the host ${stalls.worstMs.toFixed(1)} ms, of the page ${stalls.pageWorstMs.toFixed(1)} ms`,
  );
  expectHonestLate(m.lateBy.slice(before.lateBy.length), stalls);
  expectHonestLags(lags, stalls.worstMs);
  await page.selectOption('#speed', '1');
});
