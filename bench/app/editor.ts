/**
 * Section "app/editor": the timeline's frame time with the code editor open
 * (its playhead redrawn every frame) against the editor closed, 10,000 tasks
 * on screen, in Debian's Chromium against web mode; and the playhead's own
 * cost per frame (workload: bench/app/workers/editor.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TimelineFrameStats } from '../../test/support/e2e/harness';
import { runTsWorker } from '../lib/child';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule } from '../lib/types';

interface Result {
  viewport: { width: number; height: number };
  browser: string;
  tasks: number;
  closed: TimelineFrameStats[];
  open: TimelineFrameStats[];
  playhead: { meanMs: number; p95Ms: number; lines: number }[];
}

const TARGET_MS = 16;

const editor: BenchModule = {
  title: 'Timeline frame time with the code editor open (Chromium)',
  async run(ctx) {
    if (!existsSync('/usr/bin/chromium')) {
      ctx.log('app/editor: skipped (no /usr/bin/chromium)');
      return null;
    }
    const reps = ctx.quick ? 1 : 3;
    const child = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'editor.ts'), ['--reps', String(reps), '--tasks', '10000'], [], 180_000);
    if (!child.ok || !child.value) throw new Error(child.error);
    const { viewport, browser, tasks, closed, open, playhead } = child.value;
    const ms = (v: number) => `${fixed(v, 2)} ms`;
    const med = (runs: TimelineFrameStats[], pick: (s: TimelineFrameStats) => number) => median(runs.map(pick));
    const row = (label: string, runs: TimelineFrameStats[]) => [
      label,
      ms(med(runs, (s) => s.meanMs)),
      ms(med(runs, (s) => s.p95Ms)),
      `${ms(med(runs, (s) => s.rafMedianMs))} / ${ms(med(runs, (s) => s.rafP95Ms))}`,
    ];
    const openMean = med(open, (s) => s.meanMs);
    const openP95 = med(open, (s) => s.p95Ms);
    const openRaf = med(open, (s) => s.rafP95Ms);
    const headMean = median(playhead.map((p) => p.meanMs));
    const headP95 = median(playhead.map((p) => p.p95Ms));
    const markdown = [
      `Debian's Chromium ${browser} (headless, \`--disable-gpu\`), viewport ${viewport.width}×${viewport.height}, web mode through test/e2e's harness. Workload \`node --import tsx bench/app/workers/editor.ts --reps ${reps} --tasks ${tasks}\`: per run, a fresh page fed ${tasks.toLocaleString('en-US')} synthetic tasks (those of the timeline section, each executing one of 40 lines of source \`bench\`), measured as the timeline section measures (120 forced redraws while panning, then 60 display frames), once with the editor closed and once (a fresh page) with it open on the 40-line buffer \`bench\`, its playhead looking up the live lines in every animation frame. Then the playhead's own work per frame (the lines live at a time inside the tasks' span, and marking them), 200 times. Medians of ${reps} run(s).`,
      '',
      table(['editor', 'timeline draw time, mean', 'draw time, p95', 'display frame interval, median / p95'], [row('closed', closed), row('open, playhead on', open)]),
      '',
      `Playhead per frame: ${ms(headMean)} mean, ${ms(headP95)} p95 (${Math.max(...playhead.map((p) => p.lines))} lines lit at most). With the editor open a frame's draw takes ${ms(openMean)} on average and ${ms(openP95)} at p95 (target < ${TARGET_MS} ms): ${openP95 < TARGET_MS ? 'met' : '**not met**'}.`,
    ].join('\n');
    return {
      markdown,
      rows: [
        { name: 'timeline draw time per frame, editor open, 10,000 tasks (mean)', value: openMean, unit: 'ms', target: `< ${TARGET_MS} ms`, met: openMean < TARGET_MS },
        { name: 'timeline draw time per frame, editor open, 10,000 tasks (p95)', value: openP95, unit: 'ms', target: `< ${TARGET_MS} ms`, met: openP95 < TARGET_MS },
        { name: 'display frame interval while panning, editor open (p95)', value: openRaf, unit: 'ms' },
        { name: "the code's playhead per frame, 10,000 tasks (mean)", value: headMean, unit: 'ms' },
      ],
    };
  },
};

export default editor;
