/**
 * Explorer section: `corotone SCRIPT --interleavings` on the three races of
 * issue 20 (a cue and a sync at one instant, a race whose parts end together,
 * a cancel at the instant its task ends) and on the lesson that holds them:
 * how many orders it runs, the distinct outcomes it finds, and the time it
 * takes (the explorer in-process, as the command runs it, after one warm-up).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { explore } from '../src/core/debug/explorer';
import { secondsToNs } from '../src/core/time';
import { fixed, median, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchSection } from './lib/types';

const BUDGET = 200;

function cases(root: string): { name: string; text: string }[] {
  return [
    { name: '`cue go` and `sync go` at one instant', text: 'wait 1; sync go; beep C5 1 &\nwait 1; cue go' },
    { name: '`race A \\| B`, both end at one instant', text: 'race beep C5 1 | beep E5 1' },
    { name: '`cancel t1` at the instant t1 finishes', text: 'beep G4 1 &\nwait 1; cancel t1; beep A4 1' },
    { name: 'the lesson, resources/examples/races.txt', text: readFileSync(path.join(root, 'resources/examples/races.txt'), 'utf8') },
  ];
}

interface Measured {
  runs: number;
  outcomes: number;
  unexplored: number;
  wallMs: number;
  cpuMs: number;
}

function measure(text: string): Measured {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = explore((session) => void session.loadScript('races.txt', text), { budget: BUDGET, limitNs: secondsToNs(600) });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { runs: result.runs, outcomes: result.outcomes.length, unexplored: result.unexplored, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function run(ctx: BenchContext): Promise<BenchSection | null> {
  const repeats = ctx.quick ? 3 : 9;
  const rows: string[][] = [];
  const measured: (Measured & { name: string })[] = [];
  for (const { name, text } of cases(ctx.root)) {
    ctx.log(`explorer: ${name}, ${repeats} times`);
    measure(text);
    const all = Array.from({ length: repeats }, () => measure(text));
    const m = { ...all[0], wallMs: median(all.map((x) => x.wallMs)), cpuMs: median(all.map((x) => x.cpuMs)), name };
    measured.push(m);
    rows.push([name, String(m.runs), String(m.outcomes), m.unexplored === 0 ? 'none' : String(m.unexplored), `${fixed(m.wallMs, 1)} ms`, `${fixed(m.cpuMs, 1)} ms`]);
  }
  const markdown = [
    `The interleaving explorer (src/core/debug/explorer.ts) as \`corotone SCRIPT --interleavings\` runs it, in-process, with its default budget of ${BUDGET} orders; ` +
      `each script explored once to warm up, then ${repeats} times (the median). An order is one run of the script from the start on the virtual clock, a fresh session each; ` +
      '"left" counts the orders that could still matter when the budget ran out.',
    '',
    table(['script', 'orders run', 'distinct outcomes', 'left', 'wall time', 'CPU time'], rows),
  ].join('\n');
  return {
    markdown,
    rows: measured.map((m) => ({ name: `explorer: ${m.name.replace(/`/g, '')} (${m.runs} orders, ${m.outcomes} outcomes)`, value: m.wallMs, unit: 'ms' })),
  };
}

const explorerBench: BenchModule = { title: 'The interleaving explorer (--interleavings)', run };
export default explorerBench;
