/**
 * `tsx bench/compare-trees.ts <other checkout> [rounds] [modes, comma-separated]`: resumptions per
 * CPU-second of this checkout's scheduler against another's (a baseline), the
 * two alternated in one run so that the machine's load falls on both alike.
 * Each run is a fresh process on that checkout's TypeScript compiled to plain
 * ES modules (bench/workers/resumptions.ts, 1,000 tasks × 2,000 yields, 7 runs;
 * the median of its CPU-time rates).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJson } from './lib/child';
import { CompiledTree } from './lib/compile';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [otherArg, roundsArg = '3', modesArg = 'quiet,listener,timers'] = process.argv.slice(2);
const modes = modesArg.split(',');
if (otherArg === undefined) throw new Error('usage: tsx bench/compare-trees.ts <other checkout> [rounds]');
const trees = [
  { name: 'baseline', tree: new CompiledTree(path.resolve(otherArg), ['src/core', 'bench/workers/resumptions.ts']) },
  { name: 'this', tree: new CompiledTree(here, ['src/core', 'bench/workers/resumptions.ts']) },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map<string, number[]>();
try {
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const mode of modes) {
      for (const { name, tree } of round % 2 === 0 ? trees : [...trees].reverse()) {
        const r = runJson<{ cpuRates: number[] }>(process.execPath, [tree.output('bench/workers/resumptions.ts'), mode, '1000', '2000', '7'], { cwd: here, timeoutMs: 300_000 });
        if (!r.ok || r.value === null) throw new Error(r.error);
        const key = `${mode} ${name}`;
        results.set(key, [...(results.get(key) ?? []), median(r.value.cpuRates) / 1e6]);
        process.stderr.write(`${key}: ${(median(r.value.cpuRates) / 1e6).toFixed(2)} M/CPU-s\n`);
      }
    }
  }
} finally {
  for (const { tree } of trees) tree.dispose();
}
for (const mode of modes) {
  const b = median(results.get(`${mode} baseline`)!);
  const t = median(results.get(`${mode} this`)!);
  console.log(`${mode}: baseline ${b.toFixed(2)} M/CPU-s, this ${t.toFixed(2)} M/CPU-s (${((t / b - 1) * 100).toFixed(1)} %), rounds ${results.get(`${mode} this`)!.map((x) => x.toFixed(2)).join(' ')} vs ${results.get(`${mode} baseline`)!.map((x) => x.toFixed(2)).join(' ')}`);
}
