/** The renderer's WebSocket client against a scripted host over real loopback sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { connectWebSocket, replyOk, type ConnectionStatus, type HostMessage, type WebSocketLike } from '../../src/protocol';

const Ctor = WebSocket as unknown as new (url: string) => WebSocketLike;
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function host(onRequest: (socket: WebSocket, request: { id: number; type: string }, connection: number) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.on('listening', r));
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    const connection = sockets.length;
    socket.send(JSON.stringify({ type: 'notice', level: 'info', text: `hello ${connection}` }));
    socket.on('message', (data) => onRequest(socket, JSON.parse(String(data)), connection));
  });
  cleanup.push(() => wss.close());
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, sockets };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('connectWebSocket', () => {
  it('reconnects after the connection drops, and sends requests made meanwhile once it is back', async () => {
    const server = await host((socket, request) => socket.send(JSON.stringify(replyOk(request.id, null))));
    const connection = connectWebSocket({ url: server.url, WebSocket: Ctor, retryMs: 20 });
    cleanup.push(() => connection.close());
    const statuses: ConnectionStatus[] = [];
    connection.onStatus((s) => statuses.push(s));
    const messages: HostMessage[] = [];
    connection.api.onHostMessage((m) => messages.push(m));
    await until(() => connection.status === 'open');

    server.sockets[0].terminate();
    await until(() => connection.status !== 'open');
    const queued = connection.api.panic();
    await until(() => server.sockets.length === 2);
    expect(await queued).toEqual({ ok: true, value: null });
    expect(statuses).toContain('closed');
    expect(connection.status).toBe('open');
    expect(messages.map((m) => m.type === 'notice' && m.text)).toEqual(['hello 1', 'hello 2']);
  });

  it('fails a request whose connection dropped before the answer, instead of sending it twice', async () => {
    const seen: string[] = [];
    const server = await host((socket, request, n) => {
      seen.push(`${n}:${request.type}`);
      if (n === 1) socket.terminate();
      else socket.send(JSON.stringify(replyOk(request.id, null)));
    });
    const connection = connectWebSocket({ url: server.url, WebSocket: Ctor, retryMs: 20 });
    cleanup.push(() => connection.close());
    await until(() => connection.status === 'open');
    const lost = await connection.api.stopAll();
    expect(lost.ok).toBe(false);
    await until(() => connection.status === 'open' && server.sockets.length === 2);
    expect(await connection.api.stopAll()).toEqual({ ok: true, value: null });
    expect(seen).toEqual(['1:stop-all', '2:stop-all']);
  });

  it('turns a malformed reply into a failed result and drops malformed pushes', async () => {
    const server = await host((socket, request) => {
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'events', events: [] }));
      socket.send(JSON.stringify(replyOk(request.id, { source: 42 })));
    });
    const connection = connectWebSocket({ url: server.url, WebSocket: Ctor });
    cleanup.push(() => connection.close());
    const messages: HostMessage[] = [];
    connection.api.onHostMessage((m) => messages.push(m));
    const reply = await connection.api.submitLine({ line: 'add 60' });
    expect(reply.ok === false && reply.error.code).toBe('invalid-message');
    expect(messages.map((m) => m.type)).toEqual(['notice']);
  });

  it('takes a reply larger than a renderer may send (an exported WAV in base64)', async () => {
    const data = 'UklG'.repeat(5_000_000); // 20 MB of base64
    const server = await host((socket, request) =>
      socket.send(JSON.stringify(replyOk(request.id, { kind: 'download', fileName: 'a.wav', mime: 'audio/wav', encoding: 'base64', data }))),
    );
    const connection = connectWebSocket({ url: server.url, WebSocket: Ctor });
    cleanup.push(() => connection.close());
    const reply = await connection.api.exportAudio();
    expect(reply.ok && reply.value.kind === 'download' && reply.value.data.length).toBe(data.length);
  });

  it('never sends a request that timed out while it waited for the connection', async () => {
    const seen: string[] = [];
    let refuse = false;
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: () => !refuse });
    await new Promise((r) => wss.on('listening', r));
    cleanup.push(() => wss.close());
    const sockets: WebSocket[] = [];
    wss.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('message', (data) => {
        const request = JSON.parse(String(data)) as { id: number; type: string };
        seen.push(request.type);
        socket.send(JSON.stringify(replyOk(request.id, null)));
      });
    });
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`;
    const connection = connectWebSocket({ url, WebSocket: Ctor, retryMs: 20, timeoutMs: 1000 });
    cleanup.push(() => connection.close());
    await until(() => connection.status === 'open');

    // the host goes away for a while; a stop-all asked meanwhile is answered as failed
    refuse = true;
    sockets[0].terminate();
    await until(() => connection.status !== 'open');
    const lost = await connection.api.stopAll();
    expect(lost.ok === false && lost.error.message).toMatch(/no reply to stop-all/);
    // once the host is back, what the user was told failed does not run after all
    refuse = false;
    await until(() => connection.status === 'open');
    expect(await connection.api.panic()).toEqual({ ok: true, value: null });
    expect(seen).toEqual(['panic']);
  });

  it('stops reconnecting once closed', async () => {
    const server = await host(() => {});
    const connection = connectWebSocket({ url: server.url, WebSocket: Ctor, retryMs: 10 });
    await until(() => connection.status === 'open');
    connection.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.sockets).toHaveLength(1);
  });
});
