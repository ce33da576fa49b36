/**
 * Frames a request cannot be: larger than any request, or nested deeper than
 * any. A 16 MB frame of `[` once held the host's event loop for 0.6 s and
 * more, JSON.parse working through it; now it is not taken in at all, and a
 * deep one within the size is refused without parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '../../../src/protocol';
import { MAX_FRAME_DEPTH, MAX_REQUEST_FRAME_BYTES, depthExceeds } from '../../../src/node/web/frame-guard';
import { serveForTest, type ServedForTest } from '../../support/serve-for-test';

let served: ServedForTest;
beforeAll(async () => {
  served = await serveForTest();
});
afterAll(async () => {
  expect(await served.stop()).toBe(0);
});

function open(): Promise<WebSocket> {
  const url = `ws://127.0.0.1:${served.server.port}/ws?token=${encodeURIComponent(served.server.token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends `frame`, then a real request; resolves with the two replies (the refusal has id null). */
function refusalThenAnswer(ws: WebSocket, frame: string): Promise<{ refusal: any; answer: any }> {
  return new Promise((resolve) => {
    let refusal: any = null;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type !== 'reply') return;
      if (message.id === null) refusal = message;
      if (message.id === 7) resolve({ refusal, answer: message });
    });
    ws.send(frame);
    ws.send(JSON.stringify({ id: 7, type: 'get-snapshot' }));
  });
}

describe('a frame no request can be', () => {
  it('16 MiB of nested [ is not taken in: the socket is closed (1009), the host says why, and answers the next socket', async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('['.repeat(16 * 1024 * 1024));
    expect(await closed).toBe(1009);
    expect(served.stderr.join('')).toContain(`corotone web: closed a socket that sent a frame over ${MAX_REQUEST_FRAME_BYTES} bytes, more than any request can be\n`);
    const next = await open();
    const { answer } = await refusalThenAnswer(next, '{}');
    next.close();
    expect(answer.ok).toBe(true);
  });

  it('nesting deeper than any request, within the size, is refused unparsed, and the socket is answered after it', async () => {
    const ws = await open();
    const { refusal, answer } = await refusalThenAnswer(ws, `{"id":1,"type":"load-script","params":${'['.repeat(1 << 20)}`);
    ws.close();
    expect(refusal).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    expect(refusal.error.message).toBe(`invalid frame: arrays or objects nested more than ${MAX_FRAME_DEPTH} deep`);
    expect(answer.ok).toBe(true);
  });

  it('the largest script a request may carry still fits, however it is escaped', async () => {
    const ws = await open();
    // Every character a control character: 6 bytes each as JSON, the worst case the size limit allows for.
    const text = '\u0001'.repeat(LIMITS.scriptLength);
    const frame = JSON.stringify({ id: 8, type: 'load-script', name: 'escaped.txt', text });
    expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_REQUEST_FRAME_BYTES);
    const reply = await new Promise<any>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'reply') resolve(message);
      });
      ws.send(frame);
    });
    ws.close();
    // Taken in and parsed (its one long line is then refused by the script's own rules, not by the frame's size).
    expect(reply.id).toBe(8);
  });
});

describe('depthExceeds', () => {
  it.each([
    ['[[[]]]', 3, false],
    ['[[[[]]]]', 3, true],
    ['{"a":"[[[[[[[["}', 1, false],
    ['{"a":"\\"[[[[[["}', 1, false],
    ['[{"a":[{"b":[]}]}]', 4, true],
  ])('%s deeper than %i: %s', (text, max, deeper) => {
    expect(depthExceeds(Buffer.from(text), max)).toBe(deeper);
  });
});
