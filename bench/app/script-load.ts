/**
 * Section "app/script-load": what loading a 1 MiB script of 524,288 bad lines
 * does to the app's host (issue 16, item 5): how long it holds the host's
 * thread, the memory it takes, and whether a request sent meanwhile is
 * answered first; one script, then four at once. Measured in a fresh process
 * per run (bench/app/workers/script-load.ts).
 */
import path from 'node:path';
import { runTsWorker } from '../lib/child';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

interface Load {
  scripts: number;
  lines: number;
  wallMs: number;
  worstGapMs: number;
  worstCpuGapMs: number;
  peakRssMb: number;
  startHeapMb: number;
  peakHeapMb: number;
  diagnostics: number[];
  more: string[];
  otherRequestMs: number;
  otherBeforeLoads: boolean;
}
type Result = Record<'one' | 'four', Load>;

/** The host's slice: no turn of its loop should take more of its own CPU time than this, and a little over. */
const TARGET_CPU_MS = 25;

const section: BenchModule = {
  title: 'Loading a script of errors into the app’s host',
  async run(ctx) {
    const count = ctx.quick ? 1 : 3;
    const runs: Result[] = [];
    for (let i = 0; i < count; i++) {
      ctx.log(`app/script-load: run ${i + 1} of ${count}`);
      const r = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'script-load.ts'), ctx.quick ? ['--quick'] : [], ['--expose-gc'], 300_000);
      if (!r.ok || r.value === null) throw new Error(r.error);
      runs.push(r.value);
    }
    const med = (which: keyof Result, pick: (l: Load) => number) => median(runs.map((r) => pick(r[which])));
    const rowsOf = (which: keyof Result) => {
      const l = runs[0][which];
      return [
        `${l.scripts} × ${l.lines.toLocaleString('en-US')} bad lines (1 MiB each)`,
        `${fixed(med(which, (x) => x.wallMs), 0)} ms`,
        `${fixed(med(which, (x) => x.worstGapMs), 1)} ms`,
        `${fixed(med(which, (x) => x.worstCpuGapMs), 1)} ms`,
        `${fixed(med(which, (x) => x.peakRssMb), 0)} MB`,
        `${fixed(med(which, (x) => x.peakHeapMb - x.startHeapMb), 1)} MB`,
        `${l.diagnostics.join(', ')} (and ${l.more.join(', ')} more)`,
        runs.every((r) => r[which].otherBeforeLoads) ? `yes, in ${fixed(med(which, (x) => x.otherRequestMs), 2)} ms` : '**no**',
      ];
    };
    const worstCpu = Math.max(med('one', (x) => x.worstCpuGapMs), med('four', (x) => x.worstCpuGapMs));
    const markdown = [
      `An \`AppSession\` (web mode's and Electron's host) on the real clock with the real engine, a \`loop beep\` playing, in a fresh Node process (\`node --import tsx\`, so RSS includes tsx's loader, about 40 MB); ${count} run(s), medians shown. ` +
        'Each script is 1 MiB of `x` lines, every one an unknown command. A 1 ms probe timer records the longest gap between its ticks (the longest the host was held, including waits for a core on a loaded machine) and the most CPU time the process used between two ticks (the host\'s own work). ' +
        'A `list-examples` request is sent just after the load(s): "answered first" says whether its reply came before any load\'s.',
      '',
      table(['load', 'until every reply', 'longest gap of the probe', 'most CPU between two ticks', 'peak RSS', 'heap grown', 'diagnostics kept', 'request sent meanwhile answered first'], [rowsOf('one'), rowsOf('four')]),
      '',
      '- Before (commit 43b3bab, same worker, same machine): one script held the host for 9.1 s at a peak RSS of 575 MB (471 MB of heap: every diagnostic kept); four at once held it for 40.9 s at 1,752 MB, and the request sent meanwhile waited for all of it.',
    ].join('\n');
    const rows: BenchRow[] = [
      { name: 'most CPU time of the host between two 1 ms ticks while 1 MiB scripts of errors load (one, four at once)', value: worstCpu, unit: 'ms', target: `< ${TARGET_CPU_MS} ms`, met: worstCpu < TARGET_CPU_MS },
      { name: 'peak RSS while four 1 MiB scripts of errors load at once', value: med('four', (x) => x.peakRssMb), unit: 'MB' },
    ];
    return { markdown, rows };
  },
};
export default section;
