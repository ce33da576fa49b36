/**
 * Section "app/timeline": the timeline's frame time with 1,000 / 10,000 /
 * 30,000 tasks on screen, in Debian's Chromium against web mode (the workload
 * is bench/app/workers/timeline.ts, on test/e2e's harness and its
 * measureTimeline).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TimelineFrameStats } from '../../test/support/e2e/harness';
import { runTsWorker } from '../lib/child';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

interface Result {
  viewport: { width: number; height: number } | null;
  browser: string;
  results: { tasks: number; runs: TimelineFrameStats[] }[];
}

const TARGET_MS = 16;

const timeline: BenchModule = {
  title: 'Timeline frame time in Chromium',
  async run(ctx) {
    if (!existsSync('/usr/bin/chromium')) {
      ctx.log('app/timeline: skipped (no /usr/bin/chromium)');
      return null;
    }
    const counts = [1_000, 10_000, 30_000];
    const reps = ctx.quick ? 1 : 3;
    const child = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'timeline.ts'), ['--reps', String(reps), ...counts.map(String)], [], 120_000);
    if (!child.ok || !child.value) throw new Error(child.error);
    const { results, viewport, browser } = child.value;
    const med = (r: { runs: TimelineFrameStats[] }, pick: (s: TimelineFrameStats) => number) => median(r.runs.map(pick));
    const ms = (v: number) => `${fixed(v, 2)} ms`;
    const rows = results.map((r) => [
      r.tasks.toLocaleString('en-US'),
      fixed(med(r, (s) => s.drawnRects), 0),
      ms(med(r, (s) => s.meanMs)),
      ms(med(r, (s) => s.p95Ms)),
      ms(med(r, (s) => s.maxMs)),
      `${ms(med(r, (s) => s.rafMedianMs))} / ${ms(med(r, (s) => s.rafP95Ms))}`,
    ]);
    const at = (tasks: number) => results.find((r) => r.tasks === tasks) ?? results[results.length - 1];
    const tenK = at(10_000);
    const tenKMean = med(tenK, (s) => s.meanMs);
    const tenKP95 = med(tenK, (s) => s.p95Ms);
    const tenKRaf = med(tenK, (s) => s.rafP95Ms);

    const markdown = [
      `Debian's Chromium ${browser} (\`/usr/bin/chromium\` through playwright-core, headless, \`--disable-gpu\`: software rasterising), viewport ${viewport ? `${viewport.width}×${viewport.height}` : 'default'}, driving the page web mode serves (test/e2e's harness: the renderer built with Vite, \`runWebCommand\` in the worker process). Workload \`node --import tsx bench/app/workers/timeline.ts --reps ${reps} ${counts.join(' ')}\`, the approach of test/support/e2e/measure-timeline.ts: for each count a freshly loaded page is fed that many synthetic tasks through its message handler (a lane of \`beep\` tasks 0.1 ms apart, 5 ms each, ending before the timeline's now, about 50 alive at once, every 97th cancelled; only the renderer sees them), the view is fitted to show them all, and then:`,
      '',
      '- **draw time**: 120 forced redraws (`view.frame(true)`) while panning ±3 px, each timed by the view itself (the CPU time of its draw call, in the page\'s `performance.now()`, which Chromium coarsens to 0.1 ms);',
      '- **display frame interval**: 60 animation frames while panning, each pan invalidating the view so it redraws in its animation frame: the time from one `requestAnimationFrame` callback to the next, rasterising and compositing included (the headless display runs at 60 Hz, so 16.7 ms means every frame was made in time).',
      '',
      `${reps} page load(s) per count; medians of the per-load figures.`,
      '',
      table(['tasks on screen', 'rectangles drawn', 'draw time, mean', 'draw time, p95', 'draw time, max', 'display frame interval, median / p95'], rows),
      '',
      `With 10,000 tasks a frame's draw takes ${ms(tenKMean)} on average and ${ms(tenKP95)} at p95 (target < ${TARGET_MS} ms): ${tenKP95 < TARGET_MS ? 'met' : '**not met**'}. Back-to-back bars of a row are merged into one rectangle, so the rectangles drawn grow with what the screen can show rather than with the task count.`,
    ].join('\n');

    const out: BenchRow[] = [
      { name: 'timeline draw time per frame, 10,000 tasks on screen (mean)', value: tenKMean, unit: 'ms', target: `< ${TARGET_MS} ms`, met: tenKMean < TARGET_MS },
      { name: 'timeline draw time per frame, 10,000 tasks (p95)', value: tenKP95, unit: 'ms', target: `< ${TARGET_MS} ms`, met: tenKP95 < TARGET_MS },
      { name: 'display frame interval while panning, 10,000 tasks (p95)', value: tenKRaf, unit: 'ms' },
      { name: 'timeline draw time per frame, 30,000 tasks (mean)', value: med(at(30_000), (s) => s.meanMs), unit: 'ms' },
    ];
    return { markdown, rows: out };
  },
};

export default timeline;
