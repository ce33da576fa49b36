/**
 * Key-to-sound latency in Chromium against web mode: a line typed at a quick
 * human pace (`beep N 0.05`, one every 500 ms), timed from the Enter key's
 * event (its `timeStamp`, the page's performance clock) to the audio time the
 * page's player scheduled its note at, mapped to the performance clock by the
 * AudioContext (`getOutputTimestamp`), with and without the output latency.
 *
 * It also breaks each line's trip into stages, every instant on the wall clock
 * both processes share (`performance.timeOrigin + performance.now()`, the page's
 * and this process's, where web mode's host runs):
 *   key      Enter's keydown → the page sends `submit-line` (the terminal's own handling)
 *   up       sent → the host queues the line (socket, parse, validation)
 *   host     queued → the line's note event is pushed to the views (the engine runs the line)
 *   batch    pushed → its batch is sent (the batcher's wait)
 *   down     sent → the page receives the message (socket)
 *   page     received → the audio engine is handed the event (the page's dispatch)
 *   schedule handed → the audio time it is scheduled at (lookahead, clock mapping)
 *   output   the context's outputLatency (scheduled → heard)
 * Also counts the late events and loop-lag marks of the run. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/latency.ts [--lines N] [--speed S] [--latency-hint H] [--shell-switches] [--input-lookahead MS]
 *
 * --latency-hint H makes the page's AudioContext use that latencyHint (a number
 * of seconds, or a name) instead of the app's, to measure what another would give.
 * --shell-switches starts Chromium with the features the Electron shell turns
 * off (src/main/chromium-switches.ts: no deferral of the page's tasks after a key).
 * --input-lookahead MS sets the page's input lookahead (to try one).
 */
import { performance as nodePerformance } from 'node:perf_hooks';
import { Views } from '../../../src/node/app-session/views';
import { TerminalSource } from '../../../src/node/app-session/terminal';
import type { SessionEvent } from '../../../src/core/session/api';
import { startApp, waitForApp } from '../../../test/support/e2e/harness';
import { chromiumFeatureArgs } from '../../../src/main/chromium-switches';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const lines = opt('--lines', 20);
const speed = opt('--speed', 1);
const hintArg = args.includes('--latency-hint') ? args[args.indexOf('--latency-hint') + 1] : null;
const latencyHint = hintArg === null ? null : Number.isNaN(Number(hintArg)) ? hintArg : Number(hintArg);
const shellSwitches = args.includes('--shell-switches');
const inputLookaheadMs = opt('--input-lookahead', NaN);
const FIRST = 50;

// The host's side, in this process: when each line was queued, its note pushed, and that note's batch sent.
const epoch = () => nodePerformance.timeOrigin + nodePerformance.now();
const hostQueued = new Map<number, number>();
const hostPushed = new Map<number, number>();
const hostSent = new Map<number, number>();
const noteOf = (line: string) => Number(/^beep (\d+)/.exec(line)?.[1] ?? NaN);
const submit = TerminalSource.prototype.submit;
TerminalSource.prototype.submit = function (this: TerminalSource, line: string, t: number) {
  if (!hostQueued.has(noteOf(line))) hostQueued.set(noteOf(line), epoch());
  return submit.call(this, line, t);
};
const push = Views.prototype.push;
Views.prototype.push = function (this: Views, event: SessionEvent) {
  if (event.type === 'notes') for (const n of event.notes) if (!hostPushed.has(n)) hostPushed.set(n, epoch());
  return push.call(this, event);
};
const views = Views.prototype as unknown as { sendBatch(events: SessionEvent[]): void };
const sendBatch = views.sendBatch;
views.sendBatch = function (this: Views, events: SessionEvent[]) {
  const now = epoch();
  for (const e of events) if (e.type === 'notes') for (const n of e.notes) if (!hostSent.has(n)) hostSent.set(n, now);
  return sendBatch.call(this, events);
};

/** Runs in the page before its own code: stamps the submit-line frames it sends and the notes it receives. */
const PAGE_PROBES = `((hint) => {
  if (hint !== null) {
    const NativeContext = window.AudioContext;
    window.AudioContext = function (options) { return new NativeContext({ ...options, latencyHint: hint }); };
    window.AudioContext.prototype = NativeContext.prototype;
  }
  const now = () => performance.timeOrigin + performance.now();
  const lat = (window.__lat = { sent: {}, received: {}, handed: {} });
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    const m = typeof data === 'string' && data.includes('"submit-line"') ? /beep (\\d+)/.exec(data) : null;
    if (m && lat.sent[m[1]] === undefined) lat.sent[m[1]] = now();
    return send.call(this, data);
  };
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    socket.addEventListener('message', (e) => {
      const at = now();
      if (typeof e.data !== 'string' || !e.data.includes('"notes"')) return;
      for (const ev of JSON.parse(e.data).events ?? []) {
        if (ev.type === 'notes') for (const n of ev.notes) if (lat.received[n] === undefined) lat.received[n] = at;
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) window.WebSocket[k] = Native[k];
})`;

const app = await startApp('bench-latency', { args: shellSwitches ? chromiumFeatureArgs() : [] });
const { page } = app;
try {
  // The page's side: the submit-line frames it sends, the notes it receives, and when the audio engine gets them.
  // (a string, not a function: tsx would wrap named functions in a helper the page does not have)
  await page.addInitScript({ content: `${PAGE_PROBES}(${JSON.stringify(latencyHint)});` });
  await page.reload();
  await waitForApp(page);
  await page.evaluate((inputMs) => {
    const w = globalThis as any;
    const a = w.__corotone;
    if (!Number.isNaN(inputMs)) a.audio.scheduler.inputLookahead = inputMs / 1000;
    w.__keys = [];
    w.addEventListener('keydown', (e: any) => e.key === 'Enter' && w.__keys.push((performance as any).timeOrigin + e.timeStamp), true);
    const handle = a.audio.handle.bind(a.audio);
    a.audio.handle = (event: any) => {
      const ctx = a.audio.context.rawContext;
      if (event.type === 'notes') for (const n of event.notes) if (w.__lat.handed[n] === undefined) w.__lat.handed[n] = { wall: (performance as any).timeOrigin + performance.now(), audio: ctx.currentTime };
      handle(event);
    };
  }, inputLookaheadMs);
  if (speed !== 1) await page.selectOption('#speed', String(speed));
  await page.locator('.xterm').click();
  const start = Date.now();
  for (let i = 0; i < lines; i++) {
    await page.keyboard.type(`beep ${FIRST + i} 0.05`);
    await page.keyboard.press('Enter');
    const wait = (i + 1) * 500 - (Date.now() - start);
    if (wait > 0) await page.waitForTimeout(wait);
  }
  await page.waitForTimeout(1000);
  const result = await page.evaluate(
    ({ lines, first }) => {
      const w = globalThis as any;
      const a = w.__corotone;
      const keys: number[] = w.__keys;
      // the changes the player applied, their audio times mapped to the wall clock
      const ctx = a.audio.context.rawContext as any;
      const ts = ctx.getOutputTimestamp();
      const perf0 = (performance as any).timeOrigin + (ts.performanceTime ?? performance.now());
      const ctx0 = ts.contextTime ?? ctx.currentTime;
      const out = (ctx.outputLatency || 0) * 1000;
      // (no named function in here: tsx would wrap it in a helper the page does not have)
      const played = (a.audio.playedChanges as { notes: number[]; at: number }[]).map((c) => ({ notes: c.notes, at: c.at, wall: perf0 + (c.at - ctx0) * 1000 }));
      const perLine: { note: number; key: number; sent: number; received: number; handed: number; lead: number; heard: number }[] = [];
      for (let i = 0; i < lines; i++) {
        const note = first + i;
        const change = played.find((p) => p.notes.includes(note));
        const key = keys[keys.length - lines + i];
        if (!change || key === undefined) continue;
        const handed = w.__lat.handed[note];
        if (!handed) continue;
        perLine.push({ note, key, sent: w.__lat.sent[note], received: w.__lat.received[note], handed: handed.wall, lead: (change.at - handed.audio) * 1000, heard: change.wall });
      }
      let lags = 0;
      for (const lane of a.model.lanes) lags += lane.lagT.length;
      return { perLine, out, late: a.audio.lateCount as number, lags, lookahead: a.audio.lookahead as number, inputLookahead: (a.audio.inputLookahead ?? a.audio.lookahead) as number, stats: a.audio.stats() };
    },
    { lines, first: FIRST },
  );
  const browser = app.browser.version();
  await app.stop();
  const stages: Record<string, number[]> = { key: [], up: [], host: [], batch: [], down: [], page: [], schedule: [], output: [] };
  const scheduled: number[] = [];
  const heard: number[] = [];
  for (const l of result.perLine) {
    const queued = hostQueued.get(l.note);
    const pushed = hostPushed.get(l.note);
    const sent = hostSent.get(l.note);
    // scheduled: when the context's clock reaches the note's time; heard: when the device plays it
    scheduled.push(l.handed + l.lead - l.key);
    heard.push(l.heard - l.key);
    if (queued === undefined || pushed === undefined || sent === undefined) continue;
    stages.key.push(l.sent - l.key);
    stages.up.push(queued - l.sent);
    stages.host.push(pushed - queued);
    stages.batch.push(sent - pushed);
    stages.down.push(l.received - sent);
    stages.page.push(l.handed - l.received);
    stages.schedule.push(l.lead);
    stages.output.push(l.heard - (l.handed + l.lead));
  }
  const { perLine: _, ...rest } = result;
  process.stdout.write(`${JSON.stringify({ browser, lines, speed, latencyHint, shellSwitches, scheduled, heard, stages, ...rest })}\n`);
} catch (error) {
  await app.stop();
  throw error;
}
process.exit(0);
