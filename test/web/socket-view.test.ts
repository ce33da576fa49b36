import { describe, expect, it } from 'vitest';
import { createSocketView } from '../../src/node/web/socket-view';
import type { HostMessage } from '../../src/protocol';

describe('a socket as a view', () => {
  it('is congested while its unsent bytes are over the limit, and sends every message it is given', () => {
    const sent: unknown[] = [];
    const socket = { bufferedAmount: 0, send: (frame: unknown) => sent.push(frame) };
    const view = createSocketView(socket, 1000);
    expect(view.congested?.()).toBe(false);
    socket.bufferedAmount = 5000;
    expect(view.congested?.()).toBe(true);
    const notice: HostMessage = { type: 'notice', level: 'info', text: 'x' };
    view.send(notice);
    expect(sent).toEqual([notice]);
  });
});
