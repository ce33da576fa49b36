/**
 * Child process: one hostile script on the REAL clock, and how long the host's
 * I/O is stalled meanwhile.
 *   node <compiled>/bench/workers/stall.js <script as JSON> <seconds>
 * A setInterval(1 ms) probe records the gaps between its ticks (the longest
 * is the worst stall of the event loop); a SIGUSR2 sent to ourselves every
 * 250 ms measures how long a signal waits for its handler; at the end a
 * panic() is timed, and the probe must still tick afterwards. Prints one JSON line.
 */
import { RealTimeDriver } from '../../src/core/scheduler/realtime';
import { Session } from '../../src/core/session/session';

const [scriptArg = '"loop wait 0.000000001"', secondsArg = '3'] = process.argv.slice(2);
const script = JSON.parse(scriptArg) as string;
const seconds = Number(secondsArg);

const session = new Session({ recentEvents: 0 });
const driver = new RealTimeDriver(session.scheduler);
let events = 0;
const errors: string[] = [];
// A listener, as a view has: every event is built.
session.subscribe((e) => {
  events++;
  if (e.type === 'diagnostic') errors.push(`${e.diagnostic.source}:${e.diagnostic.line}:${e.diagnostic.col}: ${e.diagnostic.message}`);
});
let behind = 0;
driver.onBehind(() => behind++);

const gaps: number[] = [];
/** CPU time this process spent between two ticks: the stall that is the engine's own, whatever else the machine runs. */
const cpuGaps: number[] = [];
let last = performance.now();
let lastCpu = process.cpuUsage();
const probe = setInterval(() => {
  const now = performance.now();
  gaps.push(now - last);
  last = now;
  const cpu = process.cpuUsage(lastCpu);
  cpuGaps.push((cpu.user + cpu.system) / 1000);
  lastCpu = process.cpuUsage();
}, 1);

const signalWaits: number[] = [];
let sentAt = 0;
process.on('SIGUSR2', () => signalWaits.push(performance.now() - sentAt));
const signaller = setInterval(() => {
  sentAt = performance.now();
  process.kill(process.pid, 'SIGUSR2');
}, 250);

driver.start();
session.loadScript('hostile.txt', script);

setTimeout(() => {
  const t0 = performance.now();
  session.panic();
  const panicMs = performance.now() - t0;
  const ticksBefore = gaps.length;
  setTimeout(() => {
    clearInterval(probe);
    clearInterval(signaller);
    driver.stop();
    const sorted = [...gaps].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        script,
        seconds,
        maxGapMs: sorted.at(-1) ?? Infinity,
        p99GapMs: sorted[Math.floor(sorted.length * 0.99)] ?? Infinity,
        ticks: gaps.length,
        maxCpuGapMs: Math.max(...cpuGaps),
        maxSignalWaitMs: Math.max(...signalWaits),
        signals: signalWaits.length,
        panicMs,
        ticksAfterPanic: gaps.length - ticksBefore,
        liveAfterPanic: session.scheduler.liveTasks,
        resumptions: session.scheduler.resumptions,
        events,
        behindReports: behind,
        slicesCut: driver.slicesCut,
        error: errors[0] ?? null,
        rssMb: process.memoryUsage().rss / 1e6,
      }),
    );
  }, 100);
}, seconds * 1000);
