import { describe, expect, it } from 'vitest';
import { createSocketGate } from '../../../src/node/web/socket-view';
import type { HostMessage, HostReply } from '../../../src/protocol';

const batch = (t: number): HostMessage => ({ type: 'events', events: [{ type: 'task-running', t, wall: t, id: 1 }] });
const snapshot: HostMessage = {
  type: 'snapshot', protocol: 1, sessionId: 's', script: null,
  snapshot: { t: 9, wall: 9, notes: [60], tasks: [], recent: [] },
  clock: { t: 9, wall: 9, epochMs: 0, speed: 1 },
};
const notice: HostMessage = { type: 'notice', level: 'info', text: 'x' };
const reply = (id: number): HostReply => ({ type: 'reply', id, ok: true, value: null }) as HostReply;

function fakeSocket(bufferedAmount = 0) {
  const sent: unknown[] = [];
  const socket = { bufferedAmount, terminated: false, send: (frame: unknown) => sent.push(frame), terminate: () => (socket.terminated = true) };
  return { socket, sent };
}

describe('a socket that cannot keep up', () => {
  it('drops batches while its buffer is full, then gets a snapshot instead of the backlog', () => {
    const { socket, sent } = fakeSocket();
    const { view } = createSocketGate(socket, (v) => v.send(snapshot), { limit: 1000, hardLimit: 1e9 });
    view.send(batch(1));
    socket.bufferedAmount = 5000;
    view.send(batch(2));
    view.send(batch(3));
    expect(sent).toEqual([batch(1)]);
    socket.bufferedAmount = 0;
    view.send(batch(4));
    expect(sent).toEqual([batch(1), snapshot]);
    view.send(batch(5));
    expect(sent).toEqual([batch(1), snapshot, batch(5)]);
  });

  it('is not sent snapshots or notices while its buffer is full, and catches up with one snapshot', () => {
    const { socket, sent } = fakeSocket(5000);
    const { view } = createSocketGate(socket, (v) => v.send(snapshot), { limit: 1000, hardLimit: 1e9 });
    for (let i = 0; i < 100; i++) view.send(snapshot);
    view.send(notice);
    expect(sent).toEqual([]);
    socket.bufferedAmount = 0;
    view.send(notice);
    expect(sent).toEqual([snapshot, notice]);
  });

  it('gets a short error instead of a reply while its buffer is full, and the reply itself once it drains', () => {
    const { socket, sent } = fakeSocket(5000);
    const gate = createSocketGate(socket, (v) => v.send(snapshot), { limit: 1000, hardLimit: 1e9 });
    const big: HostReply = { type: 'reply', id: 3, ok: true, value: { examples: Array(1000).fill('x') } } as unknown as HostReply;
    gate.reply(big);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'reply', id: 3, ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(sent[0]).length).toBeLessThan(200);
    socket.bufferedAmount = 0;
    gate.reply(reply(4));
    expect(sent.at(-1)).toEqual(reply(4));
  });

  it('is closed once it is past the hard limit, and sent nothing more', () => {
    const { socket, sent } = fakeSocket(2e6);
    const gate = createSocketGate(socket, (v) => v.send(snapshot), { limit: 1000, hardLimit: 1e6 });
    gate.reply(reply(1));
    gate.view.send(batch(1));
    expect(socket.terminated).toBe(true);
    expect(sent).toEqual([]);
  });
});
