import { describe, expect, it } from 'vitest';
import { createSocketView } from '../../src/node/web/socket-view';
import type { HostMessage } from '../../src/protocol';

const batch = (t: number): HostMessage => ({ type: 'events', events: [{ type: 'task-running', t, wall: t, id: 1 }] });
const snapshot: HostMessage = {
  type: 'snapshot', protocol: 1, sessionId: 's', script: null,
  snapshot: { t: 9, wall: 9, notes: [60], tasks: [], recent: [] },
  clock: { t: 9, wall: 9, epochMs: 0, speed: 1 },
};

describe('a socket that cannot keep up', () => {
  it('drops batches while its buffer is full, then gets a snapshot instead of the backlog', () => {
    const sent: unknown[] = [];
    const socket = { bufferedAmount: 0, send: (frame: unknown) => sent.push(frame) };
    const view = createSocketView(socket, () => snapshot, 1000);
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

  it('always sends notices and snapshots', () => {
    const sent: unknown[] = [];
    const socket = { bufferedAmount: 1e9, send: (frame: unknown) => sent.push(frame) };
    const view = createSocketView(socket, () => snapshot, 1000);
    const notice: HostMessage = { type: 'notice', level: 'info', text: 'x' };
    view.send(notice);
    view.send(snapshot);
    expect(sent).toEqual([notice, snapshot]);
  });
});
