/**
 * Section "app/latency": key-to-sound latency in Chromium against web mode
 * (issue 10): from the Enter key's event to the audio time the page's player
 * scheduled the note at, p50 and p99, over lines typed at a quick human pace
 * (20 lines in 10 s), at 1× and ½×; and whether that run made any late event
 * or loop-lag mark; at 1× also with the 'normal' output buffer and in a Chromium
 * started with the desktop app's switches. The workload is bench/app/workers/latency.ts, which also
 * breaks each line's trip into stages (key, socket up, host, batch, socket down,
 * page, schedule, output): the table and stderr show where each millisecond goes.
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
  inputLookahead?: number;
  /** The latencyHint the bench forced on the page's AudioContext (null: the app's own). */
  latencyHint?: string | number | null;
  /** Chromium was started with the Electron shell's switches (src/main/chromium-switches.ts). */
  shellSwitches?: boolean;
  stats: { baseLatency: number | null; outputLatency: number | null };
  /** Per stage (see the worker's header), one figure (ms) per line timed. */
  stages: Record<string, number[]>;
}

/** The typed-loop run (bench/app/workers/latency-loop.ts). */
interface LoopResult {
  lines: number;
  shellSwitches: boolean;
  late: number;
  lateByMs: number[];
  notes: number;
  inputLookahead: number;
}

/** The stages in the order a line goes through them, and what each one is. */
const STAGES: [string, string][] = [
  ['key', "Enter's keydown → the page sends `submit-line` (the terminal's handling)"],
  ['up', 'sent → the host queues the line (socket, validation)'],
  ['host', "queued → the host pushes the line's note event (the engine runs the line)"],
  ['batch', 'pushed → its batch is sent (the batcher)'],
  ['down', 'sent → the page receives it (socket)'],
  ['page', 'received → the audio engine is handed the note (dispatch)'],
  ['schedule', "handed → the audio clock reaches the note's time (lookahead, clock mapping)"],
  ['output', 'the audio clock → the device plays it (`getOutputTimestamp`)'],
];

const latency: BenchModule = {
  title: 'Key-to-sound latency in Chromium',
  async run(ctx) {
    if (!existsSync('/usr/bin/chromium')) {
      ctx.log('app/latency: skipped (no /usr/bin/chromium)');
      return null;
    }
    const runs: Result[] = [];
    // the app as it is at 1× and ½× (output latency 'low': latencyHint 0), at 1× with the 'normal' buffer
    // (latencyHint 'interactive'), and at 1× in a Chromium started as the desktop app starts it
    const variants = [['--speed', '1'], ['--speed', '0.5'], ['--speed', '1', '--latency-hint', 'interactive'], ['--speed', '1', '--shell-switches']];
    for (const extra of variants) {
      const child = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'latency.ts'), ['--lines', '20', ...extra], [], 120_000);
      if (!child.ok || !child.value) throw new Error(child.error);
      runs.push(child.value);
    }
    // a typed loop while the user types on: in a stock Chromium and in one started as the desktop app starts it
    const loops: LoopResult[] = [];
    for (const extra of [[], ['--shell-switches']]) {
      const child = runTsWorker<LoopResult>(ctx.root, path.join('bench', 'app', 'workers', 'latency-loop.ts'), ['--lines', '20', ...extra], [], 120_000);
      if (!child.ok || !child.value) throw new Error(child.error);
      loops.push(child.value);
    }
    const label = (r: Result) =>
      `${r.speed}×${r.latencyHint === null || r.latencyHint === undefined ? '' : `, latencyHint '${r.latencyHint}'`}${r.shellSwitches ? ", the desktop app's Chromium switches" : ''}`;
    const pct = (values: number[], p: number) => percentileSorted([...values].sort((a, b) => a - b), p);
    const ms = (v: number) => `${fixed(v, 1)} ms`;
    const rows = runs.map((r) => [
      label(r),
      `${r.scheduled.length} / ${r.lines}`,
      ms(pct(r.scheduled, 50)),
      ms(pct(r.scheduled, 99)),
      ms(pct(r.heard, 50)),
      ms(pct(r.heard, 99)),
      r.late,
      r.lags,
    ]);
    const one = runs[0];
    const stageRows = STAGES.map(([id, what]) => {
      const cells = runs.flatMap((r) => [ms(pct(r.stages[id] ?? [], 50)), ms(pct(r.stages[id] ?? [], 99))]);
      ctx.log(`app/latency ${id.padEnd(8)} ${runs.map((r, i) => `${label(r)}: p50 ${cells[2 * i]}, p99 ${cells[2 * i + 1]}`).join('; ')}`);
      return [id, what, ...cells];
    });
    for (const r of runs) ctx.log(`app/latency ${label(r)}: key → heard p50 ${ms(pct(r.heard, 50))}, p99 ${ms(pct(r.heard, 99))}; ${r.late} late events`);
    const buffers = runs
      .filter((r, i) => i === 0 || (r.latencyHint !== undefined && r.latencyHint !== null))
      .map((r) => `${r.latencyHint === null || r.latencyHint === undefined ? "0 (the app's default, output latency 'low')" : `'${r.latencyHint}' (output latency 'normal')`}: baseLatency ${ms((r.stats.baseLatency ?? NaN) * 1000)}, outputLatency ${ms((r.stats.outputLatency ?? NaN) * 1000)}`)
      .join('; ');
    const markdown = [
      `Debian's Chromium ${one.browser} (headless, playwright-core) driving the page web mode serves (test/e2e's harness; the host runs in the worker process). Workload \`node --import tsx bench/app/workers/latency.ts --lines 20 --speed S\`: 20 lines \`beep N 0.05\` typed into the terminal, one every 500 ms (a quick human pace), each timed from its Enter key's event (\`KeyboardEvent.timeStamp\`) to the audio time the page's player scheduled its note at ("scheduled": when the context's clock reaches it), and to when the device plays it ("heard": the audio time mapped to the page's clock with \`AudioContext.getOutputTimestamp()\`). Lookahead ${Math.round(one.lookahead * 1000)} ms for scripts (the default), ${Math.round((one.inputLookahead ?? one.lookahead) * 1000)} ms for a typed line's first note after a rest. The same run counts the late audio events and loop-lag marks it made.`,
      '',
      table(['speed', 'lines timed', 'key → scheduled, p50', 'p99', 'key → heard, p50', 'p99', 'late events', 'loop-lag marks'], rows),
      '',
      "Where the time goes, per line (both processes stamp each step on the wall clock they share, \`performance.timeOrigin + performance.now()\`; the host runs in the worker's process):",
      '',
      table(['stage', 'from → to', ...runs.flatMap((r) => [`${label(r)} p50`, 'p99'])], stageRows),
      '',
      `A typed loop while the user types on (\`node --import tsx bench/app/workers/latency-loop.ts\`): \`loop beep 40 0.1; wait 0.25\` typed, then 20 lines (\`help\`, a key every 40 ms, a line every 500 ms). The loop's notes are a typed line's, placed with the ${Math.round(loops[0].inputLookahead * 1000)} ms input lookahead; a note that comes back while Chromium holds the page's tasks after a key comes later than the loop's first did.`,
      '',
      table(
        ['Chromium', "the loop's notes", 'late events', 'late by (ms)'],
        loops.map((l) => [l.shellSwitches ? "started with the desktop app's switches" : 'as it comes', l.notes, l.late, l.lateByMs.length === 0 ? '—' : l.lateByMs.join(', ')]),
      ),
      '',
      `The line goes to the host on Enter and runs at the logical time it arrived; while it plays, its note events go back at once (not held for the 16 ms batch interval; at most one message per 4 ms), and the player places a typed line's first note after a rest one input lookahead after it arrives (script notes keep the clock mapping and the full lookahead). So the latency is the two trips, the input lookahead and the device's output latency; a late event would mean a later event of the line took longer than its first by more than the input lookahead. \`down\` in a stock Chromium is mostly Chromium holding the page's tasks after a key until it has drawn the next frame (\`DeferRendererTasksAfterInput\`); the desktop app turns that off, and the last run starts Chromium so. \`output\` is the device's buffer and latency, which the AudioContext's \`latencyHint\` chooses (the status bar's output latency): ${buffers}. In this Chromium a hint under 128 frames (2.9 ms) gets 128 frames, one from there to 10 ms the 'interactive' buffer (10 ms), a longer one a longer buffer.`,
    ].join('\n');
    const out: BenchRow[] = [
      { name: 'key-to-sound latency, key → scheduled audio time (p50)', value: pct(one.scheduled, 50), unit: 'ms' },
      { name: 'key-to-sound latency, key → scheduled audio time (p99)', value: pct(one.scheduled, 99), unit: 'ms' },
      { name: 'key-to-sound latency, key → heard (p99)', value: pct(one.heard, 99), unit: 'ms', target: '< 60 ms on a quiet machine', met: pct(one.heard, 99) < 60 },
      { name: 'late events while typing 20 lines in 10 s', value: one.late, unit: '', target: '0', met: one.late === 0 },
    ];
    for (const l of loops) {
      const where = l.shellSwitches ? ", the desktop app's Chromium switches" : '';
      out.push({ name: `late events of a typed loop while typing 20 lines${where}`, value: l.late, unit: '', target: '0', met: l.late === 0 });
    }
    const normal = runs.find((r) => r.latencyHint === 'interactive');
    if (normal) out.push({ name: "key-to-sound latency, key → heard (p99), output latency 'normal'", value: pct(normal.heard, 99), unit: 'ms' });
    const shell = runs.find((r) => r.shellSwitches);
    if (shell) {
      out.push({ name: "key-to-sound latency, key → heard (p99), the desktop app's Chromium switches", value: pct(shell.heard, 99), unit: 'ms', target: '< 60 ms on a quiet machine', met: pct(shell.heard, 99) < 60 });
      out.push({ name: "late events while typing 20 lines in 10 s, the desktop app's Chromium switches", value: shell.late, unit: '', target: '0', met: shell.late === 0 });
    }
    return { markdown, rows: out };
  },
};

export default latency;
