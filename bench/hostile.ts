/**
 * Hostile scripts in web mode (issue 16's "Done when"): for each, the worst
 * stall of the host, its peak memory, what the page would be sent, and the
 * time a panic takes. Each script runs in a fresh Node process on TypeScript
 * compiled to plain ES modules (bench/workers/hostile.ts).
 */
import { symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJson } from './lib/child';
import { CompiledTree } from './lib/compile';
import { fixed, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchRow, BenchSection } from './lib/types';

interface HostileResult {
  loadMs: number;
  maxGapMs: number;
  maxCpuGapMs: number;
  panicCallCpuMs: number;
  p99GapMs: number;
  peakRssMb: number;
  sentMb: number;
  liveAtPanic: number;
  panicCallMs: number;
  panicDoneMs: number | null;
  liveAfterPanic: number;
  firstErrorMs: number | null;
  error: string | null;
}

type Spec = string | { repeat: string; times: number };

const STALL_MS = 100;
const PEAK_MB = 300;
const FORK_BOMB = ['def g: beep 60 0.001', 'def f: spawn g; spawn g', 'def g: wait 0.001; f', 'f'].join('\n');
const SCRIPTS: { name: string; spec: Spec; how: 'script' | 'lines' | 'frame'; seconds: number; owner?: string }[] = [
  { name: 'fork bomb (4 typed lines: `def g: wait 0.001; f` with `def f: spawn g; spawn g`)', spec: FORK_BOMB, how: 'lines', seconds: 5 },
  { name: '524,288 bad lines in a 1 MiB script, loaded', spec: { repeat: 'x\n', times: 524_288 }, how: 'script', seconds: 3, owner: 'script checking in slices (h-scripts)' },
  { name: '~160k `sync` tasks, then panic (`repeat 8 eval repeat 19990 spawn sync go; wait 1.05`)', spec: 'repeat 8 eval repeat 19990 spawn sync go; wait 1.05', how: 'script', seconds: 10 },
  { name: '`repeat 19999 spawn wait 1`', spec: 'repeat 19999 spawn wait 1', how: 'script', seconds: 3 },
  { name: '`repeat 19990 spawn sync go`', spec: 'repeat 19990 spawn sync go', how: 'script', seconds: 3 },
  { name: '`repeat 20 tasks` with 20k tasks alive', spec: 'repeat 19990 spawn sync go\nrepeat 20 tasks', how: 'script', seconds: 3 },
  { name: 'a 16 MB WebSocket frame of nested `[`', spec: { repeat: '[', times: 16_000_000 }, how: 'frame', seconds: 3, owner: 'the web server\'s frame cap (h16-files)' },
  { name: '`repeat 1000 spawn loop beep 60 0.001`', spec: 'repeat 1000 spawn loop beep 60 0.001', how: 'script', seconds: 4 },
];

async function run(ctx: BenchContext): Promise<BenchSection> {
  const tree = new CompiledTree(ctx.root, ['src/core', 'src/protocol', 'src/node', 'bench/workers/hostile.ts']);
  // The compiled tree lives in a temporary folder: its bare imports (ws, valibot) resolve through this link.
  symlinkSync(path.join(ctx.root, 'node_modules'), path.join(tree.dir, 'node_modules'), 'dir');
  const results: HostileResult[] = [];
  try {
    for (const { name, spec, how, seconds } of SCRIPTS) {
      const s = ctx.quick ? Math.max(2, seconds / 2) : seconds;
      ctx.log(`hostile: ${name} for ${s} s`);
      const r = runJson<HostileResult>(process.execPath, [tree.output('bench/workers/hostile.ts'), JSON.stringify(spec), String(s), how], {
        cwd: ctx.root,
        timeoutMs: (s + 120) * 1000,
      });
      if (!r.ok || r.value === null) throw new Error(r.error);
      results.push(r.value);
    }
  } finally {
    tree.dispose();
  }
  const ms = (x: number | null) => (x === null ? 'not within 1.5 s' : `${fixed(x, 1)} ms`);
  const body = table(
    ['script', 'worst stall of a 1 ms probe', 'its CPU time (worst)', 'p99 gap', 'peak RSS', 'sent to the page', 'panic: the call', 'panic: until no task', 'tasks at panic', 'how it ended'],
    results.map((r, i) => [
      SCRIPTS[i].name,
      `${fixed(r.maxGapMs, 1)} ms${r.maxGapMs >= STALL_MS && SCRIPTS[i].owner ? ` (${SCRIPTS[i].owner})` : ''}`,
      `${fixed(r.maxCpuGapMs, 1)} ms`,
      `${fixed(r.p99GapMs, 1)} ms`,
      `${fixed(r.peakRssMb, 0)} MB`,
      `${fixed(r.sentMb, 1)} MB`,
      `${ms(r.panicCallMs)} (CPU ${fixed(r.panicCallCpuMs, 1)} ms)`,
      r.liveAtPanic === 0 ? '-' : ms(r.panicDoneMs),
      r.liveAtPanic.toLocaleString('en'),
      r.error === null ? 'played on (panic at the end)' : `${r.error.replace(/^hostile\.txt:|^typed:/, 'line ').slice(0, 80)} (after ${ms(r.firstErrorMs)})`,
    ]),
  );
  const mine = results.filter((_, i) => SCRIPTS[i].owner === undefined);
  const worst = Math.max(...mine.map((r) => r.maxGapMs));
  const peak = Math.max(...mine.map((r) => r.peakRssMb));
  const worstPanic = Math.max(...mine.map((r) => r.panicCallMs));
  const worstCpu = Math.max(...mine.map((r) => r.maxCpuGapMs));
  const worstPanicCpu = Math.max(...mine.map((r) => r.panicCallCpuMs));
  const markdown = [
    `${os.cpus().length} cores, shared: the load average above says how busy the machine was, and a stall of wall time includes the time the process waited for a core. ` +
      'Each script runs in a fresh Node process in web mode\'s host: an `AppSession` on the real engine (`createRealEngine`) with one attached view that serialises every message it is sent (`JSON.stringify`, as the socket does; its bytes are "sent to the page"), the lines typed (fork bomb) or the script loaded, or (the frame) web mode\'s server with a `ws` client that sends the frame. ' +
      'A `setInterval(1 ms)` probe records the gaps between its ticks (the worst is the worst stall of the host\'s I/O), the CPU time the process used in each gap (`process.cpuUsage`: on a loaded machine a gap is mostly time spent waiting for a core, and the CPU time is the host\'s own work) and samples the RSS (its peak). After the given time a panic is called from a host timer and timed: the call itself, and until no task is left (looked at every millisecond for 1.5 s).',
    '',
    body,
    '',
    `- Over the scripts of this section's own fixes (the scheduler's): worst stall **${fixed(worst, 1)} ms** of wall time, of which at most **${fixed(worstCpu, 1)} ms** was this process's CPU time (target < ${STALL_MS} ms), peak RSS **${fixed(peak, 0)} MB** (target < ${PEAK_MB} MB), longest panic call ${fixed(worstPanic, 1)} ms (its CPU time at most ${fixed(worstPanicCpu, 1)} ms). The two rows marked with another fix are that fix's to bring under the targets; README's Limits says what each limit does.`,
  ].join('\n');
  const rows: BenchRow[] = [
    { name: 'hostile scripts in web mode: worst stall of the host (1 ms probe)', value: worst, unit: 'ms', target: `< ${STALL_MS} ms`, met: worst < STALL_MS },
    { name: 'hostile scripts in web mode: CPU time of the engine in the worst stall', value: worstCpu, unit: 'ms', target: `< ${STALL_MS} ms`, met: worstCpu < STALL_MS },
    { name: 'hostile scripts in web mode: peak RSS', value: peak, unit: 'MB', target: `< ${PEAK_MB} MB`, met: peak < PEAK_MB },
    { name: 'hostile scripts in web mode: longest panic call', value: worstPanic, unit: 'ms', target: `< ${STALL_MS} ms`, met: worstPanic < STALL_MS },
  ];
  return { markdown, rows };
}

const module: BenchModule = { title: 'Hostile scripts in web mode (issue 16)', run };
export default module;
