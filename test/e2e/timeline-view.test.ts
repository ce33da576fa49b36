/**
 * The timeline through a session (issue 10, items 1, 2 and 5): idle sources
 * collapse to a header and the playing one stays in view; the wheel scrolls,
 * Ctrl+wheel zooms; a started script gets the view fitted to it; failure,
 * loop-lag, late-event and engine-behind marks differ and say what they are.
 * Each reads the canvas's state from the page (what is drawn where) and the
 * DOM (the tooltip).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, openScript, startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('timeline-view', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

interface LaneState {
  name: string;
  top: number;
  bottom: number;
  collapsed: boolean;
  busy: number;
}

/** The lanes as the canvas draws them now, and the space the lanes have. */
function lanes(page: Page): Promise<{ lanes: LaneState[]; lanesTop: number; height: number }> {
  return page.evaluate(() => {
    const { timeline } = (globalThis as any).__corotone;
    timeline.frame(true);
    const boxes = timeline.laneBoxes();
    const canvas = timeline.canvas as any;
    const rollBottom = boxes.length > 0 ? boxes[0].top - 6 + timeline.scrollY : 0;
    return {
      lanes: boxes.map((b: any) => ({ name: b.lane.name, top: b.top, bottom: b.top + b.height, collapsed: b.collapsed, busy: b.lane.busy })),
      lanesTop: rollBottom,
      height: canvas.getBoundingClientRect().height,
    };
  });
}

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(resolve(ARTIFACTS, `timeline-${name}.png`), await page.screenshot());
}

it('collapses idle sources to a header and keeps the playing lesson in view', async () => {
  const { page } = app;
  // nine short scripts, one after another: each adds a lane and goes idle
  for (let i = 1; i <= 9; i++) {
    await openScript(page, `lesson${i}.txt`, 'beep 60 0.05\nbeep 64 0.05\nbeep 67 0.05\n');
    await page.waitForFunction(
      (n) => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === `lesson${n}.txt` && l.busy === 0 && l.tasks.length > 3),
      i,
      { timeout: 15_000, polling: 50 },
    );
  }
  // a longer one plays while the others are idle
  await openScript(page, 'playing.txt', 'repeat 40 beep 72 0.1; wait 0.15\n');
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'playing.txt');
    return lane && lane.busy > 0;
  });
  await page.waitForTimeout(3500); // past the idle spell of the first ones
  const state = await lanes(page);
  await shot(page, 'collapsed');
  const playing = state.lanes.find((l) => l.name === 'playing.txt')!;
  expect(playing.collapsed).toBe(false);
  // in view: wholly between the piano roll and the canvas's foot
  expect(playing.top).toBeGreaterThanOrEqual(state.lanesTop);
  expect(playing.bottom).toBeLessThanOrEqual(state.height);
  const idle = state.lanes.filter((l) => l.name.startsWith('lesson'));
  expect(idle.length).toBe(9);
  expect(idle.every((l) => l.collapsed && l.bottom - l.top <= 18)).toBe(true);

  // a click on an idle lane's header opens it
  const first = idle[0];
  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  await page.mouse.click(box.x + 200, box.y + first.top + 6);
  const opened = (await lanes(page)).lanes.find((l) => l.name === first.name)!;
  expect(opened.collapsed).toBe(false);
  // the legend sits below the canvas, never over a lane
  const legend = (await page.locator('.legend').boundingBox())!;
  expect(legend.y).toBeGreaterThanOrEqual(box.y + box.height - 1);
});

it('scrolls the lanes with the wheel, shows a scrollbar, and zooms with Ctrl+wheel', async () => {
  const { page } = app;
  // open every lane, so they are taller than the canvas
  await page.evaluate(() => {
    const { timeline, model } = (globalThis as any).__corotone;
    for (const lane of model.lanes) if (timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    for (let i = 0; i < 12; i++) model.lane(`extra${i}.txt`);
    timeline.frame(true);
  });
  await page.evaluate(() => {
    const { timeline, model } = (globalThis as any).__corotone;
    // extra lanes have no tasks: give each a finished one so they take a row
    let id = 9_000_000;
    for (let i = 0; i < 12; i++) {
      const t = model.latest;
      model.apply({ type: 'task-created', t, wall: t, id: ++id, parent: null, name: 'wait 1', kind: 'line', source: `extra${i}.txt`, pos: null });
      const lane = model.lanes.find((l: any) => l.name === `extra${i}.txt`);
      if (timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    }
    timeline.frame(true);
  });
  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  const before = await page.evaluate(() => {
    const { timeline } = (globalThis as any).__corotone;
    timeline.frame(true);
    return { scrollY: timeline.scrollY, pps: timeline.axis.pxPerSecond, scrollbar: timeline.marksDrawn().scrollbar };
  });
  expect(before.scrollbar).toBe(true);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 40);
  const scrollNow = () =>
    page.evaluate(() => {
      const { timeline } = (globalThis as any).__corotone;
      return { scrollY: timeline.scrollY as number, pps: timeline.axis.pxPerSecond as number };
    });
  await page.mouse.wheel(0, -200);
  await page.waitForTimeout(100);
  const up = await scrollNow();
  await page.mouse.wheel(0, 120);
  await page.waitForTimeout(100);
  const scrolled = await scrollNow();
  expect(up.scrollY).toBeLessThan(before.scrollY);
  expect(scrolled.scrollY).toBeGreaterThan(up.scrollY);
  expect(scrolled.pps).toBeCloseTo(before.pps, 6); // the wheel no longer zooms
  await shot(page, 'scrolled');
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await page.waitForTimeout(100);
  const zoomed = await page.evaluate(() => (globalThis as any).__corotone.timeline.axis.pxPerSecond as number);
  expect(zoomed).toBeGreaterThan(scrolled.pps * 1.15); // one notch: about ×1.25
});

it('fits the view to a script that starts, and zooming under Follow keeps the now-cursor where it is', async () => {
  const { page } = app;
  // the user had shown the whole history: a long span squeezed into the width
  await page.locator('#zoom-fit').click();
  await page.evaluate(() => (globalThis as any).__corotone.timeline.zoom(0.05));
  const squeezed = await page.evaluate(() => (globalThis as any).__corotone.timeline.axis.pxPerSecond as number);
  await openScript(page, 'countdown.txt', 'beep 72 0.6\nbeep 71 0.6\nbeep 69 0.6\nbeep 67 0.6\nbeep 65 0.6\n');
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'countdown.txt');
    return lane && lane.tasks.length > 3;
  });
  const fitted = await page.evaluate(() => {
    const { timeline, model } = (globalThis as any).__corotone;
    timeline.frame(true);
    const lane = model.lanes.find((l: any) => l.name === 'countdown.txt');
    const line = lane.tasks.find((t: any) => t.name.startsWith('beep'));
    return { follow: timeline.follow, pps: timeline.axis.pxPerSecond, startX: timeline.axis.x(lane.playedFrom), barPx: 0.6 * timeline.axis.pxPerSecond, name: line.name };
  });
  await shot(page, 'fitted');
  // zoomed out as far as it goes (the whole session, at least 4 s while it is young), then fitted to the script
  expect(fitted.pps).toBeGreaterThan(squeezed * 1.5);
  expect(fitted.follow).toBe(true);
  // a 0.6 s line is wide enough for its label ("beep 72 0.6" in 10 px monospace is about 66 px)
  expect(fitted.barPx).toBeGreaterThan(66);
  expect(fitted.startX).toBeGreaterThanOrEqual(0);

  // The now-cursor around each zoom, all in one evaluate with the clock held at
  // one reading: the cursor moves as time passes, and between two evaluates on
  // a loaded machine it moves by pixels, which would measure the load, not the
  // zoom. `zoomed` is where the zoom itself left it, `drawn` where the next
  // frame draws it.
  const { before, zoomIn, zoomOut } = await page.evaluate(() => {
    const { timeline, clock } = (globalThis as any).__corotone;
    const now = clock.timelineNow();
    clock.timelineNow = () => now;
    try {
      const cursor = () => ({ x: timeline.axis.x(now) as number, pps: timeline.axis.pxPerSecond as number, follow: timeline.follow as boolean });
      const press = (id: string) => {
        (globalThis as any).document.getElementById(id).click();
        const zoomed = cursor();
        timeline.frame(true);
        return { zoomed, drawn: cursor() };
      };
      timeline.frame(true);
      const before = cursor();
      const zoomIn = press('zoom-in');
      press('zoom-out');
      const zoomOut = press('zoom-out');
      return { before, zoomIn, zoomOut };
    } finally {
      delete clock.timelineNow; // the prototype's again
    }
  });
  expect(before.follow && zoomIn.drawn.follow && zoomOut.drawn.follow).toBe(true);
  // each press zoomed (by the buttons' 1.5) ...
  expect(zoomIn.drawn.pps / before.pps).toBeCloseTo(1.5, 6);
  expect(zoomOut.drawn.pps / before.pps).toBeCloseTo(1 / 1.5, 6);
  // ... and left the now-cursor where it was, to within half a pixel
  for (const at of [zoomIn.zoomed, zoomIn.drawn, zoomOut.zoomed, zoomOut.drawn]) expect(Math.abs(at.x - before.x)).toBeLessThan(0.5);
});

it('draws failure, loop-lag, late-event and engine-behind marks apart, and each says what it is on hover', async () => {
  const { page } = app;
  await page.evaluate(() => (globalThis as any).__corotone.timeline.setFollow(false));
  const at = await page.evaluate(() => {
    const { timeline, model, clock } = (globalThis as any).__corotone;
    // heard already (nothing past the now-cursor is drawn)
    const t0 = clock.timelineNow() - 4;
    const id = 9_100_000;
    model.apply({ type: 'task-created', t: t0, wall: t0, id, parent: null, name: 'fails 1', kind: 'line', source: 'marks.txt', pos: { source: 'marks.txt', line: 1, col: 1 } });
    model.apply({ type: 'task-running', t: t0, wall: t0, id });
    model.apply({ type: 'task-created', t: t0, wall: t0, id: id + 1, parent: null, name: 'loop beep 60', kind: 'line', source: 'marks.txt', pos: null });
    model.apply({ type: 'task-failed', t: t0 + 0.5, wall: t0 + 0.5, id, error: { name: 'Error', message: 'boom' } });
    model.apply({ type: 'loop-lag', t: t0 + 1, wall: t0 + 1.06, id: id + 1, late: 0.06 });
    // 58 late events within 30 ms: a quick burst on a busy machine
    for (let i = 0; i < 58; i++) model.markLate(t0 + 1.5 + i * 0.0005 - model.base, 0.07);
    model.apply({ type: 'engine-behind', t: t0 + 2, wall: t0 + 2.6, behind: 0.6, skipped: 0.6 });
    const lane = model.lanes.find((l: any) => l.name === 'marks.txt');
    timeline.frame(true); // it began to play: the view fits to it under Follow
    timeline.setFollow(false);
    if (timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    timeline.fit(t0 - 0.5, t0 + 3);
    timeline.scrollY = 0;
    timeline.frame(true);
    const box = timeline.laneBoxes().find((b: any) => b.lane === lane);
    timeline.scrollY = Math.max(0, box.top - 400);
    timeline.frame(true);
    const shown = timeline.laneBoxes().find((b: any) => b.lane === lane);
    return {
      t0,
      laneTop: shown.top,
      failX: timeline.axis.x(t0 + 0.5),
      lagX: timeline.axis.x(t0 + 1),
      lateX: timeline.axis.x(t0 + 1.5),
      behindX: timeline.axis.x(t0 + 2),
      rollFoot: 22 + (globalThis as any).__corotone.timeline.laneBoxes()[0].top - 6 - 22 + timeline.scrollY,
      marks: timeline.marksDrawn(),
    };
  });
  await shot(page, 'marks');
  expect(at.marks.lag).toBeGreaterThanOrEqual(1);
  expect(at.marks.failures).toBeGreaterThanOrEqual(1);
  // 58 late events make a few pixel columns, not 58
  expect(at.marks.lateColumns).toBeGreaterThan(0);
  expect(at.marks.lateColumns).toBeLessThanOrEqual(16);

  // shape and colour: read the pixels around each mark (7×7 px)
  const around = (x: number, y: number) =>
    page.evaluate(
      ({ x, y }) => {
        const canvas = (globalThis as any).__corotone.timeline.canvas as any;
        const dpr = canvas.width / canvas.getBoundingClientRect().width;
        const data = canvas.getContext('2d').getImageData(Math.round((x - 3) * dpr), Math.round((y - 3) * dpr), Math.round(7 * dpr), Math.round(7 * dpr)).data;
        const out: number[][] = [];
        for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2]]);
        return out;
      },
      { x, y },
    );
  const violet = (p: number[]) => p[2] > 200 && p[0] > 150 && p[1] < 170;
  const red = (p: number[]) => p[0] > 200 && p[1] < 110 && p[2] < 110;
  const yellow = (p: number[]) => p[0] > 200 && p[1] > 170 && p[2] < 140;
  const lagPixels = await around(at.lagX, at.laneTop + 3);
  const failPixels = await around(at.failX - 7, at.laneTop + 18 + 6); // the ✕ inside the bar's end
  const behindPixels = await around(at.behindX + 2, 22 - 2);
  // the lag notch is violet and has no red; the failure cross red and no violet; the behind band yellow
  expect(lagPixels.some(violet)).toBe(true);
  expect(lagPixels.some(red)).toBe(false);
  expect(failPixels.some(red)).toBe(true);
  expect(failPixels.some(violet)).toBe(false);
  expect(behindPixels.some(yellow), JSON.stringify([...new Set(behindPixels.map((p) => p.join(',')))])).toBe(true);

  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  const tip = async (x: number, y: number) => {
    await page.mouse.move(box.x + x, box.y + y);
    await page.waitForTimeout(80);
    return (await page.locator('#tooltip').textContent()) ?? '';
  };
  expect(await tip(at.lagX, at.laneTop + 4)).toMatch(/loop lag in marks\.txt.*60\.0 ms late/);
  expect(await tip(at.behindX, 22 - 2)).toMatch(/engine behind by 600\.0 ms/);
  // the columns under the pointer (±3 px) hold some of the 58
  const lateTip = await tip(at.lateX + 3, at.rollFoot - 2);
  expect(lateTip).toMatch(/^\d+ late audio events.*up to 70\.0 ms late/);
  expect(Number(lateTip.split(' ')[0])).toBeGreaterThan(10);
  expect(await tip(at.failX - 4, at.laneTop + 18 + 6)).toMatch(/failed/);
});

it('counts no lag mark and no failure once the view has left them', async () => {
  const counts = await app.page.evaluate(() => {
    const { timeline, model } = (globalThis as any).__corotone;
    const lane = model.lanes.find((l: any) => l.name === 'marks.txt');
    const lag = lane.lagT[lane.lagT.length - 1];
    timeline.setFollow(false);
    if (timeline.laneCollapsed(lane)) timeline.toggleLane(lane);
    timeline.fit(lag - 1.5, lag + 1);
    timeline.frame(true);
    const shown = timeline.marksDrawn();
    // long after them: nothing of the marks' lane is on screen
    timeline.fit(lag + 100, lag + 101);
    timeline.frame(true);
    return { shown, gone: timeline.marksDrawn() };
  });
  expect(counts.shown.lag).toBeGreaterThanOrEqual(1);
  expect(counts.shown.failures).toBeGreaterThanOrEqual(1);
  expect(counts.gone.lag).toBe(0);
  expect(counts.gone.failures).toBe(0);
});

it('says so in the status bar when the engine falls behind', async () => {
  const { page } = app;
  await typeLine(page, 'beep 60 0.05');
  const text = await until(page, () => (globalThis as any).document.getElementById('st-behind')?.textContent || '');
  expect(text).toMatch(/behind by 600 ms/);
});
