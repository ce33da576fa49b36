/**
 * Web mode under a hostile or broken client, over real loopback sockets: a
 * client that never reads, floods of requests, and scripts full of errors.
 * The host keeps what it buffers for a socket bounded and keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '../../../src/protocol';
import { SLOW_CLIENT_BYTES, HARD_CLIENT_BYTES } from '../../../src/node/web/socket-view';
import { MAX_REPLY_DIAGNOSTICS } from '../../../src/node/web/cap-diagnostics';
import { serveForTest, type ServedForTest } from '../../support/serve-for-test';

let served: ServedForTest;
beforeAll(async () => {
  served = await serveForTest();
});
afterAll(async () => {
  expect(await served.stop()).toBe(0);
});

const socketUrl = () => `ws://127.0.0.1:${served.server.port}/ws?token=${encodeURIComponent(served.server.token)}`;

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl());
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Send requests and collect the replies by id. */
async function exchange(ws: WebSocket, requests: object[]): Promise<Map<number, any>> {
  const replies = new Map<number, any>();
  const want = new Set(requests.map((r: any) => r.id as number));
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'reply' && want.has(frame.id)) {
        replies.set(frame.id, frame);
        if (replies.size === want.size) resolve(replies);
      }
    });
    for (const request of requests) ws.send(JSON.stringify(request));
  });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a client that never reads', () => {
  it('is never buffered more than the slow-client cap, snapshots and replies included', async () => {
    // A session with some weight: each snapshot carries tasks and recent events.
    const setup = await open();
    await exchange(setup, [{ id: 1, type: 'submit-line', line: 'repeat 300 spawn wait 600' }]);
    await settle(300);
    setup.close();

    const sink = await open();
    sink.pause(); // never reads again: the kernel's buffers fill, then the host's
    for (let i = 0; i < 1000; i++) sink.send(JSON.stringify({ id: i + 1, type: 'get-snapshot' }));
    await settle(1500);
    const buffered = served.server.bufferedBytes;
    // The frame that crossed the cap (a snapshot of some 80 KB), then only short "ask again" errors.
    expect(buffered).toBeLessThan(SLOW_CLIENT_BYTES + 1024 * 1024);

    // Meanwhile another page is served as if nothing happened.
    const other = await open();
    const replies = await exchange(other, [{ id: 7, type: 'submit-line', line: 'beep 60 0.01' }]);
    expect(replies.get(7)).toMatchObject({ ok: true });
    other.close();
    sink.terminate();
  });

  it('that floods requests and never reads is disconnected, and the server still answers', async () => {
    const before = served.server.connections;
    const sink = await open();
    sink.pause();
    // Each reply is short once the socket is behind, but they never end: past the hard cap the host hangs up.
    let sent = 0;
    while (served.server.connections > before && sent < 400_000) {
      for (let i = 0; i < 2000; i++) sink.send(JSON.stringify({ id: ++sent, type: 'get-snapshot' }));
      await settle(10);
    }
    expect(served.server.connections).toBe(before);
    expect(served.server.bufferedBytes).toBeLessThan(HARD_CLIENT_BYTES);
    sink.terminate();
    const other = await open();
    const replies = await exchange(other, [{ id: 9, type: 'list-examples' }]);
    expect(replies.get(9)).toMatchObject({ ok: true });
    other.close();
  });
});

describe('a script full of errors', () => {
  it('is answered with at most a capped number of diagnostics and says how many more', async () => {
    const lines = 20_000;
    const text = Array.from({ length: lines }, (_, i) => `nosuchcommand${i} 1 2 3`).join('\n');
    const ws = await open();
    const reply = (await exchange(ws, [{ id: 3, type: 'load-script', name: 'errors.txt', text }])).get(3);
    ws.close();
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('parse-error');
    expect(reply.error.diagnostics.length).toBeLessThanOrEqual(MAX_REPLY_DIAGNOSTICS);
    expect(reply.error.message).toContain(`and ${(lines - MAX_REPLY_DIAGNOSTICS).toLocaleString('en-US')} more`);
    expect(JSON.stringify(reply).length).toBeLessThan(1024 * 1024);
  });

  it('longer than the host accepts is refused with a message that names the limit', async () => {
    const ws = await open();
    const text = 'beep 60\n'.repeat(Math.ceil((LIMITS.scriptLength + 1) / 8));
    const reply = (await exchange(ws, [{ id: 4, type: 'load-script', name: 'huge.txt', text }])).get(4);
    ws.close();
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    expect(reply.error.message).toContain(String(LIMITS.scriptLength));
  });
});
