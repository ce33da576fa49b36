/**
 * The timeline as a newcomer tried it (issue 18, items 9 to 14): Ctrl+wheel
 * zooms in small steps between the whole session and 1 ms, never before 0;
 * nothing is drawn past the now-cursor; a collapsed lane takes its connectors
 * with it. Each reads the canvas (its pixels, or what it says it drew) in
 * Chromium, and saves a screenshot in test-artifacts/ to look at.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('timeline-newcomer', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(resolve(ARTIFACTS, `timeline-newcomer-${name}.png`), await page.screenshot());
}

function axis(page: Page): Promise<{ pps: number; start: number; span: number; width: number }> {
  return page.evaluate(() => {
    const { timeline } = (globalThis as any).__corotone;
    timeline.frame(true);
    const a = timeline.axis;
    return { pps: a.pxPerSecond, start: a.start, span: a.width / a.pxPerSecond, width: a.width };
  });
}

async function ctrlWheel(page: Page, notches: number): Promise<void> {
  await page.keyboard.down('Control');
  for (let i = 0; i < Math.abs(notches); i++) await page.mouse.wheel(0, notches > 0 ? -100 : 100);
  await page.keyboard.up('Control');
  await page.waitForTimeout(100);
}

it('draws no bar and no note past the now-cursor while a script plays', async () => {
  const { page } = app;
  // a long lookahead, as a busy machine wants: the notes are sent half a second before they are heard
  await page.locator('#lookahead').fill('500');
  await page.locator('#lookahead').press('Tab');
  await openScript(page, 'ahead.txt', 'repeat 40 beep 60 0.15; beep 67 0.15\n');
  await until(page, () => {
    const { model } = (globalThis as any).__corotone;
    const lane = model.lanes.find((l: any) => l.name === 'ahead.txt');
    return lane && lane.busy > 0 && model.noteBars.length > 8;
  });
  // the colours of bars and notes, and how many pixels right of the cursor have one
  const ahead = await page.evaluate(() => {
    const { timeline, clock } = (globalThis as any).__corotone;
    timeline.frame(true);
    const now = clock.timelineNow();
    const canvas = timeline.canvas as any;
    const ctx = canvas.getContext('2d');
    const dpr = canvas.width / canvas.getBoundingClientRect().width;
    const x0 = Math.ceil((timeline.axis.x(now) + 3) * dpr);
    const x1 = Math.floor((timeline.axis.width - 14) * dpr);
    const doc = (globalThis as any).document;
    const probe = doc.createElement('canvas').getContext('2d');
    const rgb = (css: string) => {
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      return Array.from((probe.getImageData(0, 0, 1, 1).data as Uint8ClampedArray).slice(0, 3)).join(',');
    };
    const styles = (globalThis as any).getComputedStyle(canvas);
    const names = ['running', 'sleeping', 'waiting', 'done', 'ready'];
    const marked = new Set([...names.map((n) => rgb(styles.getPropertyValue(`--tl-${n}`).trim() || '#000')), rgb(styles.getPropertyValue('--tl-note').trim() || '#000')]);
    const data = ctx.getImageData(x0, 22 * dpr, Math.max(1, x1 - x0), canvas.height - 22 * dpr).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (marked.has(`${data[i]},${data[i + 1]},${data[i + 2]}`)) count++;
    return { count, columns: x1 - x0, latest: timeline.model.latest, now };
  });
  await shot(page, 'ahead');
  expect(ahead.columns).toBeGreaterThan(50);
  expect(ahead.count).toBe(0);
});

it('zooms by about ×1.25 a Ctrl+wheel notch, between the whole session and 1 ms, and never shows time before 0', async () => {
  const { page } = app;
  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 60);
  const before = await axis(page);
  await ctrlWheel(page, 1);
  const one = await axis(page);
  expect(one.pps / before.pps).toBeGreaterThan(1.15);
  expect(one.pps / before.pps).toBeLessThan(1.4);
  // far in: no closer than 1 ms across the width
  await ctrlWheel(page, 60);
  const closest = await axis(page);
  expect(closest.span).toBeGreaterThanOrEqual(0.001 * 0.999);
  expect(closest.span).toBeLessThan(0.01);
  // far out: the whole session at most, and nothing before its start
  await ctrlWheel(page, -90);
  const whole = await axis(page);
  await shot(page, 'zoomed-out');
  const end = await page.evaluate(() => {
    const { model, clock } = (globalThis as any).__corotone;
    return Math.max(model.latest, clock.timelineNow()) as number;
  });
  expect(whole.start).toBeGreaterThanOrEqual(0);
  // the session, with Follow's room after now (15 %) and a second to spare
  expect(whole.span).toBeLessThan(end / 0.85 + 1);
  expect(whole.span).toBeGreaterThan(end * 0.9);
});

it('hides a collapsed lane\'s wait and cancel connectors with it', async () => {
  const { page } = app;
  const drawn = await page.evaluate(() => {
    const { timeline, model, clock } = (globalThis as any).__corotone;
    timeline.setFollow(false);
    const t = clock.timelineNow() - 2; // heard already: drawn
    let id = 9_200_000;
    const make = (name: string, source: string, parent: number | null) => {
      model.apply({ type: 'task-created', t, wall: t, id: ++id, parent, name, kind: 'line', source, pos: null });
      model.apply({ type: 'task-running', t, wall: t, id });
      return id;
    };
    // a group in one lane: a waits on b and c; b fails and cancels c
    const a = make('group b | c', 'grouped.txt', null);
    const b = make('b', 'grouped.txt', a);
    const c = make('c', 'grouped.txt', a);
    model.apply({ type: 'task-waiting', t, wall: t, id: a, on: { kind: 'tasks', ids: [b, c] } });
    model.apply({ type: 'task-failed', t: t + 0.5, wall: t + 0.5, id: b, error: { name: 'Error', message: 'boom' } });
    model.apply({ type: 'task-cancelled', t: t + 0.5, wall: t + 0.5, id: c, by: b, reason: 'group-failure' });
    model.apply({ type: 'task-failed', t: t + 0.5, wall: t + 0.5, id: a, error: { name: 'Error', message: 'boom' } });
    // an open lane below it with a task of its own
    const d = make('other', 'below.txt', null);
    model.apply({ type: 'task-done', t: t + 1, wall: t + 1, id: d });
    const grouped = model.lanes.find((l: any) => l.name === 'grouped.txt');
    const below = model.lanes.find((l: any) => l.name === 'below.txt');
    for (const lane of model.lanes) if (!timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    if (timeline.laneCollapsed(below)) timeline.toggleLane(below);
    timeline.fit(t - 0.5, t + 1.5);
    timeline.scrollY = 0;
    timeline.frame(true);
    const collapsed = timeline.frameStats().drawnConnectors;
    timeline.toggleLane(grouped);
    timeline.frame(true);
    const open = timeline.frameStats().drawnConnectors;
    timeline.toggleLane(grouped);
    timeline.frame(true);
    return { collapsed, open };
  });
  await shot(page, 'collapsed-connectors');
  expect(drawn.open).toBeGreaterThanOrEqual(3);
  expect(drawn.collapsed).toBe(0);
});

it('the Exceptions lesson says which construct failed and what it did to the others, and its bars keep their names clear of the ✕', async () => {
  const { page } = app;
  const script = readFileSync(resolve(ROOT, 'resources/examples/exceptions.txt'), 'utf8');
  await openScript(page, 'exceptions.txt', script);
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('group: square-7'), 30_000);
  const text = (await terminalText(page)).replace(/\s+/g, ' '); // as read, whatever the wrap
  expect(text).toContain('gather: square-7 failed; square-5, square-6, square-8 play on');
  expect(text).toContain('group: square-7 failed; cancelled square-5, square-6, square-8');
  // the view as Follow fitted it to the lesson, a moment after the group failed
  await page.waitForTimeout(500);
  type Box = { x: number; y: number; w: number; text: string };
  const drawn: { labels: Box[]; crosses: { x: number; y: number; size: number }[] } = await page.evaluate(() => {
    const { timeline } = (globalThis as any).__corotone;
    timeline.frame(true);
    const ctx = timeline.canvas.getContext('2d');
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    const { labels, crosses } = timeline.labelsDrawn();
    // a label covers its text's width, cut at its bar's end
    return { labels: labels.map((l: any) => ({ ...l, w: Math.min(l.w, ctx.measureText(l.text).width) })), crosses };
  });
  await shot(page, 'exceptions');
  const names = drawn.labels.map((l) => l.text);
  expect(names.some((n) => n.startsWith('gather square-5'))).toBe(true);
  expect(names.some((n) => n.startsWith('group square-5'))).toBe(true);
  expect(drawn.crosses.length).toBeGreaterThanOrEqual(2);
  const overlaps = drawn.crosses.flatMap((c) =>
    drawn.labels.filter((l) => c.x < l.x + l.w && c.x + c.size > l.x && c.y < l.y + 6 && c.y + c.size > l.y - 6).map((l) => l.text),
  );
  expect(overlaps).toEqual([]);
});

it('a replaced live loop shows the body that plays now: its bar, `tasks`, the lit line; the swap mark says what it is', async () => {
  const { page } = app;
  await openScript(page, 'live.txt', 'live drums beep 60 0.2; wait 0.2\nwait 1.5\nlive drums beep 72 0.2; wait 0.2\nwait 30\n');
  // the new body has been heard for a while
  await until(
    page,
    () => {
      const { model, clock } = (globalThis as any).__corotone;
      const lane = model.lanes.find((l: any) => l.name === 'live.txt');
      return lane && lane.swaps.length > 0 && lane.swaps[0].t < clock.timelineNow() - 0.5;
    },
    20_000,
  );
  // the script's buffer in the editor (the pane opens beside the timeline, which narrows)
  const shown = await page.evaluate(() => (globalThis as any).__corotone.editor.goTo('live.txt', 1, 1, false) as boolean);
  await page.waitForTimeout(300);
  const seen = await page.evaluate(() => {
    const { model, clock, timeline, editor } = (globalThis as any).__corotone;
    timeline.resize();
    const lane = model.lanes.find((l: any) => l.name === 'live.txt');
    const swap = lane.swaps[0];
    timeline.setFollow(false);
    timeline.fit(swap.t - 1, clock.timelineNow());
    timeline.frame(true);
    const at = timeline.locate(swap.task.id);
    return {
      labels: timeline.labelsDrawn().labels.map((l: any) => l.text) as string[],
      lit: [...editor.linesAt(clock.timelineNow()).keys()] as number[],
      x: timeline.axis.x(swap.t) as number,
      y: at ? (at.y as number) : -1,
    };
  });
  await shot(page, 'live-swap');
  expect(seen.labels.some((l) => l.includes('live drums beep 72 0.2; wait 0.2'))).toBe(true);
  expect(seen.labels.some((l) => l.includes('beep 60'))).toBe(false);
  expect(shown).toBe(true);
  expect(seen.lit).toContain(3);
  expect(seen.lit).not.toContain(1);
  // the swap mark has a tooltip, and the legend a place for it
  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  expect(seen.y).toBeGreaterThan(0);
  await page.mouse.move(box.x + seen.x, box.y + seen.y);
  await page.waitForTimeout(100);
  expect(await page.locator('#tooltip').textContent()).toMatch(/live drums: a new body from here.*live drums beep 72/);
  expect(await page.locator('.legend').textContent()).toContain('new body');
  await typeLine(page, 'tasks');
  const listed = (await until(page, () => {
    const text = (globalThis as any).__corotone.terminal.screenText() as string;
    const i = text.lastIndexOf('> tasks');
    return i >= 0 && text.slice(i).includes('live drums') ? text.slice(i) : '';
  })) as string;
  // the table wraps a long command inside its column, on the next rows of the table
  const unwrapped = listed.replace(/\s+/g, ' ');
  expect(unwrapped).toContain('live drums beep 72 0.2; wait 0.2');
  expect(unwrapped).not.toContain('beep 60');
});

it('a block stays on the screen after it has played: its bar keeps its length, the melody shows the gap, and the status bar time never goes back', async () => {
  const { page } = app;
  await page.evaluate(() => {
    // the status bar's time, read every 50 ms from now on, as a user watching it
    const w = globalThis as any;
    w.__times = [] as number[];
    w.__timer = setInterval(() => w.__times.push(parseFloat(w.document.getElementById('st-time').textContent)), 50);
  });
  await openScript(page, 'blocking.txt', 'loop beep 72 0.25; beep 76 0.25 &\nwait 1\nblock 1.5\nwait 1.5\nstop\n');
  await until(
    page,
    () => {
      const { model, clock } = (globalThis as any).__corotone;
      const lane = model.lanes.find((l: any) => l.name === 'blocking.txt');
      return lane && lane.busy === 0 && lane.tasks.length > 3 && clock.timelineNow() > lane.lastEnd + 0.5;
    },
    20_000,
  );
  const seen = await page.evaluate(() => {
    const w = globalThis as any;
    clearInterval(w.__timer);
    const { model, timeline } = w.__corotone;
    const lane = model.lanes.find((l: any) => l.name === 'blocking.txt');
    const block = lane.tasks.find((t: any) => t.name === 'block 1.5');
    if (timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    timeline.setFollow(false);
    timeline.fit(lane.playedFrom, lane.lastEnd + 0.5);
    timeline.frame(true);
    // the longest silence between two notes of the melody while the block held
    const starts = model.noteBars.filter((b: any) => b.start >= lane.playedFrom).map((b: any) => b.start).sort((a: number, b: number) => a - b);
    let gap = 0;
    for (let i = 1; i < starts.length; i++) gap = Math.max(gap, starts[i] - starts[i - 1]);
    const backs = (w.__times as number[]).filter((t, i, all) => i > 0 && t < all[i - 1]).length;
    const drops = (w.__times as number[]).map((t, i, all) => (i > 0 && t < all[i - 1] ? `${all[i - 1]}->${t}` : "")).filter(Boolean);
    return { length: block.end - block.start, gap, backs, drops, samples: w.__times.length, shown: timeline.locate(block.id) !== null };
  });
  await shot(page, 'block');
  expect(seen.length).toBeGreaterThan(1.3);
  expect(seen.shown).toBe(true);
  expect(seen.gap).toBeGreaterThan(1.2);
  expect(seen.samples).toBeGreaterThan(20);
  expect(seen.drops).toEqual([]);
  expect(seen.backs).toBe(0);
});
