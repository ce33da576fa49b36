/**
 * Web mode's transport measured end to end on a real loopback socket: the
 * engine host (AppSession on the real clock, with its event batching) behind
 * web mode's own server (`startWebServer`), and in a worker thread of this
 * process the renderer's side (`connectWebSocket` over `ws`, validating every
 * message as the page does). Both threads read the same monotonic clock, so
 * the latency of an event is its client receipt minus its emission by the
 * engine, without clock sync. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/transport.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppSession, type View } from '../../../src/node/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import { startWebServer } from '../../../src/node/web';
import { parseHostMessage, type SessionEvent } from '../../../src/protocol';

const quick = process.argv.includes('--quick');
const now = (): number => Number(process.hrtime.bigint());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the host, with hooks that only observe -------------------------------

/** Engine emission time of every event since the last reset. */
let emitAt: number[] = [];
/** Socket hand-over of every event batch since the last reset (time, size). */
let sendAt: number[] = [];
let sendSize: number[] = [];
let captured: SessionEvent[] = [];
let capture = false;
/** The engine's event listener (the AppSession's), to inject recorded events in the saturation run. */
let engineListener: ((event: SessionEvent) => void) | null = null;

const appSession = new AppSession({
  createEngine: () => {
    const engine = createRealEngine();
    const subscribe = engine.session.subscribe.bind(engine.session);
    engine.session.subscribe = (listener) => {
      engineListener = listener as (event: SessionEvent) => void;
      return subscribe(listener);
    };
    return engine;
  },
  onEvent: (event) => {
    emitAt.push(now());
    if (capture && captured.length < 200_000) captured.push(event);
  },
});
const attach = appSession.attach.bind(appSession);
appSession.attach = (view: View) =>
  attach({
    send(message) {
      if (message.type === 'events') {
        sendAt.push(now());
        sendSize.push(message.events.length);
      }
      view.send(message);
    },
  });

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'corotone-bench-web-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>\n');
const server = await startWebServer({ appSession, rendererDir });
const wsUrl = `ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(server.token)}`;

// ---- the client thread ------------------------------------------------------

const here = path.dirname(fileURLToPath(import.meta.url));
const client = new Worker(
  // Node 20 does not hand tsx's loader to a worker thread: the worker registers it, then loads the client.
  `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(path.join(here, 'transport-client.ts')).href)}); })`,
  { eval: true, workerData: { url: wsUrl } },
);
const inbox: { type: string; [key: string]: unknown }[] = [];
const waiters: { type: string; resolve: (m: any) => void }[] = [];
const ackListeners = new Set<(received: number) => void>();
client.on('message', (m: { type: string; received?: number }) => {
  if (m.type === 'ack') {
    for (const l of ackListeners) l(m.received ?? 0);
    return;
  }
  const i = waiters.findIndex((w) => w.type === m.type);
  if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
  else inbox.push(m);
});
client.on('error', (error) => {
  process.stderr.write(`client thread: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
function next<T = any>(type: string, timeoutMs = 60_000): Promise<T> {
  const i = inbox.findIndex((m) => m.type === type);
  if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} from the client thread in ${timeoutMs} ms`)), timeoutMs);
    waiters.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
  });
}
await next('ready');

async function reset(ackEvery = 0): Promise<void> {
  client.postMessage({ type: 'reset', ackEvery });
  await next('reset-done');
  emitAt = [];
  sendAt = [];
  sendSize = [];
}

interface ClientReport {
  batchAt: number[];
  batchSize: number[];
  received: number;
  snapshotsSinceReset: number;
}

function sortedMs(ns: number[]): number[] {
  return ns.map((x) => x / 1e6).sort((a, b) => a - b);
}
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function summary(ns: number[]) {
  const s = sortedMs(ns);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

/**
 * Per event: receipt (validated, in the client) minus engine emission, and
 * minus the batch's hand-over to the socket. Events are matched by order;
 * that holds only if nothing was dropped (no snapshot in between), which is checked.
 */
function latencies(report: ClientReport) {
  const emitToReceipt: number[] = [];
  const sendToReceipt: number[] = [];
  let k = 0;
  for (let b = 0; b < report.batchAt.length; b++) {
    const at = report.batchAt[b];
    if (b < sendAt.length) sendToReceipt.push(at - sendAt[b]);
    for (let j = 0; j < report.batchSize[b]; j++, k++) if (k < emitAt.length) emitToReceipt.push(at - emitAt[k]);
  }
  const first = report.batchAt[0];
  const last = report.batchAt[report.batchAt.length - 1];
  return {
    emitted: emitAt.length,
    sentBatches: sendAt.length,
    sentEvents: sendSize.reduce((a, b) => a + b, 0),
    received: report.received,
    batches: report.batchAt.length,
    meanBatch: report.received / Math.max(1, report.batchAt.length),
    matched: report.snapshotsSinceReset === 0 && report.received === emitAt.length,
    snapshots: report.snapshotsSinceReset,
    eventsPerSecond: report.batchAt.length > 1 ? (report.received - report.batchSize[0]) / ((last - first) / 1e9) : NaN,
    emitToReceipt: summary(emitToReceipt),
    sendToReceipt: summary(sendToReceipt),
  };
}

// ---- 1. request round trips on an idle session ----------------------------

await reset();
client.postMessage({ type: 'pings', count: quick ? 50 : 300, gapMs: 2 });
const idlePings = summary((await next<{ rtts: number[] }>('pings')).rtts);

// ---- 2. the real engine: N tasks looping short beeps ---------------------

/** N tasks, each `loop beep NOTE 0.02; wait D` with D spread so their wakes interleave. */
function loopScript(tasks: number): string {
  const lines: string[] = [];
  for (let i = 0; i < tasks; i++) lines.push(`spawn loop beep ${36 + (i % 48)} 0.02; wait 0.0${1 + (i % 9)}`);
  return lines.join('\n');
}

const loads: Record<string, unknown>[] = [];
const durationMs = quick ? 1000 : 2500;
for (const tasks of quick ? [100] : [100, 1000]) {
  await reset();
  capture = tasks === (quick ? 100 : 1000);
  const t0 = now();
  appSession.loadScript(`loops-${tasks}.txt`, loopScript(tasks));
  // round trips while the events stream, spaced like a user's clicks would not be: every 10 ms
  client.postMessage({ type: 'pings', count: Math.round(durationMs / 12), gapMs: 10 });
  await sleep(durationMs);
  appSession.stopAll();
  const wall = (now() - t0) / 1e9;
  const loadPings = summary((await next<{ rtts: number[] }>('pings')).rtts);
  await sleep(300);
  capture = false;
  client.postMessage({ type: 'report' });
  const report = await next<ClientReport>('report');
  loads.push({ tasks, wallSeconds: wall, emittedPerSecond: emitAt.length / wall, ...latencies(report), pings: loadPings });
  await sleep(300);
}

// ---- 3. saturation: recorded events injected as fast as the client validates them ----

const windowEvents = 20_000;
let acked = 0;
ackListeners.add((received) => (acked = received));
await reset(1000);
acked = 0;
const events = captured.length > 0 ? captured : [];
let injected = 0;
const satMs = quick ? 1000 : 2500;
// (assigned in a callback, which TypeScript's narrowing does not see)
const inject = engineListener as ((event: SessionEvent) => void) | null;
const satStart = now();
while (now() - satStart < satMs * 1e6 && events.length > 0 && inject !== null) {
  if (injected - acked < windowEvents) {
    for (let i = 0; i < 500; i++) inject(events[injected++ % events.length]);
  } else {
    await new Promise((r) => setImmediate(r));
    continue;
  }
  await new Promise((r) => setImmediate(r));
}
appSession.stopAll();
await sleep(500);
client.postMessage({ type: 'report' });
const satReport = await next<ClientReport>('report');
const saturation = { injected, window: windowEvents, ...latencies(satReport) };

// ---- 4. the cost per event of what crosses the socket ---------------------

function nsPerEvent(fn: () => void, eventsPerCall: number, minMs = 300): number {
  for (let i = 0; i < 3; i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let calls = 0;
    const t0 = now();
    do {
      fn();
      calls++;
    } while (now() - t0 < (minMs / 5) * 1e6);
    runs.push((now() - t0) / (calls * eventsPerCall));
  }
  runs.sort((a, b) => a - b);
  return runs[2];
}
// from the middle of the recorded stream: the tasks looping, not their spawning
const middle = Math.max(0, Math.floor(captured.length / 2) - 500);
const sample = captured.slice(middle, middle + 1000);
const batch = { type: 'events' as const, events: sample };
const text = JSON.stringify(batch);
let sink = 0;
const costs = {
  batchEvents: sample.length,
  bytesPerEvent: Buffer.byteLength(text) / sample.length,
  stringifyNs: nsPerEvent(() => (sink += JSON.stringify(batch).length), sample.length),
  parseNs: nsPerEvent(() => (sink += (JSON.parse(text) as { events: unknown[] }).events.length), sample.length),
  validateNs: nsPerEvent(() => {
    const r = parseHostMessage(JSON.parse(text));
    if (!r.ok) throw new Error(r.error.message);
  }, sample.length),
  eventTypes: Object.fromEntries(Object.entries(sample.reduce<Record<string, number>>((m, e) => ((m[e.type] = (m[e.type] ?? 0) + 1), m), {}))),
};
// validateNs above includes the parse: subtract it
(costs as Record<string, unknown>).validateOnlyNs = costs.validateNs - costs.parseNs;

client.postMessage({ type: 'close' });
await server.close();
appSession.dispose();
rmSync(rendererDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ idlePings, loads, saturation, costs, sink: sink > 0 })}\n`);
process.exit(0);
