/**
 * The interleaving explorer in Chromium, through the toolbar's Orders button
 * on the lesson "Races at one instant": the distinct outcomes are listed,
 * with where each parts from asyncio's order; playing the second outcome
 * sounds (as the first does, where they differ only in how tasks end), and
 * an outcome that sounds otherwise has notes the first lacks (and lacks
 * notes it has) where they part, heard by analysis of what the page's
 * player played; the two timelines are drawn one above the other on one
 * time axis, the parting instant marked. Then screenshots of the explorer at 1440×900 and 1024×700
 * in both themes (COROTONE_UPDATE_SCREENSHOT=1 copies them to resources/),
 * and a script with errors, which is not explored.
 */
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { noteAmplitudes, rmsOf } from '../support/audio';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('explorer', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

const RATE = 24_000;
const LEAD = 0.25;

interface Sound {
  t: number;
  notes: number[];
}

/** Render offline, in the page, the outcome the explorer played last (the same player code), and bring the samples back. */
async function renderPreview(page: Page): Promise<Float32Array> {
  const b64 = await page.evaluate(
    async ({ rate, lead }) => {
      const audio = (globalThis as any).__corotone.audio;
      const samples: Float32Array = await audio.preview.render({ sampleRate: rate, lead, waveform: audio.waveform });
      const bytes = new Uint8Array(samples.buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { rate: RATE, lead: LEAD },
  );
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The first change of the notes where two outcomes differ, and how long until either changes again. */
function firstDifference(a: Sound[], b: Sound[]): { t: number; until: number; onlyA: number[]; onlyB: number[] } {
  const held = (s: Sound[], t: number) => [...s].reverse().find((c) => c.t <= t)?.notes ?? [];
  const times = [...new Set([...a, ...b].map((c) => c.t))].sort((x, y) => x - y);
  for (const [i, t] of times.entries()) {
    const [x, y] = [held(a, t), held(b, t)];
    const onlyA = x.filter((n) => !y.includes(n));
    const onlyB = y.filter((n) => !x.includes(n));
    if (onlyA.length + onlyB.length > 0) return { t, until: times[i + 1] ?? t + 1, onlyA, onlyB };
  }
  throw new Error('the two outcomes sound the same');
}

it('lists the outcomes of races.txt, plays the second (its notes differ from the first’s where they part) and draws both timelines', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  await page.locator('#examples').selectOption('races.txt');
  await until(page, () => (globalThis as any).__corotone.editor.editor.active.name === 'races.txt');
  await page.locator('#panic').click();
  // Where the page's timeline puts its lanes (under its piano roll), to see it unchanged once the explorer has drawn its own.
  const lanesTop = () => page.evaluate(() => (globalThis as any).__corotone.timeline.laneBoxes()[0]?.top as number);
  const topBefore = await lanesTop();

  await page.locator('#explore').click();
  await until(page, () => (globalThis as any).__corotone.explorer.result !== null, 60_000);
  const summary = await page.locator('#explorer-summary').innerText();
  const m = /^interleavings: (\d+) orders run, (\d+) distinct outcomes/.exec(summary);
  expect(m, summary).not.toBeNull();
  const distinct = Number(m![2]);
  expect(distinct).toBeGreaterThanOrEqual(2);
  const items = page.locator('#explorer-outcomes > li');
  expect(await items.count()).toBe(Math.min(distinct, 50));
  await expect.poll(() => items.nth(0).innerText()).toMatch(/^Outcome 1: asyncio's order · \d+ of \d+ orders/);
  // The second says where it parts from the first: the instant and the two tasks of races.txt.
  expect(await items.nth(1).innerText()).toMatch(/parts from outcome 1 at [\d.]+ s: task \d+ ".+" \(races\.txt:\d+\) ran before task \d+ ".+" \(races\.txt:\d+\)/);

  const sounds = (await page.evaluate(() => (globalThis as any).__corotone.explorer.result.outcomes.map((o: any) => o.sound))) as Sound[][];
  const same = (a: Sound[], b: Sound[]) => JSON.stringify(a) === JSON.stringify(b);

  // ▶ the second outcome: scheduled on the page's live audio clock, ahead of now, and it sounds.
  await items.nth(1).locator('button.outcome-play').click();
  expect(await page.evaluate(() => (globalThis as any).__corotone.audio.preview.playing)).toBe(true);
  const second = await renderPreview(page);
  expect(rmsOf(second, 0, second.length)).toBeGreaterThan(0.01);
  await items.nth(0).locator('button.outcome-play').click();
  const first = await renderPreview(page);
  if (same(sounds[0], sounds[1])) {
    // It parts from the first only in how tasks end: the list says so, and what is heard is the first's.
    expect(await items.nth(1).innerText()).toContain('sounds as outcome 1 does');
    const n = Math.min(first.length, second.length);
    const residue = new Float32Array(n).map((_, i) => first[i] - second[i]);
    expect(rmsOf(residue, 0, n)).toBeLessThan(0.02 * rmsOf(first, 0, n));
  }

  // The first outcome that sounds otherwise: where it parts from the first, each has the notes the other lacks.
  const k = sounds.findIndex((s, i) => i > 0 && !same(s, sounds[0]));
  expect(k).toBeGreaterThan(0);
  expect(await items.nth(k).innerText()).toMatch(/sounds otherwise than outcome 1 from [\d.]+ s/);
  await items.nth(k).locator('button.outcome-play').click();
  const other = await renderPreview(page);
  const diff = firstDifference(sounds[0], sounds[k]);
  const start = Math.round((LEAD + diff.t + 0.05) * RATE);
  const length = Math.round(Math.min(0.3, diff.until - diff.t - 0.1) * RATE);
  expect(length).toBeGreaterThan(RATE * 0.05);
  const notes = [...diff.onlyA, ...diff.onlyB];
  const inFirst = noteAmplitudes(first, RATE, start, length, notes);
  const inOther = noteAmplitudes(other, RATE, start, length, notes);
  for (const n of diff.onlyA) expect(inFirst.get(n)!, `note ${n} only in outcome 1`).toBeGreaterThan(8 * inOther.get(n)! + 1e-3);
  for (const n of diff.onlyB) expect(inOther.get(n)!, `note ${n} only in outcome ${k + 1}`).toBeGreaterThan(8 * inFirst.get(n)! + 1e-3);
  await page.evaluate(() => (globalThis as any).__corotone.explorer.compare(1));
  // drawn on the next frame
  await page.evaluate(() => new Promise((done) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(done))));

  // Both timelines: one above the other, each drawing its outcome's tasks, on one axis, the parting instant marked in each.
  const views = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const explorer = (globalThis as any).__corotone.explorer;
    const part = explorer.result.outcomes[1].parting.t;
    return explorer.views.map((v: any, i: number) => {
      const box = v.canvas.getBoundingClientRect();
      const mark = doc.querySelectorAll('.explorer-part')[i];
      return { top: box.top, height: box.height, tasks: v.model.taskCount, drawn: v.frameStats().drawnTasks, start: v.axis.start, pps: v.axis.pxPerSecond, markX: mark.hidden ? null : parseFloat(mark.style.left), partX: v.axis.x(part) };
    });
  });
  expect(views).toHaveLength(2);
  const [upper, lower] = views;
  expect(lower.top).toBeGreaterThanOrEqual(upper.top + upper.height - 1);
  for (const v of views) {
    expect(v.height).toBeGreaterThan(120);
    expect(v.tasks).toBeGreaterThan(5);
    expect(v.drawn).toBeGreaterThan(0);
    expect(v.markX).toBeCloseTo(v.partX, 0);
  }
  expect([lower.start, lower.pps]).toEqual([upper.start, upper.pps]);
  expect(await page.locator('#explorer-other-label').innerText()).toMatch(/^Outcome 2: parts at [\d.]+ s$/);

  // Ctrl+Alt+X closes it, and the page's timeline lays its lanes out as before; it opens it again, and Esc closes it.
  await page.keyboard.press('Control+Alt+X');
  expect(await page.locator('#explorer').isHidden()).toBe(true);
  await page.evaluate(() => new Promise((done) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(done))));
  expect(await lanesTop()).toBe(topBefore);
  await page.keyboard.press('Control+Alt+X');
  await until(page, () => (globalThis as any).document.querySelectorAll('#explorer-outcomes > li').length > 1, 60_000);
  await page.keyboard.press('Escape');
  expect(await page.locator('#explorer').isHidden()).toBe(true);
  await page.keyboard.press('Control+Alt+X');
  await until(page, () => (globalThis as any).document.querySelectorAll('#explorer-outcomes > li').length > 1, 60_000);

  // A budget past the most the host takes is brought down to it, and explored with.
  await page.locator('#explorer-budget').fill('99999');
  await page.locator('#explorer-run').click();
  expect(await page.locator('#explorer-budget').inputValue()).toBe('2000');
  await until(page, () => /^interleavings: /.test((globalThis as any).document.getElementById('explorer-summary').textContent), 60_000);
  expect(await page.locator('#explorer-summary').innerText()).toMatch(new RegExp(`^interleavings: ${m![1]} orders run, ${distinct} distinct outcomes`));
});

it('screenshots: the explorer at 1440×900 and 1024×700, dark and light', async () => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 },
  ]) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => (globalThis as any).__corotone.explorer.compare(1));
    await page.waitForTimeout(400);
    // The Orders button keeps the toolbar one row.
    const toolbar = await page.locator('.toolbar').boundingBox();
    const button = await page.locator('#explore').boundingBox();
    expect(toolbar!.height, 'toolbar').toBeLessThan(50);
    expect(button!.y + button!.height).toBeLessThanOrEqual(toolbar!.y + toolbar!.height);
    for (const selector of ['#explorer-outcomes', '#explorer-first', '#explorer-other', '#explorer-summary']) {
      const box = await page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.width, selector).toBeGreaterThan(150);
      expect(box!.x + box!.width, selector).toBeLessThanOrEqual(viewport.width + 1);
    }
    for (const theme of ['dark', 'light']) {
      const now = await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme ?? 'dark');
      if (now !== theme) await page.locator('#theme-toggle').click();
      await page.waitForTimeout(400);
      const name = `screenshot-explorer-${viewport.width}x${viewport.height}${theme === 'light' ? '-light' : ''}.png`;
      await page.screenshot({ path: resolve(ARTIFACTS, name) });
      if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, name), resolve(ROOT, 'resources', name));
    }
  }
});

it('a script with errors is not explored: the explorer and the terminal say where', async () => {
  const { page } = app;
  await page.evaluate(() => (globalThis as any).__corotone.editor.editor.open('bad.txt', 'script', 'beep C4 1\nbeep Q9 1\n'));
  await page.locator('#explorer-run').click();
  await until(page, () => /not explored/.test((globalThis as any).document.getElementById('explorer-summary').textContent), 60_000);
  expect(await page.locator('#explorer-summary').innerText()).toMatch(/^bad\.txt: not explored, 1 error to fix first: bad\.txt:2:\d+: /);
  expect(await page.locator('#explorer-outcomes > li').count()).toBe(0);
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('bad.txt:2:'));
});
