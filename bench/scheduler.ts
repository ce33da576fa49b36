/**
 * Scheduler section: how fast tasks are resumed on the virtual clock, how 100k
 * sleepers fare on the real clock, and the same two workloads in Python asyncio.
 * Every workload runs in a child process of its own (see lib/child.ts), on
 * TypeScript compiled to plain ES modules (see lib/compile.ts).
 */
import path from 'node:path';
import { findPython, runJson } from './lib/child';
import { CompiledTree } from './lib/compile';
import { fixed, mb, median, millions, spread, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchRow, BenchSection } from './lib/types';

interface RateResult { mode: string; tasks: number; yields: number; rates: number[]; cpuRates: number[] }
interface Late { p50: number; p99: number; max: number }
interface SleepersResult {
  count: number;
  spread: number;
  spawnMs: number;
  totalMs: number;
  longestSleepMs: number;
  lateMs: Late;
  firstInstantMs: number;
  firstInstantCpuMs: number;
  firstInstantGcMs: number;
  gcAfterFirstInstantMs: number;
  dueBeforeFirstInstantEnded: number;
  lateOver10ms: { dueInFirstInstant: number; dueAfter: number };
  lateAfterFirstInstantMs: Late;
  memory: { baseRss: number; peakRss: number; baseHeap: number; peakHeap: number };
}
interface PySleepersResult {
  count: number;
  spread: number;
  totalMs: number;
  lateMs: Late;
  ownLateMs: Late;
  memory: { baseRss: number; peakRss: number };
  python: string;
}

const RESUMPTION_TARGET_RATIO = 20;
const SLEEPERS_P99_TARGET_MS = 10;
const SLEEPERS_MEMORY_TARGET = 150e6;

const MODES: { mode: string; what: string }[] = [
  { mode: 'quiet', what: '`yield* sleep(0)`, instrumentation on, nobody listening' },
  { mode: 'listener', what: '`yield* sleep(0)`, one listener keeping events in a ring' },
  { mode: 'rawop', what: '`yield op` (the Op yielded directly), nobody listening' },
  { mode: 'timers', what: '`yield* sleepNs(d)`, d from 1 to 1,000 µs: every resumption goes through the timer heap' },
  { mode: 'body', what: 'floor: the same `yield* sleep(0)` bodies resumed by a plain loop, no scheduler' },
  { mode: 'bare', what: 'floor: bare generators (`for (;;) yield`) resumed by a plain loop' },
];

function must<T>(result: { ok: boolean; value: T | null; error: string }): T {
  if (!result.ok || result.value === null) throw new Error(result.error);
  return result.value;
}

function medianLate(results: { lateMs: Late }[]): Late {
  return {
    p50: median(results.map((r) => r.lateMs.p50)),
    p99: median(results.map((r) => r.lateMs.p99)),
    max: median(results.map((r) => r.lateMs.max)),
  };
}

async function run(ctx: BenchContext): Promise<BenchSection> {
  const q = ctx.quick;
  const tasks = 1000;
  const yields = q ? 200 : 2000;
  const runs = 3;
  const rounds = q ? 1 : 3;
  const sleepers = q ? 10_000 : 100_000;
  const sleepSpread = q ? 0.5 : 3;
  // Five: whether a young-generation GC lands inside the first instant varies from run to run, and decides the p99.
  const sleeperRuns = q ? 1 : 5;
  const pyYields = q ? 50 : 500;
  const pyRuns = 2;

  const tree = new CompiledTree(ctx.root, ['src/core/scheduler', 'src/core/time.ts', 'bench/workers', 'bench/lib']);
  const node = (file: string, flags: string[], args: (string | number)[]) =>
    runJson(process.execPath, [...flags, tree.output(file), ...args.map(String)], { cwd: ctx.root, timeoutMs: 120_000 });
  try {
    // 1. resumptions per second on the virtual clock. Rounds interleave every mode and asyncio, so
    // that a change in the machine's other load falls on all of them, not on one.
    const python = findPython();
    const script = path.join(ctx.root, 'bench/python/asyncio_bench.py');
    // Per CPU-second is the headline: the machine is shared, and the wall-clock rate also counts
    // the time a process waited for a core. Both are reported.
    const cpuRuns = new Map<string, number[]>(MODES.map(({ mode }) => [mode, []]));
    const wallRuns = new Map<string, number[]>(MODES.map(({ mode }) => [mode, []]));
    const pyCpu: number[] = [];
    const pyWall: number[] = [];
    let pyVersion = '';
    for (let round = 0; round < rounds; round++) {
      ctx.log(`resumptions: round ${round + 1}/${rounds}: ${MODES.map((m) => m.mode).join(', ')}${python ? ', asyncio' : ''}`);
      for (const { mode } of MODES) {
        const result = must(node('bench/workers/resumptions.ts', [], [mode, tasks, yields, runs])) as RateResult;
        cpuRuns.get(mode)!.push(...result.cpuRates);
        wallRuns.get(mode)!.push(...result.rates);
      }
      if (python) {
        const pr = must(runJson<{ rates: number[]; cpuRates: number[]; python: string }>(python.command, [script, 'resumptions', String(tasks), String(pyYields), String(pyRuns)], { cwd: ctx.root, timeoutMs: 120_000 }));
        pyCpu.push(...pr.cpuRates);
        pyWall.push(...pr.rates);
        pyVersion = pr.python;
      }
    }
    const rate = (mode: string) => median(cpuRuns.get(mode)!);
    const wallRate = (mode: string) => median(wallRuns.get(mode)!);
    const pyRate = python ? median(pyCpu) : null;
    const pyWallRate = python ? median(pyWall) : null;

    // 2. many sleepers on the real clock, each run followed by asyncio's run with the same seed
    const sleeperResults: SleepersResult[] = [];
    const ps: PySleepersResult[] = [];
    for (let r = 0; r < sleeperRuns; r++) {
      ctx.log(`sleepers: ${sleepers} on the real clock, run ${r + 1}/${sleeperRuns}${python ? ', then asyncio' : ''}`);
      sleeperResults.push(must(node('bench/workers/sleepers.ts', ['--expose-gc'], [sleepers, sleepSpread, r + 1])) as SleepersResult);
      if (python) {
        ps.push(must(runJson<PySleepersResult>(python.command, [script, 'sleepers', String(sleepers), String(sleepSpread), String(r + 1)], { cwd: ctx.root, timeoutMs: 120_000 })));
      }
    }
    const late = medianLate(sleeperResults);
    const seeded = sleeperResults.map((r, i) => ({ ...r, seed: i + 1 }));
    const withGc = seeded.filter((r) => r.firstInstantGcMs >= 1);
    const withoutGc = seeded.filter((r) => r.firstInstantGcMs < 1);
    const lateAfter = medianLate(sleeperResults.map((r) => ({ lateMs: r.lateAfterFirstInstantMs })));
    const firstInstantMs = median(sleeperResults.map((r) => r.firstInstantMs));
    const firstInstantCpuMs = median(sleeperResults.map((r) => r.firstInstantCpuMs));
    const firstInstantGcMs = median(sleeperResults.map((r) => r.firstInstantGcMs));
    const gcAfterMs = median(sleeperResults.map((r) => r.gcAfterFirstInstantMs));
    const dueEarly = median(sleeperResults.map((r) => r.dueBeforeFirstInstantEnded));
    const peakRss = median(sleeperResults.map((r) => r.memory.peakRss));
    const baseRss = median(sleeperResults.map((r) => r.memory.baseRss));
    const heapDelta = median(sleeperResults.map((r) => r.memory.peakHeap - r.memory.baseHeap));
    const totalMs = median(sleeperResults.map((r) => r.totalMs));
    const longestMs = median(sleeperResults.map((r) => r.longestSleepMs));
    const spawnMs = median(sleeperResults.map((r) => r.spawnMs));
    const py = ps.length === 0 ? null : {
      late: medianLate(ps),
      ownLate: medianLate(ps.map((p) => ({ lateMs: p.ownLateMs }))),
      peakRss: median(ps.map((p) => p.memory.peakRss)),
      baseRss: median(ps.map((p) => p.memory.baseRss)),
      totalMs: median(ps.map((p) => p.totalMs)),
    };

    // ---- report -------------------------------------------------------------
    const quiet = rate('quiet');
    const ratio = pyRate ? quiet / pyRate : NaN;
    const lines: string[] = [];
    lines.push(
      `### Task resumptions per second (virtual clock)`,
      '',
      `${tasks.toLocaleString('en-US')} tasks each doing ${yields.toLocaleString('en-US')} yields, run to idle with \`runUntilIdle()\`; ` +
        `a resumption is one \`next()\` of a task's generator driven by the scheduler (\`scheduler.resumptions\`, checked to be ` +
        `tasks × (yields + 1)). Each mode runs in a fresh process: 2 warm-up runs, then ${runs} measured; ${rounds} such round${rounds === 1 ? '' : 's'}, ` +
        `interleaved with the asyncio runs, give the median of ${runs * rounds} runs. Rates are per second of the process's ` +
        `CPU time (user + system, all threads, GC and JIT included; \`time.process_time()\` for Python): the machine is shared, and ` +
        `a wall-clock rate also counts the time the process waited for a core. The wall-clock median is shown alongside.`,
      '',
      table(
        ['workload', 'resumptions per CPU-second (median)', 'CPU ns each', `range of ${runs * rounds} runs (M/s)`, 'per wall-second (median)'],
        [
          ...MODES.map(({ mode, what }) => {
            const r = cpuRuns.get(mode)!;
            const m = median(r);
            return [what, millions(m), fixed(1e9 / m, 1), spread(r, 1e6), millions(wallRate(mode))];
          }),
          ...(pyRate && pyWallRate
            ? [[`Python ${pyVersion} asyncio: \`await asyncio.sleep(0)\` (${tasks.toLocaleString('en-US')} tasks × ${pyYields})`, millions(pyRate), fixed(1e9 / pyRate, 0), spread(pyCpu, 1e6), millions(pyWallRate)]]
            : []),
        ],
      ),
      '',
      `- The scheduler's own work per resumption (ready queue, task state, Op dispatch, the is-anyone-listening checks) is ` +
        `${fixed(1e9 / quiet - 1e9 / rate('body'), 1)} ns over the bare task bodies. Instrumentation costs nothing while nobody ` +
        `listens; one listener that keeps the event objects (two per resumption: task-running, task-ready) adds ` +
        `${fixed(1e9 / rate('listener') - 1e9 / quiet, 1)} ns (${fixed((1 - rate('listener') / quiet) * 100, 0)} % of the rate).`,
      `- Floors: a bare generator \`next()\` runs at ${millions(rate('bare'))}/s here; \`yield* sleep(0)\` costs a task body ` +
        `${fixed(1e9 / rate('body') - 1e9 / rate('bare'), 1)} ns more than a bare \`yield\` (the delegation and the one small object \`sleep\` returns).`,
    );
    if (pyRate) {
      lines.push(
        `- Against Python ${pyVersion} asyncio (median of ${pyRuns * rounds} runs of ${tasks.toLocaleString('en-US')} tasks × ${pyYields} ` +
          `\`await asyncio.sleep(0)\`, each one step of a task): corotone resumes **${fixed(ratio, 1)}×** as many per second ` +
          `(target ≥ ${RESUMPTION_TARGET_RATIO}×); by wall-clock medians, ${fixed(wallRate('quiet') / pyWallRate!, 1)}×.`,
      );
    }
    lines.push(
      '',
      `### ${sleepers.toLocaleString('en-US')} concurrent sleepers on the real clock`,
      '',
      `Every task is spawned, then \`RealTimeDriver\` starts; each sleeps a duration drawn uniformly from [0, ${sleepSpread}) s ` +
        `(seeded) and records its lateness: the wall time at which it resumed minus the wall time its logical wake was due ` +
        `(\`driver.wallNs() - driver.wallAtNs(scheduler.nowNanos)\`). All sleeps begin at the logical instant the driver starts, so ` +
        `lateness includes running the ${sleepers.toLocaleString('en-US')} first slices and the host timers' millisecond granularity. ` +
        `Memory is the process's peak RSS (VmHWM from /proc/self/status, and \`process.memoryUsage()\` sampled every 20 ms) ` +
        `in a fresh \`node --expose-gc\` running the compiled JavaScript, cold: these tasks are the first work its scheduler does, JIT compilation included; "before" is after a full GC with the durations drawn. ` +
        `Median of ${sleeperRuns} run(s) (seeds 1..${sleeperRuns}), each figure separately.`,
      '',
      table(
        ['', 'corotone', ...(py ? [`asyncio (Python ${pyVersion})`, 'asyncio ÷ corotone'] : [])],
        [
          ['total time (longest sleep ' + fixed(longestMs / 1000, 2) + ' s)', `${fixed(totalMs / 1000, 3)} s`, ...(py ? [`${fixed(py.totalMs / 1000, 3)} s`, ''] : [])],
          ['lateness p50', `${fixed(late.p50, 2)} ms`, ...(py ? [`${fixed(py.late.p50, 1)} ms`, `${fixed(py.late.p50 / late.p50, 0)}×`] : [])],
          ['lateness p99', `**${fixed(late.p99, 2)} ms**`, ...(py ? [`${fixed(py.late.p99, 1)} ms`, `${fixed(py.late.p99 / late.p99, 0)}×`] : [])],
          ['lateness max', `${fixed(late.max, 2)} ms`, ...(py ? [`${fixed(py.late.max, 1)} ms`, `${fixed(py.late.max / late.max, 0)}×`] : [])],
          [
            `lateness p99, least disturbed of the ${sleeperRuns} runs`,
            `${fixed(Math.min(...sleeperResults.map((r) => r.lateMs.p99)), 2)} ms`,
            ...(py ? [`${fixed(Math.min(...ps.map((p) => p.lateMs.p99)), 1)} ms`, ''] : []),
          ],
          ['peak RSS', `**${mb(peakRss)}**`, ...(py ? [mb(py.peakRss), `${fixed(py.peakRss / peakRss, 1)}×`] : [])],
          ['RSS before the tasks', mb(baseRss), ...(py ? [mb(py.baseRss), ''] : [])],
          ['peak RSS − before', mb(peakRss - baseRss), ...(py ? [mb(py.peakRss - py.baseRss), `${fixed((py.peakRss - py.baseRss) / (peakRss - baseRss), 1)}×`] : [])],
          ['peak JS heap − before', mb(heapDelta), ...(py ? ['', ''] : [])],
        ],
      ),
      '',
      `- Spawning the ${sleepers.toLocaleString('en-US')} tasks took ${fixed(spawnMs, 0)} ms (before the clock started, so not in the lateness).`,
      `- Running every task's first slice, all at logical time 0, took ${fixed(firstInstantMs, 1)} ms of wall time ` +
        `(${fixed(firstInstantCpuMs, 1)} ms of the process's CPU time, all threads; ${fixed(firstInstantGcMs, 1)} ms of it the main thread ` +
        `stood in GC pauses, and the code ran cold at first); the ` +
        `${fixed(dueEarly, 0)} wakes (${fixed((dueEarly / sleepers) * 100, 2)} %) due before that instant had ended could only run after it, ` +
        `since logical time never goes back (the driver runs them straight after it, each at its own logical time). A wake due at d within ` +
        `the instant is late by about its end minus d, so ${fixed(sleepers / 100, 0)} such wakes (1 %) are later than 10 ms once the instant ` +
        `lasts more than 10 ms + 1 % of the ${sleepSpread} s spread = ${fixed(10 + sleepSpread * 10, 0)} ms, and fewer of them leave less room for late wakes due after it. ` +
        `The ${fixed(sleepers - dueEarly, 0)} wakes due after it ` +
        `were late by p50 ${fixed(lateAfter.p50, 2)} ms, p99 ${fixed(lateAfter.p99, 2)} ms, max ${fixed(lateAfter.max, 2)} ms ` +
        `(host timers have millisecond granularity; GC paused the main thread ${fixed(gcAfterMs, 1)} ms in all after the first instant, ` +
        `and the rest is the machine's other load).`,
      `- Run by run (seed: first instant, GC pauses within it, p99; then the wakes later than 10 ms, of ${fixed(sleepers / 100, 0)} that p99 < 10 ms allows, ` +
        `as due inside the first instant + due after it): ` +
        sleeperResults
          .map((r, i) => `${i + 1}: ${fixed(r.firstInstantMs, 1)} ms, ${fixed(r.firstInstantGcMs, 1)} ms, ${fixed(r.lateMs.p99, 2)} ms; ` +
            `${r.lateOver10ms.dueInFirstInstant} + ${r.lateOver10ms.dueAfter}`)
          .join('; ') +
        `. The wakes due after the first instant that are later than 10 ms are those held up by a GC pause or by the machine's other load. ` +
        `Whether a young-generation GC falls inside the first instant decides how many of the others there are. Spawning fills the young generation with tasks and ` +
        `their generators, all alive; the first slices allocate one small object per sleep (alive until the wake), and when that fills ` +
        `the young generation the scavenger copies everything in it twice (to the other semi-space, then to the old generation), up to ` +
        `a 16 MB semi-space each time; ` +
        (withGc.length > 0
          ? `in the run${withGc.length === 1 ? '' : 's'} where that fell inside the first instant (${withGc.map((r) => r.seed).join(', ')}) its pauses were ` +
            `${withGc.map((r) => fixed(r.firstInstantGcMs, 1)).join(', ')} ms. `
          : `in these runs it never fell inside the first instant. `) +
        (withoutGc.length > 0
          ? `Without one, the instant took ${withoutGc.map((r) => fixed(r.firstInstantMs, 1)).join(', ')} ms: the first slices' own work ` +
            `(the first few thousand interpreted, before the JIT's code arrives), with the JIT compiling and the old generation's ` +
            `incremental marking (not counted as pauses) sharing the 2 cores, and the machine's other load.`
          : ''),
    );
    if (py) {
      lines.push(
        `- asyncio measured the same way: due = the moment all tasks were created + d. Measured from each task's own start ` +
          `(when asyncio got round to running it), asyncio's lateness is p50 ${fixed(py.ownLate.p50, 1)} ms, ` +
          `p99 ${fixed(py.ownLate.p99, 1)} ms, max ${fixed(py.ownLate.max, 1)} ms.`,
      );
    }

    const rows: BenchRow[] = [
      {
        name: 'resumptions per CPU-second, nobody listening',
        value: quiet / 1e6,
        unit: 'M/s',
        ...(pyRate ? { target: `≥ ${RESUMPTION_TARGET_RATIO}× asyncio (${millions(pyRate * RESUMPTION_TARGET_RATIO, 1)}/s)`, met: ratio >= RESUMPTION_TARGET_RATIO } : {}),
      },
      { name: 'resumptions per CPU-second, one listener', value: rate('listener') / 1e6, unit: 'M/s' },
      ...(pyRate ? [{ name: 'resumptions/s vs asyncio', value: ratio, unit: '×' }] : []),
      { name: `${sleepers.toLocaleString('en-US')} real-clock sleepers: p99 lateness`, value: late.p99, unit: 'ms', target: `< ${SLEEPERS_P99_TARGET_MS} ms`, met: late.p99 < SLEEPERS_P99_TARGET_MS },
      { name: `${sleepers.toLocaleString('en-US')} real-clock sleepers: p99 lateness of wakes due after the first instant`, value: lateAfter.p99, unit: 'ms' },
      { name: `${sleepers.toLocaleString('en-US')} real-clock sleepers: first instant (every first slice, logical time 0)`, value: firstInstantMs, unit: 'ms' },
      { name: `${sleepers.toLocaleString('en-US')} real-clock sleepers: peak RSS`, value: peakRss / 1e6, unit: 'MB', target: `< ${SLEEPERS_MEMORY_TARGET / 1e6} MB`, met: peakRss < SLEEPERS_MEMORY_TARGET },
    ];
    return { markdown: lines.join('\n'), rows };
  } finally {
    tree.dispose();
  }
}

const schedulerBench: BenchModule = {
  title: 'Scheduler',
  run,
};
export default schedulerBench;
