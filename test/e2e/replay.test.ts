/**
 * Replay from here in Chromium, through the timeline's button: play typed
 * lines (a loop with chance, a long note, a bpm), pause, click a moment of the
 * timeline, press ⟲ Replay: the page's timeline is then the original up to
 * that moment (the same tasks, their states, the notes held), paused there;
 * Continue plays on from it. Screenshots of the button and the picked moment
 * at 1440×900 and 1024×700 in both themes go to test-artifacts/.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('replay', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

/** What the page's timeline shows at logical time `t`: the tasks alive then (id, name, state), every task begun by then (and how it ended, if by then), the notes sounding. */
function shownAt(t: number) {
  return app.page.evaluate((t) => {
    const model = (globalThis as any).__corotone.model;
    const names = ['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled'];
    const alive: string[] = [];
    const begun: string[] = [];
    for (const lane of model.lanes) {
      for (const task of lane.tasks) {
        if (task.start > t + 1e-9) continue;
        const ended = !Number.isNaN(task.end) && task.end <= t + 1e-9;
        begun.push(`${task.id} ${task.name} from ${task.start.toFixed(6)}${ended ? ` to ${task.end.toFixed(6)} ${names[task.state]}` : ''}`);
        if (ended) continue;
        let state = task.segState[0];
        for (let i = 0; i < task.segStart.length; i++) if (task.segStart[i] <= t + 1e-9) state = task.segState[i];
        alive.push(`${task.id} ${task.name} ${names[state] ?? state}`);
      }
    }
    const notes = (model.noteBars as { note: number; start: number; end: number }[])
      .filter((b) => b.start <= t + 1e-9 && (Number.isNaN(b.end) || b.end > t + 1e-9))
      .map((b) => b.note)
      .sort((a, b) => a - b);
    return { alive: alive.sort(), begun: begun.sort(), notes: [...new Set(notes)] };
  }, t);
}

it('plays, picks a moment, replays from it: the timeline is the original up to there, paused; then it goes on', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  await typeLine(page, 'bpm 120');
  await typeLine(page, 'live a beep choose(60,64,67) 0.25');
  await page.waitForTimeout(400);
  await typeLine(page, 'beep 72 8 &');
  await page.waitForTimeout(300);
  await typeLine(page, 'live b beep 48 0.5; wait 0.25');
  await page.waitForTimeout(1500);
  await page.locator('#pause').click();
  await until(page, () => (globalThis as any).document.getElementById('st-clock').innerText.startsWith('paused at t ='));
  expect(await page.locator('#replay').isDisabled()).toBe(true);

  // Click a moment: a little before the present, after every line typed.
  const now = await page.evaluate(() => (globalThis as any).__corotone.timelineNow() as number);
  const target = now - 0.6;
  const canvas = await page.locator('#timeline-canvas').boundingBox();
  const x = await page.evaluate((t) => (globalThis as any).__corotone.timeline.axis.x(t) as number, target);
  await page.mouse.click(canvas!.x + x, canvas!.y + canvas!.height - 8);
  await until(page, () => (globalThis as any).__corotone.timeline.drawnPickLabel !== null);
  expect(await page.evaluate(() => (globalThis as any).__corotone.timeline.drawnPickLabel)).toMatch(/^▾ \d+\.\d\d s$/);
  const picked = await page.evaluate(() => (globalThis as any).__corotone.timeline.picked as number);
  expect(Math.abs(picked - target)).toBeLessThan(0.05);
  expect(await page.locator('#replay').isDisabled()).toBe(false);
  const original = await shownAt(picked);
  expect(original.alive.some((task) => task.includes('live a beep choose(60,64,67) 0.25'))).toBe(true);
  expect(original.notes).toContain(72);
  await screenshots('replay-picked');

  const sessionBefore = await page.evaluate(() => (globalThis as any).__corotone.feed.sessionId as string);
  await page.locator('#replay').click();
  await page.waitForFunction((before) => (globalThis as any).__corotone.feed.sessionId !== before, sessionBefore, { timeout: 15_000, polling: 50 });
  // Paused at the moment picked, and the timeline is the original up to it.
  const label = `paused at t = ${picked.toFixed(2)} s`;
  await page.waitForFunction((label) => (globalThis as any).document.getElementById('st-clock').innerText === label, label, { timeout: 15_000, polling: 50 });
  const rebuilt = await shownAt(picked);
  expect(rebuilt.alive).toEqual(original.alive);
  expect(rebuilt.notes).toEqual(original.notes);
  // Every task up to the moment, when it began and how it ended: the events up to there, as the timeline draws them.
  expect(rebuilt.begun).toEqual(original.begun);
  // Nothing after the moment is shown.
  expect(await page.evaluate(() => (globalThis as any).__corotone.model.latest as number)).toBeLessThanOrEqual(picked + 1e-9);
  await screenshots('replay-replayed');

  // Continue: it plays on from the moment.
  await page.locator('#pause').click();
  await until(page, () => /^t \d/.test((globalThis as any).document.getElementById('st-clock').innerText));
  await page.waitForTimeout(800);
  const later = await page.evaluate(() => (globalThis as any).__corotone.timelineNow() as number);
  expect(later).toBeGreaterThan(picked + 0.3);
  // The loops played notes after the moment.
  const newNotes = await page.evaluate((t) => ((globalThis as any).__corotone.model.noteBars as { start: number }[]).filter((b) => b.start > t).length, picked);
  expect(newNotes).toBeGreaterThan(0);
  expect(app.log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
});

/** The page at 1440×900 and 1024×700, in the dark and the light theme. */
async function screenshots(name: string): Promise<void> {
  const { page } = app;
  for (let turn = 0; turn < 2; turn++) {
    if (turn > 0) await page.locator('#theme-toggle').click();
    const theme = (await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme as string | undefined)) ?? 'dark';
    for (const [w, h] of [
      [1440, 900],
      [1024, 700],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(150);
      await page.screenshot({ path: resolve(ARTIFACTS, `${name}-${w}x${h}-${theme}.png`) });
    }
  }
  await page.locator('#theme-toggle').click();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(150);
}
