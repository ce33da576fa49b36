/**
 * Section "app/latency": key-to-sound latency in Chromium against web mode
 * (issue 10): from the Enter key's event to the audio time the page's player
 * scheduled the note at, p50 and p99, over lines typed at a quick human pace
 * (20 lines in 10 s), at 1× and ½×; and whether that run made any late event
 * or loop-lag mark. The workload is bench/app/workers/latency.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTsWorker } from '../lib/child';
import { fixed, percentileSorted, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

interface Result {
  browser: string;
  lines: number;
  speed: number;
  scheduled: number[];
  heard: number[];
  late: number;
  lags: number;
  lookahead: number;
}

const latency: BenchModule = {
  title: 'Key-to-sound latency in Chromium',
  async run(ctx) {
    if (!existsSync('/usr/bin/chromium')) {
      ctx.log('app/latency: skipped (no /usr/bin/chromium)');
      return null;
    }
    const runs: Result[] = [];
    for (const speed of [1, 0.5]) {
      const child = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'latency.ts'), ['--lines', '20', '--speed', String(speed)], [], 120_000);
      if (!child.ok || !child.value) throw new Error(child.error);
      runs.push(child.value);
    }
    const pct = (values: number[], p: number) => percentileSorted([...values].sort((a, b) => a - b), p);
    const ms = (v: number) => `${fixed(v, 1)} ms`;
    const rows = runs.map((r) => [
      `${r.speed}×`,
      `${r.scheduled.length} / ${r.lines}`,
      ms(pct(r.scheduled, 50)),
      ms(pct(r.scheduled, 99)),
      ms(pct(r.heard, 50)),
      ms(pct(r.heard, 99)),
      r.late,
      r.lags,
    ]);
    const one = runs[0];
    const markdown = [
      `Debian's Chromium ${one.browser} (headless, playwright-core) driving the page web mode serves (test/e2e's harness; the host runs in the worker process). Workload \`node --import tsx bench/app/workers/latency.ts --lines 20 --speed S\`: 20 lines \`beep N 0.05\` typed into the terminal, one every 500 ms (a quick human pace), each timed from its Enter key's event (\`KeyboardEvent.timeStamp\`) to the audio time the page's player scheduled its note at (mapped to the page's clock with \`AudioContext.getOutputTimestamp()\`); "heard" adds the context's \`outputLatency\`. Lookahead ${Math.round(one.lookahead * 1000)} ms (the default). The same run counts the late audio events and loop-lag marks it made.`,
      '',
      table(['speed', 'lines timed', 'key → scheduled, p50', 'p99', 'key → heard, p50', 'p99', 'late events', 'loop-lag marks'], rows),
      '',
      'The line goes to the host on Enter, runs at the logical time it arrived, and its note comes back as an event that the player places one lookahead after the first event fixed the clocks: so the latency is about the lookahead plus the round trip, and a late event would mean a round trip longer than the lookahead.',
    ].join('\n');
    const out: BenchRow[] = [
      { name: 'key-to-sound latency, key → scheduled audio time (p50)', value: pct(one.scheduled, 50), unit: 'ms' },
      { name: 'key-to-sound latency, key → scheduled audio time (p99)', value: pct(one.scheduled, 99), unit: 'ms' },
      { name: 'late events while typing 20 lines in 10 s', value: one.late, unit: '', target: '0', met: one.late === 0 },
    ];
    return { markdown, rows: out };
  },
};

export default latency;
