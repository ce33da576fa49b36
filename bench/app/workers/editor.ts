/**
 * The timeline's frame time with the code editor open beside it, in Chromium
 * against web mode (test/e2e's harness): for each run a fresh page, the
 * timeline measured as bench/app/workers/timeline.ts does with the editor
 * closed, then again (a fresh page) with it open on a 40-line buffer whose
 * lines the tasks execute, its playhead redrawn in every animation frame;
 * then the playhead's own cost per frame. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/editor.ts [--reps N] [--tasks N]
 */
import type { Page } from 'playwright-core';
import { measureTimeline, startApp, type TimelineFrameStats } from '../../../test/support/e2e/harness';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const reps = option('--reps', 3);
const tasks = option('--tasks', 10_000);
const viewport = { width: 1440, height: 900 };

async function fresh(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
}

/** Open the editor on a buffer named `bench` (the synthetic tasks' source), 40 lines long. */
async function openEditor(page: Page): Promise<void> {
  await page.evaluate(() => {
    const app = (globalThis as any).__corotone;
    const text = Array.from({ length: 40 }, (_, i) => `beep ${40 + i} 0.05   # line ${i + 1}`).join('\n');
    app.editor.editor.open('bench', 'script', text);
    app.editor.setOpen(true);
  });
  await page.waitForTimeout(300);
}

/** The playhead's work per frame: which lines are live at a time inside the tasks' span, and marking them. */
function playheadCost(page: Page): Promise<{ meanMs: number; p95Ms: number; lines: number }> {
  return page.evaluate(() => {
    const app = (globalThis as any).__corotone;
    const lane = app.model.lanes.find((l: any) => l.name === 'bench');
    const first = lane.tasks[0].start;
    const last = lane.tasks[lane.tasks.length - 1].start;
    const times: number[] = [];
    let lines = 0;
    for (let i = 0; i < 200; i++) {
      const t = first + ((last - first) * (i + 0.5)) / 200;
      const t0 = performance.now();
      const live = app.editor.linesAt(t);
      app.editor.editor.showPlayhead(live);
      times.push(performance.now() - t0);
      lines = Math.max(lines, live.size);
    }
    times.sort((a, b) => a - b);
    return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, p95Ms: times[Math.floor(times.length * 0.95)], lines };
  });
}

const app = await startApp('bench-editor', { viewport });
// tsx keeps functions' names with a helper the page does not have (functions are sent to the page as text)
await app.page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
const closed: TimelineFrameStats[] = [];
const open: TimelineFrameStats[] = [];
const playhead: { meanMs: number; p95Ms: number; lines: number }[] = [];
try {
  for (let r = 0; r < reps; r++) {
    await fresh(app.page);
    closed.push(await measureTimeline(app.page, tasks, { lines: true }));
    await fresh(app.page);
    await openEditor(app.page);
    open.push(await measureTimeline(app.page, tasks, { lines: true }));
    playhead.push(await playheadCost(app.page));
    process.stderr.write(`editor: run ${r + 1}: draw ${closed[r].meanMs.toFixed(2)} ms closed, ${open[r].meanMs.toFixed(2)} ms open; playhead ${playhead[r].meanMs.toFixed(3)} ms\n`);
  }
  const browser = app.browser.version();
  await app.stop();
  process.stdout.write(`${JSON.stringify({ viewport, browser, tasks, closed, open, playhead })}\n`);
} catch (error) {
  await app.stop();
  throw error;
}
process.exit(0);
