/**
 * Child process (run with --expose-gc): many concurrent sleepers on the REAL clock.
 *   node --expose-gc <compiled>/bench/workers/sleepers.js <count> <spreadSeconds> <seed>
 * (bench/scheduler.ts compiles it first: see lib/compile.ts; tsx also works, with its loader's memory on top)
 * Prints one JSON line with total time, memory and wake-up lateness.
 *
 * Every task is spawned before the RealTimeDriver starts, so each one's sleep
 * begins at the same logical instant (the start) and is due at start + d on the
 * wall clock, d uniform in [0, spread). Lateness is the wall time at which the
 * task resumed minus that due time, read from the driver's own mapping of logical
 * to wall time. It therefore includes the time the scheduler takes to run all
 * first slices and the host timers' granularity: everything a listener would hear.
 * It is also reported for the wakes due after that first instant had ended alone,
 * which is the timer accuracy a running program sees. The process is cold: these
 * 100k tasks are the first work its scheduler does, JIT compilation included.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { RealTimeDriver, Scheduler, sleep, type Co } from '../../src/core/scheduler';
import { percentileSorted } from '../lib/stats';
import { MULBERRY32_STEP, mulberry32 } from '../../src/core/random';

const [countArg = '100000', spreadArg = '3', seedArg = '1'] = process.argv.slice(2);
const count = Number(countArg);
const spread = Number(spreadArg);

/** A small seeded PRNG (core's mulberry32), so every run sleeps the same durations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + MULBERRY32_STEP) >>> 0;
    return mulberry32(a);
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const random = prng(Number(seedArg));
const durations = new Float64Array(count);
for (let i = 0; i < count; i++) durations[i] = random() * spread;
const lateNs = new Float64Array(count);
const dueWallNs = new Float64Array(count);

gc();
gc();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
const sample = (): void => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
};

// 100,000 spawned at once is over the limit on tasks created within one second (50,000, a fork bomb's
// guard since issue 16): lifted here, as this measures the real clock's wake-ups, not the guard.
const scheduler = new Scheduler({ limits: { maxTasksCreatedPerSecond: Infinity } });
const driver = new RealTimeDriver(scheduler);
let woken = 0;
let finished: () => void = () => {};
const allDone = new Promise<void>((resolve) => { finished = resolve; });

function* sleeper(i: number): Co {
  yield* sleep(durations[i]);
  const due = driver.wallAtNs(scheduler.nowNanos);
  dueWallNs[i] = due;
  lateNs[i] = driver.wallNs() - due;
  if (++woken === count) finished();
}

/** Spawned last, so its only slice runs right after every sleeper's first slice: it marks when the first instant ended. */
let firstInstantEndNs = 0;
let firstInstantCpuMs = 0;
let cpuAtStart: NodeJS.CpuUsage = { user: 0, system: 0 };
function* marker(): Co {
  firstInstantEndNs = driver.wallNs();
  const cpu = process.cpuUsage(cpuAtStart);
  firstInstantCpuMs = (cpu.user + cpu.system) / 1000;
}

/** GC pauses on the main thread, as [start, end] in performance.now() ms. */
const gcPauses: [number, number][] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push([entry.startTime, entry.startTime + entry.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });
/** Milliseconds of GC pause that fall within [from, to]. */
function gcWithin(from: number, to: number): number {
  let ms = 0;
  for (const [a, b] of gcPauses) ms += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return ms;
}

const spawnStart = performance.now();
for (let i = 0; i < count; i++) scheduler.spawn(sleeper(i), { name: 'sleeper' });
scheduler.spawn(marker(), { name: 'marker' });
const spawnMs = performance.now() - spawnStart;
sample();

const sampler = setInterval(sample, 20);
const t0 = performance.now();
cpuAtStart = process.cpuUsage();
driver.start();
await allDone;
const totalMs = performance.now() - t0;
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries are delivered asynchronously
gcObserver.disconnect();
const startMs = t0;
const firstEndMs = t0 + firstInstantEndNs / 1e6;
sample();
driver.stop();

const sorted = Float64Array.from(lateNs).sort();
const afterFirst = Float64Array.from(lateNs.filter((_, i) => dueWallNs[i] > firstInstantEndNs)).sort();
/**
 * The process's peak RSS since exec: VmHWM in /proc/self/status. Not
 * process.resourceUsage().maxRSS: Linux carries that over from the parent
 * across fork and exec, so it reports at least the bench runner's own RSS.
 */
function highWaterRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: the samples are all there is
  }
  return 0;
}
console.log(JSON.stringify({
  count,
  spread,
  spawnMs,
  totalMs,
  longestSleepMs: Math.max(...durations) * 1000,
  lateMs: {
    p50: percentileSorted(sorted, 50) / 1e6,
    p99: percentileSorted(sorted, 99) / 1e6,
    max: sorted[sorted.length - 1] / 1e6,
  },
  firstInstantMs: firstInstantEndNs / 1e6,
  firstInstantCpuMs,
  firstInstantGcMs: gcWithin(startMs, firstEndMs),
  gcAfterFirstInstantMs: gcWithin(firstEndMs, t0 + totalMs),
  dueBeforeFirstInstantEnded: count - afterFirst.length,
  /** Wakes later than 10 ms (the target's p99), by whether they were due inside the first instant or after it. */
  lateOver10ms: {
    dueInFirstInstant: lateNs.filter((late, i) => late > 10e6 && dueWallNs[i] <= firstInstantEndNs).length,
    dueAfter: lateNs.filter((late, i) => late > 10e6 && dueWallNs[i] > firstInstantEndNs).length,
  },
  lateAfterFirstInstantMs: {
    p50: percentileSorted(afterFirst, 50) / 1e6,
    p99: percentileSorted(afterFirst, 99) / 1e6,
    max: afterFirst[afterFirst.length - 1] / 1e6,
  },
  memory: {
    baseRss: base.rss,
    peakRss: Math.max(peakRss, highWaterRss()),
    baseHeap: base.heapUsed,
    peakHeap,
  },
  resumptions: scheduler.resumptions - 1,
}));
