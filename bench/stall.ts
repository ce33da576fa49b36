/**
 * Host stall section: the worst stall of the host's I/O (an event-loop probe
 * and a signal) while each hostile script of issue 11 runs on the real clock.
 * Each script runs in a child process of its own, on TypeScript compiled to
 * plain ES modules (see lib/compile.ts).
 */
import { runJson } from './lib/child';
import { CompiledTree } from './lib/compile';
import { fixed, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchRow, BenchSection } from './lib/types';

interface StallResult {
  script: string;
  seconds: number;
  maxGapMs: number;
  p99GapMs: number;
  ticks: number;
  maxCpuGapMs: number;
  maxSignalWaitMs: number;
  signals: number;
  panicMs: number;
  ticksAfterPanic: number;
  liveAfterPanic: number;
  resumptions: number;
  events: number;
  behindReports: number;
  slicesCut: number;
  error: string | null;
  rssMb: number;
}

const TARGET_MS = 100;
const DOUBLING = [...Array.from({ length: 20 }, (_, i) => (i === 0 ? 'def p1 beep 60 0' : `def p${i + 1} p${i}; p${i}`)), 'p20'].join('\n');
const SCRIPTS: { name: string; script: string }[] = [
  { name: '`loop wait 0.000000001`', script: 'loop wait 0.000000001' },
  { name: '`repeat 1000 spawn loop beep 60 0.001`', script: 'repeat 1000 spawn loop beep 60 0.001' },
  { name: 'fork bomb `loop eval spawn loop beep 60 0.01; wait 0.001`', script: 'loop eval spawn loop beep 60 0.01; wait 0.001' },
  { name: '21-line doubling `def` (2^20 zero-time calls)', script: DOUBLING },
  { name: '`repeat 1000000 repeat 10 add 60`', script: 'repeat 1000000 repeat 10 add 60' },
  { name: '`block 5`', script: 'block 5' },
  { name: '`block 9007199`', script: 'block 9007199' },
];

async function run(ctx: BenchContext): Promise<BenchSection> {
  const seconds = ctx.quick ? 2 : 4;
  const tree = new CompiledTree(ctx.root, ['src/core', 'bench/workers/stall.ts']);
  const results: StallResult[] = [];
  try {
    for (const { name, script } of SCRIPTS) {
      ctx.log(`stall: ${name} for ${seconds} s`);
      const r = runJson<StallResult>(process.execPath, [tree.output('bench/workers/stall.ts'), JSON.stringify(script), String(seconds)], {
        cwd: ctx.root,
        timeoutMs: (seconds + 60) * 1000,
      });
      if (!r.ok || r.value === null) throw new Error(r.error);
      results.push(r.value);
    }
  } finally {
    tree.dispose();
  }
  const worst = Math.max(...results.map((r) => r.maxGapMs));
  const worstCpu = Math.max(...results.map((r) => r.maxCpuGapMs));
  const worstSignal = Math.max(...results.map((r) => r.maxSignalWaitMs));
  const body = table(
    ['script', 'worst gap of a 1 ms probe', 'its CPU time (worst)', 'p99 gap', 'worst signal wait', 'panic', 'after panic', 'resumptions', 'behind reports', 'how it ended'],
    results.map((r, i) => [
      SCRIPTS[i].name,
      `${fixed(r.maxGapMs, 1)} ms`,
      `${fixed(r.maxCpuGapMs, 1)} ms`,
      `${fixed(r.p99GapMs, 2)} ms`,
      `${fixed(r.maxSignalWaitMs, 1)} ms`,
      `${fixed(r.panicMs, 2)} ms`,
      `${r.liveAfterPanic} tasks, probe ticked ${r.ticksAfterPanic}×`,
      r.resumptions.toLocaleString('en'),
      String(r.behindReports),
      r.error === null ? 'played on (panic at the end)' : r.error.replace(/^hostile\.txt:/, 'line ').slice(0, 70),
    ]),
  );
  const markdown = [
    `Each script runs for ${seconds} s on the real clock (\`RealTimeDriver\` on the host's timers) in a fresh Node process, with one session listener (as a view has). ` +
      'A `setInterval(1 ms)` probe records the gaps between its ticks: the longest is the worst stall of the host\'s I/O. It also records the CPU time the process used in each gap (`process.cpuUsage`): on a loaded machine a gap is mostly time the process waited for a core, and the CPU time is the part that is the engine\'s own work. Every 250 ms the process sends itself SIGUSR2 and records how long the handler waited. ' +
      'At the end `panic()` is called from a host timer (as a panic key does) and timed; the probe must tick after it, and no task may be left.',
    '',
    body,
    '',
    `- Worst stall of the host over all scripts: **${fixed(worst, 1)} ms** of wall time (target < ${TARGET_MS} ms), of which at most ${fixed(worstCpu, 1)} ms was this process's CPU time; worst signal wait ${fixed(worstSignal, 1)} ms.`,
    '- Before this change each of these scripts froze the host: no probe tick, no signal, no panic, for seconds (`block 5`) or for good.',
  ].join('\n');
  const rows: BenchRow[] = [
    { name: 'worst stall of the host\'s I/O while a hostile script runs (1 ms probe)', value: worst, unit: 'ms', target: `< ${TARGET_MS} ms`, met: worst < TARGET_MS },
    { name: 'CPU time of the engine in the worst stall of the host (1 ms probe)', value: worstCpu, unit: 'ms', target: `< ${TARGET_MS} ms`, met: worstCpu < TARGET_MS },
    { name: 'worst wait of a signal handler while a hostile script runs', value: worstSignal, unit: 'ms', target: `< ${TARGET_MS} ms`, met: worstSignal < TARGET_MS },
  ];
  return { markdown, rows };
}

const module: BenchModule = { title: 'Host stall under hostile scripts', run };
export default module;
