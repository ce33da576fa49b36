/**
 * Web mode hands exported audio to the page over HTTP (`GET /download/ID`),
 * not base64 inside a JSON frame (the old inline reply was one ~40 MB JSON
 * text, written on the engine's thread). The route is guarded
 * like the rest of web mode and serves the exact WAV, once-fetched files
 * expire, and unknown ids are 404.
 *
 * The page's side (socket client, HTTP fetch) runs in a child process, as a
 * browser would: only the server and the engine share this thread.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import { createRealEngine, renderScriptToWav } from '../../../src/node/app-session/real-engine';
import { DownloadStore, contentDisposition, startWebServer, type WebServer } from '../../../src/node/web';
import { parseReply, type HostMessage, type SessionEvent } from '../../../src/protocol';
import { detectNotes, parseWav } from '../../support/audio';

/** Five minutes of looped notes: each second a C major chord for 0.5 s, C6 for 0.25 s, then silence (~29 MB of WAV). */
const LONG_SCRIPT = { name: 'long.txt', text: 'repeat 300 chord 0.5 60 64 67; beep 72 0.25; wait 0.25\n' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let rendererDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corotone-download-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Web mode as `corotone web` runs it, with `inline` delivering exports the old way (base64 in the JSON reply). */
async function startWeb(delivery: 'link' | 'inline', downloads = new DownloadStore()) {
  const app = new AppSession({
    createEngine: createRealEngine,
    renderWav: renderScriptToWav,
    deliverFile: delivery === 'link' ? downloads.deliver : undefined,
    batching: { intervalMs: 5 },
  });
  const server = await startWebServer({ appSession: app, rendererDir, downloads });
  const events: SessionEvent[] = [];
  const view: View = { send: (m: HostMessage) => m.type === 'events' && events.push(...m.events) };
  app.attach(view);
  return {
    app,
    server,
    downloads,
    events,
    view,
    async stop() {
      await server.close();
      app.dispose();
    },
  };
}

/**
 * The page, in another process: ask for an export over the socket, and fetch
 * the file if the reply is a link. Resolves with the reply and where the bytes went.
 */
function pageExports(server: WebServer, out: string): Promise<{ reply: any; frameChars: number; status?: number; headers?: Record<string, string> }> {
  const code = `
    const WebSocket = require('ws');
    const fs = require('node:fs');
    const [port, token, out, script] = process.argv.slice(1);
    const ws = new WebSocket('ws://127.0.0.1:' + port + '/ws?token=' + encodeURIComponent(token));
    ws.on('open', () => ws.send(JSON.stringify({ id: 2, type: 'export-audio', ...JSON.parse(script) })));
    ws.on('message', async (data) => {
      const m = JSON.parse(data.toString());
      if (m.type !== 'reply' || m.id !== 2) return;
      const result = { reply: m, frameChars: data.length };
      if (m.ok && m.value.kind === 'link') {
        const res = await fetch('http://127.0.0.1:' + port + m.value.url);
        fs.writeFileSync(out, Buffer.from(await res.arrayBuffer()));
        result.status = res.status;
        result.headers = Object.fromEntries(res.headers);
      } else if (m.ok && m.value.kind === 'download') {
        fs.writeFileSync(out, Buffer.from(m.value.data, 'base64'));
        m.value.data = '(' + m.value.data.length + ' characters)';
      }
      process.stdout.write(JSON.stringify(result));
      ws.close();
    });
    ws.on('close', () => process.exit(0));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code, String(server.port), server.token, out, JSON.stringify(LONG_SCRIPT)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && stdout ? resolve(JSON.parse(stdout)) : reject(new Error(`page process: ${code} ${stderr}`))));
  });
}

/** The page (another process) exports LONG_SCRIPT and fetches the file; also returns the reply frame's length. */
async function pageExport(delivery: 'link' | 'inline') {
  const web = await startWeb(delivery);
  try {
    const out = join(dir, `out-${delivery}-${Date.now()}.wav`);
    const page = await pageExports(web.server, out);
    return { page, wav: readFileSync(out) };
  } finally {
    await web.stop();
  }
}

function expectLongWav(bytes: Uint8Array): void {
  const wav = parseWav(bytes);
  expect(wav.frames / wav.rate).toBeCloseTo(300, 1);
  const window = Math.round(0.1 * wav.rate);
  for (const second of [0, 150, 299]) {
    const at = (t: number) => Math.round((second + t) * wav.rate) - window / 2;
    expect(detectNotes(wav.first, wav.rate, at(0.25), window).notes).toEqual([60, 64, 67]);
    expect(detectNotes(wav.first, wav.rate, at(0.625), window).notes).toEqual([72]);
  }
}

// Off the engine's thread, the live session goes on meanwhile (export-audio.test.ts); how late it
// would be with the file inside the reply is measured by `npm run bench -- app/export`.
describe('web mode: Export Audio of a 5-minute script', () => {
  it('hands the page a link to fetch over HTTP, never the file inside a JSON frame', async () => {
    const { page, wav } = await pageExport('link');
    expect(page.reply).toMatchObject({ ok: true, value: { kind: 'link', fileName: 'long.wav', mime: 'audio/wav' } });
    expect(parseReply('export-audio', page.reply)).toMatchObject({ ok: true, value: { ok: true, value: { kind: 'link' } } });
    expect(page.frameChars).toBeLessThan(1000);
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'audio/wav',
      'content-length': String(wav.length),
      'content-disposition': 'attachment; filename="long.wav"',
    });
    expect(page.reply.value.size).toBe(wav.length);
    expectLongWav(new Uint8Array(wav));
  });

  it('shows why: the old inline reply puts the whole file, as base64, into one JSON frame the engine’s thread writes', async () => {
    const { page, wav } = await pageExport('inline');
    expect(page.reply).toMatchObject({ ok: true, value: { kind: 'download', encoding: 'base64' } });
    expect(page.frameChars).toBeGreaterThan((wav.length * 4) / 3);
    expectLongWav(new Uint8Array(wav));
  });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the download route', () => {
  let now = 0;
  let web: Awaited<ReturnType<typeof startWeb>>;
  beforeAll(async () => {
    web = await startWeb('link', new DownloadStore({ now: () => now, ttlMs: 600_000, graceMs: 60_000 }));
  });
  afterAll(() => web.stop());

  /** Export a short scale over a real socket, as the page does; the reply's value. */
  async function exportScale(): Promise<{ kind: string; url: string; fileName: string; mime: string; size: number }> {
    const ws = new WebSocket(`ws://127.0.0.1:${web.server.port}/ws?token=${encodeURIComponent(web.server.token)}`);
    try {
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      const reply = new Promise<any>((resolve) =>
        ws.on('message', (data) => {
          const m = JSON.parse(data.toString());
          if (m.type === 'reply' && m.id === 7) resolve(m);
        }),
      );
      const text = 'beep 60 0.5\nbeep 64 0.5\nbeep 67 0.5\n';
      ws.send(JSON.stringify({ id: 7, type: 'export-audio', name: 'scale.txt', text, sampleRate: 44100 }));
      const m = await reply;
      expect(m).toMatchObject({ ok: true, value: { kind: 'link' } });
      return m.value;
    } finally {
      ws.close();
    }
  }

  const withToken = () => `?token=${encodeURIComponent(web.server.token)}`;

  // The id (32 random bytes, handed out only on the token's socket) is what grants the file: no cookie, no token.
  it('serves the exact WAV at its unguessable path; 403 from another Origin, site or Host', async () => {
    const file = await exportScale();
    expect(file.url).toMatch(/^\/download\/[A-Za-z0-9_-]{43}$/);
    expect(await get(web.server.port, file.url + withToken(), { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(await get(web.server.port, file.url, { origin: `http://127.0.0.1:${web.server.port + 1}` })).toMatchObject({ status: 403 });
    expect(await get(web.server.port, file.url, { 'sec-fetch-site': 'cross-site' })).toMatchObject({ status: 403 });
    expect(await get(web.server.port, file.url, { 'sec-fetch-site': 'same-site' })).toMatchObject({ status: 403 });
    expect(await get(web.server.port, file.url + withToken(), { host: `evil.example:${web.server.port}` })).toMatchObject({ status: 403 });

    const ok = await get(web.server.port, file.url, { origin: `http://127.0.0.1:${web.server.port}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('audio/wav');
    expect(ok.headers['content-length']).toBe(String(ok.body.length));
    expect(ok.headers['content-disposition']).toBe('attachment; filename="scale.wav"');
    expect(ok.body.length).toBe(file.size);
    const wav = parseWav(new Uint8Array(ok.body));
    expect(wav.rate).toBe(44100);
    expect(wav.frames / wav.rate).toBeCloseTo(1.5, 1);
    const window = Math.round(0.1 * wav.rate);
    const notesAt = (t: number) => detectNotes(wav.first, wav.rate, Math.round(t * wav.rate) - window / 2, window).notes;
    expect([notesAt(0.25), notesAt(0.75), notesAt(1.25)]).toEqual([[60], [64], [67]]);
    // Fetched once, it can be fetched again for a grace period (a retry), then it is gone.
    expect(await get(web.server.port, file.url + withToken())).toMatchObject({ status: 200 });
    now += 61_000;
    expect(await get(web.server.port, file.url + withToken())).toMatchObject({ status: 404 });
  });

  it('answers an unknown or expired id with 404, and lists nothing', async () => {
    const file = await exportScale();
    now += 600_001; // never fetched: expired after 10 minutes
    expect(await get(web.server.port, file.url + withToken())).toMatchObject({ status: 404 });
    const unknown = `/download/${'A'.repeat(43)}`;
    expect(await get(web.server.port, unknown + withToken())).toMatchObject({ status: 404 });
    expect(await get(web.server.port, '/download/' + withToken())).toMatchObject({ status: 404 });
    expect(await get(web.server.port, '/download' + withToken())).toMatchObject({ status: 404 });
    // Another export's id is unrelated to this one's: nothing to guess from.
    const a = await exportScale();
    const b = await exportScale();
    expect(a.url).not.toBe(b.url);
    expect(a.url.slice(0, 16)).not.toBe(b.url.slice(0, 16));
  });

  it('keeps save-session inline (a few KB of utf8 text)', async () => {
    await web.app.handle({ id: 1, type: 'submit-line', line: 'beep 60 0.1' }, null);
    const reply = await web.app.handle({ id: 2, type: 'save-session' }, null);
    expect(reply).toMatchObject({ ok: true, value: { kind: 'download', encoding: 'utf8', data: expect.stringContaining('beep 60 0.1') } });
  });
});

describe('the download store', () => {
  it('holds a bounded number of files and bytes, dropping the oldest', () => {
    const store = new DownloadStore({ maxFiles: 2, maxBytes: 100 });
    const file = (n: number) => ({ fileName: `f${n}.wav`, mime: 'audio/wav', bytes: new Uint8Array(n) });
    const first = store.put(file(10));
    const second = store.put(file(20));
    const third = store.put(file(30));
    expect(store.fetch(first)).toBeNull();
    expect(store.fetch(second)?.fileName).toBe('f20.wav');
    const big = store.put(file(80)); // 20 + 30 + 80 > 100: both go
    expect(store.size).toBe(1);
    expect(store.fetch(third)).toBeNull();
    expect(store.fetch(big)?.bytes.byteLength).toBe(80);
    expect(() => store.put(file(101))).toThrow(/too large/);
  });

  it('frees an expired file without being asked again', async () => {
    const store = new DownloadStore({ ttlMs: 20 });
    store.put({ fileName: 'a.wav', mime: 'audio/wav', bytes: new Uint8Array(10) });
    expect(store.size).toBe(1);
    await sleep(80);
    expect(store.size).toBe(0);
  });

  it('names the attachment safely, keeping other characters in filename*', () => {
    expect(contentDisposition('tune.wav')).toBe('attachment; filename="tune.wav"');
    expect(contentDisposition('a"b\\c.wav')).toBe('attachment; filename="a_b_c.wav"; filename*=UTF-8\'\'a%22b%5Cc.wav');
    expect(contentDisposition('chanson été.wav')).toBe(`attachment; filename="chanson _t_.wav"; filename*=UTF-8''chanson%20%C3%A9t%C3%A9.wav`);
    expect(contentDisposition('x\r\nSet-Cookie: a=b.wav')).not.toMatch(/[\r\n]/);
  });
});
