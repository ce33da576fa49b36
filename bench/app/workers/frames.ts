/**
 * Worker for section "app/frames": web mode's host (AppSession on the real
 * clock behind `startWebServer`) is sent frames no request can be, by a
 * client in a child process (so the client's own work is not on the host's
 * thread). A 1 ms interval on the host measures its event loop's longest gap
 * from sending the frame until the refusal (or the socket's close) is received; and, on this thread
 * alone, how long JSON.parse takes on the same text (what the host did before
 * the frame guard) and how long the guard's scan takes.
 *
 *   node --import tsx bench/app/workers/frames.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppSession } from '../../../src/node/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import { startWebServer } from '../../../src/node/web';
import { refuseFrame } from '../../../src/node/web/frame-guard';

const quick = process.argv.includes('--quick');
const now = () => performance.now();

const FRAMES: { name: string; text: () => string }[] = [
  { name: '16 MiB of `[` (larger than any request: not taken in)', text: () => '['.repeat(16 << 20) },
  { name: '1 MiB of `[` (within the size: refused for its depth)', text: () => '['.repeat(1 << 20) },
  { name: '1 KiB of `[` (the baseline: the probe\'s gaps on this machine now, with next to no work)', text: () => '['.repeat(1024) },
];

const appSession = new AppSession({ createEngine: () => createRealEngine() });
const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'corotone-bench-frames-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>\n');
const server = await startWebServer({ appSession, rendererDir });
const url = `ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(server.token)}`;

/** The client: sends `frame` bytes of the pattern, waits for the reply with id null, prints the round trip. */
const CLIENT = `
const WebSocket = require('ws');
const [url, pattern, bytes] = process.argv.slice(1);
const ws = new WebSocket(url);
ws.on('open', () => {
  const frame = pattern.repeat(Number(bytes));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'reply' && m.id === null) { process.stdout.write('refused ' + m.error.message + '\\n'); ws.close(); }
  });
  process.stdout.write('sending\\n');
  ws.send(frame);
});
ws.on('close', (code) => { process.stdout.write('closed ' + code + '\\n'); process.exit(0); });
`;

/** Longest gap of a 1 ms interval on this thread between the client's "sending" and its "refused". */
function hostGap(bytes: number): Promise<{ gapMs: number; roundTripMs: number; message: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, url, '[', String(bytes)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let last = now();
    let worst = 0;
    let sentAt = 0;
    let measuring = false;
    const probe = setInterval(() => {
      const t = now();
      if (measuring) worst = Math.max(worst, t - last);
      last = t;
    }, 1);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line === 'sending') {
          measuring = true;
          sentAt = now();
          last = sentAt;
        } else if (measuring && (line.startsWith('refused ') || line.startsWith('closed '))) {
          const t = now();
          measuring = false;
          clearInterval(probe);
          const message = line.startsWith('refused ') ? line.slice(8) : `socket closed, ${line.slice(7)}`;
          resolve({ gapMs: Math.max(worst, t - last), roundTripMs: t - sentAt, message });
        }
      }
    });
    child.on('error', reject);
  });
}

const runs = quick ? 1 : 3;
const results = [];
for (const frame of FRAMES) {
  const text = frame.text();
  const bytes = Buffer.from(text);
  const parse: number[] = [];
  const guard: number[] = [];
  const gaps: number[] = [];
  const trips: number[] = [];
  let message = '';
  for (let i = 0; i < runs; i++) {
    let t = now();
    try {
      JSON.parse(text);
    } catch {
      // not JSON: the time to find out is what is measured
    }
    parse.push(now() - t);
    t = now();
    refuseFrame(bytes);
    guard.push(now() - t);
    const host = await hostGap(text.length);
    gaps.push(host.gapMs);
    trips.push(host.roundTripMs);
    message = host.message;
  }
  results.push({ name: frame.name, bytes: bytes.length, parseMs: parse, guardMs: guard, hostGapMs: gaps, roundTripMs: trips, message });
}

await server.close();
appSession.dispose();
rmSync(rendererDir, { recursive: true, force: true });
console.log(JSON.stringify({ runs, results }));
process.exit(0);
