/**
 * Child process: one hostile script in web mode's host (an AppSession on the
 * real engine, one attached view that serialises every message it is sent, as
 * a socket does), and what it costs the host.
 *   node <compiled>/bench/workers/hostile.js <script as JSON> <seconds> [script|lines|frame]
 * A setInterval(1 ms) probe records the gaps between its ticks (the worst stall
 * of the host's I/O) and samples the RSS (its peak); the view counts the bytes
 * it would send the page. After `seconds` a panic request is timed: how long
 * the call holds the host, and how long until no task is left. `lines` submits
 * the script's lines one by one as typed lines (what a user does in the
 * terminal); `script` (default) loads it as one script; `frame` starts web
 * mode's server and sends the script as one WebSocket frame from a client, as
 * a hostile page could. Prints one JSON line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { WEB_SOCKET_PATH } from '../../src/protocol';
import { startWebServer } from '../../src/node/web';
import { AppSession } from '../../src/node/app-session/app-session';
import { createRealEngine } from '../../src/node/app-session/real-engine';
import type { EngineFactory } from '../../src/node/app-session/engine';
import type { Session } from '../../src/core/session/session';

const [scriptArg = '"loop wait 0.000000001"', secondsArg = '3', how = 'script'] = process.argv.slice(2);
// A script, or (too long for a command line) { repeat, times }: that text so many times over.
const spec = JSON.parse(scriptArg) as string | { repeat: string; times: number };
const script = typeof spec === 'string' ? spec : spec.repeat.repeat(spec.times);
const seconds = Number(secondsArg);

let session: Session | null = null;
const createEngine: EngineFactory = () => {
  const engine = createRealEngine();
  session = engine.session as Session;
  return engine;
};
const started = performance.now();
let firstErrorMs: number | null = null;
const errors: string[] = [];
const app = new AppSession({
  createEngine,
  onEvent: (e) => {
    if (e.type !== 'diagnostic') return;
    firstErrorMs ??= performance.now() - started;
    errors.push(`${e.diagnostic.source}:${e.diagnostic.line}:${e.diagnostic.col}: ${e.diagnostic.message}`);
  },
});
let bytes = 0;
let messages = 0;
app.attach({
  send: (message) => {
    bytes += JSON.stringify(message).length;
    messages++;
  },
});

const gaps: number[] = [];
/** CPU time this process spent in each gap: on a loaded machine, the part of a stall that is the host's own work. */
let maxCpuGapMs = 0;
let lastCpu = process.cpuUsage();
let peakRss = process.memoryUsage.rss();
let last = performance.now();
const probe = setInterval(() => {
  const now = performance.now();
  gaps.push(now - last);
  last = now;
  const cpu = process.cpuUsage(lastCpu);
  maxCpuGapMs = Math.max(maxCpuGapMs, (cpu.user + cpu.system) / 1000);
  lastCpu = process.cpuUsage();
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}, 1);

if (process.env.BENCH_TRACE) {
  setInterval(() => {
    const s = (session as Session | null)?.scheduler;
    process.stderr.write(`t=${((performance.now() - started) / 1000).toFixed(1)} live=${s?.liveTasks} logical=${s?.now.toFixed(3)} rss=${(process.memoryUsage.rss() / 1e6).toFixed(0)} MB sent=${(bytes / 1e6).toFixed(0)} MB\n`);
  }, 250).unref();
}
let loadMs = 0;
if (how === 'frame') {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'corotone-bench-hostile-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>\n');
  const server = await startWebServer({ appSession: app, rendererDir });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${WEB_SOCKET_PATH}?token=${encodeURIComponent(server.token)}`);
  socket.on('error', () => {});
  socket.on('open', () => socket.send(script));
} else {
  const t0 = performance.now();
  if (how === 'lines') for (const line of script.split('\n')) app.submitLine(line);
  else app.loadScript('hostile.txt', script);
  loadMs = performance.now() - t0;
}

setTimeout(() => {
  const live = () => (session as Session | null)?.scheduler.liveTasks ?? 0;
  const liveAtPanic = live();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  app.panic();
  const panicCallMs = performance.now() - t0;
  const panicCpu = process.cpuUsage(cpu0);
  const panicCallCpuMs = (panicCpu.user + panicCpu.system) / 1000;
  const ticksBefore = gaps.length;
  let panicDoneMs: number | null = live() === 0 ? panicCallMs : null;
  const watch = setInterval(() => {
    if (panicDoneMs === null && live() === 0) panicDoneMs = performance.now() - t0;
  }, 1);
  setTimeout(() => {
    clearInterval(probe);
    clearInterval(watch);
    const sorted = [...gaps].sort((a, b) => a - b);
    const result = {
      script: script.length > 200 ? `${script.slice(0, 60)}… (${script.length} characters)` : script,
      seconds,
      loadMs,
      maxGapMs: sorted.at(-1) ?? Infinity,
      maxCpuGapMs,
      panicCallCpuMs,
      p99GapMs: sorted[Math.floor(sorted.length * 0.99)] ?? Infinity,
      ticks: gaps.length,
      peakRssMb: peakRss / 1e6,
      sentMb: bytes / 1e6,
      messages,
      liveAtPanic,
      panicCallMs,
      panicDoneMs,
      ticksAfterPanic: gaps.length - ticksBefore,
      liveAfterPanic: live(),
      resumptions: (session as Session | null)?.scheduler.resumptions ?? 0,
      firstErrorMs,
      error: errors[0] ?? null,
    };
    app.dispose();
    console.log(JSON.stringify(result));
    process.exit(0);
  }, 1500);
}, seconds * 1000);
