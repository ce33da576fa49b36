/**
 * Loading a script full of errors into the app's host (issue 16, item 5): an
 * AppSession on the real clock with the real engine, a line playing notes
 * meanwhile, and a 1 ms probe timer whose longest gap is the longest the host
 * was held. Loads one 1 MiB script of 524,288 bad lines, then four at once,
 * and asks for the examples while each load runs. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/script-load.ts [--quick]
 */
import { AppSession } from '../../../src/node/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';

const quick = process.argv.includes('--quick');
const LINES = quick ? 65_536 : 524_288;
/** Two characters a line (`x` and a newline), 1 MiB in all: each line an unknown command. */
const text = 'x\n'.repeat(LINES);

interface Load {
  scripts: number;
  lines: number;
  /** From the requests to the last reply. */
  wallMs: number;
  /** The longest gap between two ticks of the 1 ms probe while they loaded. */
  worstGapMs: number;
  /** The most CPU time this process used between two ticks: the part of a gap that was the host's own work, not a wait for a core. */
  worstCpuGapMs: number;
  /** The process's peak RSS so far (getrusage), and the heap in use at the start and at its peak. */
  peakRssMb: number;
  startHeapMb: number;
  peakHeapMb: number;
  /** Diagnostics in each reply, and the "N more" its message gave. */
  diagnostics: number[];
  more: string[];
  /** When the examples request sent after the loads was answered, ms after it was sent; and whether before the loads. */
  otherRequestMs: number;
  otherBeforeLoads: boolean;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function measure(app: AppSession, scripts: number): Promise<Load> {
  global.gc?.();
  const startHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = startHeap;
  let worstGap = 0;
  let worstCpuGap = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const probe = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
    const cpu = process.cpuUsage(lastCpu);
    worstCpuGap = Math.max(worstCpuGap, (cpu.user + cpu.system) / 1000);
    lastCpu = process.cpuUsage();
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 1);
  const t0 = performance.now();
  let loadsAnswered = 0;
  const loads = Promise.all(
    Array.from({ length: scripts }, (_, i) =>
      app.request('load-script', { name: `errors${i}.txt`, text }).then((r) => {
        loadsAnswered++;
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        return r;
      }),
    ),
  );
  const asked = performance.now();
  let otherBeforeLoads = false;
  const other = app.request('list-examples', {}).then(() => {
    otherBeforeLoads = loadsAnswered === 0;
    return performance.now() - asked;
  });
  const [replies, otherRequestMs] = await Promise.all([loads, other]);
  const wallMs = performance.now() - t0;
  // One more tick of the probe: a load that held the host shows as the gap that ends here.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(probe);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  return {
    scripts,
    lines: LINES,
    wallMs,
    worstGapMs: worstGap,
    worstCpuGapMs: worstCpuGap,
    peakRssMb: mb(peakRss),
    startHeapMb: mb(startHeap),
    peakHeapMb: mb(peakHeap),
    diagnostics: replies.map((r) => (r.ok ? 0 : (r.error.diagnostics?.length ?? 0))),
    more: replies.map((r) => (r.ok ? '' : (/and ([\d,]+) more/.exec(r.error.message)?.[1] ?? ''))),
    otherRequestMs,
    otherBeforeLoads,
  };
}

const app = new AppSession({ createEngine: createRealEngine });
await app.request('submit-line', { line: 'loop beep 60 0.05' });
const one = await measure(app, 1);
const four = await measure(app, 4);
app.dispose();
console.log(JSON.stringify({ one, four }));
process.exit(0);
