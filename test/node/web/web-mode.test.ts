/**
 * Web mode over real loopback sockets: the token and Origin checks, and an
 * engine session that outlives a connection.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectWebSocket, type HostMessage, type WebSocketLike } from '../../../src/protocol';
import { runWebCommand, type WebServer } from '../../../src/node/web';

let dir: string;
let server: WebServer;
let stopServer: AbortController;
let exitCode: Promise<number>;
const stdout: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corotone-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>t</title><script type="module" src="./assets/app.js"></script></head><body></body></html>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  stopServer = new AbortController();
  let listening!: (s: WebServer) => void;
  const started = new Promise<WebServer>((resolve) => (listening = resolve));
  exitCode = runWebCommand(['--renderer', renderer], {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: () => true },
    signal: stopServer.signal,
    onListening: listening,
  });
  server = await started;
});

afterAll(async () => {
  stopServer.abort();
  expect(await exitCode).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Try to open a socket; resolves with the HTTP status of a refusal, or 101 if it opened. */
function socketStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

const tokenQuery = () => `?token=${encodeURIComponent(server.token)}`;

describe('corotone web', () => {
  it('prints the page address with its token as the first line of stdout', () => {
    const first = stdout.join('').split('\n')[0];
    expect(first).toBe(`corotone web: http://127.0.0.1:${server.port}/?token=${encodeURIComponent(server.token)}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses the page without the token (403)', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/index.html')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${server.token.slice(0, -1)}`)).status).toBe(403);
  });

  it('serves the page with the token (CSP, the token for the socket) and sets no cookie', async () => {
    const page = await get(`/${tokenQuery()}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="corotone-token" content="${server.token}">`);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // A cookie is sent to every port of 127.0.0.1: it would hand the token to any other local server.
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it("serves the app's public files without the token, but not to another site", async () => {
    const asset = await get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect((await get('/assets/app.js', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await get('/assets/app.js', { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get('/assets/app.js', { host: 'evil.example' })).status).toBe(403);
  });

  it('refuses requests from another Origin or Host even with the token (403)', async () => {
    expect((await get(`/${tokenQuery()}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/${tokenQuery()}`, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get(`/${tokenQuery()}`, { host: 'evil.example' })).status).toBe(403);
    expect((await get(`/${tokenQuery()}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`/${tokenQuery()}`, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const answer = await get(`${path}${tokenQuery()}`);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('not for the web');
    }
  });

  it('refuses sockets without the token or from another Origin (403)', async () => {
    expect(await socketStatus('/ws')).toBe(403);
    expect(await socketStatus('/ws?token=nope')).toBe(403);
    expect(await socketStatus(`/ws${tokenQuery()}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await socketStatus(`/ws${tokenQuery()}`, { origin: `http://127.0.0.1:${server.port}` })).toBe(101);
  });

  it('plays a line sent over the socket, and a reconnected client gets a snapshot holding its note', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws${tokenQuery()}`;
    const first = connectWebSocket({ url, WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike });
    const messages: HostMessage[] = [];
    first.api.onHostMessage((m) => messages.push(m));
    const notes = waitFor(messages, (m) => m.type === 'events' && m.events.some((e) => e.type === 'notes' && e.notes.includes(60)));
    const reply = await first.api.submitLine({ line: 'add 60' });
    expect(reply).toEqual({ ok: true, value: { source: 'terminal' } });
    await notes;
    expect(messages[0].type).toBe('snapshot');
    const sessionId = messages[0].type === 'snapshot' ? messages[0].sessionId : '';
    first.close();

    const second = connectWebSocket({ url, WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike });
    const again: HostMessage[] = [];
    second.api.onHostMessage((m) => again.push(m));
    const snapshot = await waitFor(again, (m) => m.type === 'snapshot');
    expect(snapshot.type === 'snapshot' && snapshot.snapshot.notes).toEqual([60]);
    expect(snapshot.type === 'snapshot' && snapshot.sessionId).toBe(sessionId);
    expect(snapshot.type === 'snapshot' && snapshot.snapshot.recent.some((e) => e.type === 'task-created' && e.name === 'add 60')).toBe(true);

    // Invalid input over the wire: an error reply, and the session is untouched.
    const raw = await rawExchange(url, '{"id":5,"type":"submit-line","line":7}');
    expect(raw).toMatchObject({ type: 'reply', id: 5, ok: false, error: { code: 'invalid-message' } });
    const notJson = await rawExchange(url, 'add 62');
    expect(notJson).toMatchObject({ type: 'reply', id: null, ok: false, error: { code: 'invalid-message' } });
    const removed = await second.api.submitLine({ line: 'remove 60' });
    expect(removed.ok).toBe(true);
    await waitFor(again, (m) => m.type === 'events' && m.events.some((e) => e.type === 'notes' && e.notes.length === 0));
    second.close();
  });
});

function waitFor(messages: HostMessage[], match: (m: HostMessage) => boolean, timeoutMs = 5000): Promise<HostMessage> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = messages.find(match);
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error(`no matching message in ${JSON.stringify(messages).slice(0, 500)}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** Send one raw text frame; resolve with the first reply frame. */
function rawExchange(url: string, text: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(text));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string };
      if (frame.type === 'reply') {
        ws.close();
        resolve(frame);
      }
    });
    ws.on('error', reject);
  });
}
