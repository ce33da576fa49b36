/**
 * The client half of bench/app/workers/transport.ts, in a worker thread: web
 * mode's renderer transport (`connectWebSocket` with `ws`, every host message
 * validated by the API as the page does) on a real loopback socket. It stamps
 * each validated batch with the monotonic clock, which the host thread shares
 * (process.hrtime is CLOCK_MONOTONIC), and answers the host's commands over
 * the worker channel, not over the socket it measures.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { connectWebSocket, type WebSocketLike } from '../../../src/protocol';

const port = parentPort!;
const { url } = workerData as { url: string };
const now = (): number => Number(process.hrtime.bigint());

let batchAt: number[] = [];
let batchSize: number[] = [];
let received = 0;
let snapshots = 0;
let ackEvery = 0;
let lastAck = 0;

const connection = connectWebSocket({ url, WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike });
connection.api.onHostMessage((message) => {
  const at = now();
  if (message.type === 'snapshot') {
    snapshots++;
    if (snapshots === 1) port.postMessage({ type: 'ready' });
    return;
  }
  if (message.type !== 'events') return;
  batchAt.push(at);
  batchSize.push(message.events.length);
  received += message.events.length;
  if (ackEvery > 0 && received - lastAck >= ackEvery) {
    lastAck = received;
    port.postMessage({ type: 'ack', received });
  }
});

/** Sequential request round trips (stop-source of a source that does not exist: validated both ways, changes nothing). */
async function pings(count: number, gapMs: number): Promise<number[]> {
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    const reply = await connection.api.stopSource({ source: 'bench-no-such-source' });
    if (reply.ok) rtts.push(now() - t0);
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  return rtts;
}

port.on('message', (command: { type: string; count?: number; gapMs?: number; ackEvery?: number }) => {
  switch (command.type) {
    case 'reset':
      batchAt = [];
      batchSize = [];
      received = 0;
      lastAck = 0;
      snapshots = 1;
      ackEvery = command.ackEvery ?? 0;
      port.postMessage({ type: 'reset-done' });
      break;
    case 'pings':
      void pings(command.count ?? 100, command.gapMs ?? 0).then((rtts) => port.postMessage({ type: 'pings', rtts }));
      break;
    case 'report':
      port.postMessage({ type: 'report', batchAt, batchSize, received, snapshotsSinceReset: snapshots - 1 });
      break;
    case 'close':
      connection.close();
      port.close();
      break;
  }
});
