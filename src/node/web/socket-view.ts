/**
 * A socket as a View of the AppSession. A client that cannot keep up (a
 * background tab, a slow link) is not sent an ever-growing queue: while its
 * socket's unsent bytes exceed a limit its event batches are dropped, and once
 * it drains it is sent a snapshot instead (the dropped events are part of the
 * snapshot's state and recent timeline).
 */
import type { HostMessage } from '../../protocol';
import type { View } from '../app-session';

/** Unsent bytes beyond which a socket's event batches are dropped for a later snapshot. */
export const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export interface SocketLike {
  send(frame: unknown): void;
  readonly bufferedAmount: number;
}

export function createSocketView(socket: SocketLike, snapshot: () => HostMessage, limit = SLOW_CLIENT_BYTES): View {
  let behind = false;
  return {
    send(message: HostMessage) {
      if (message.type !== 'events') {
        if (message.type === 'snapshot') behind = false;
        socket.send(message);
        return;
      }
      if (socket.bufferedAmount > limit) {
        behind = true;
        return;
      }
      if (behind) {
        behind = false;
        socket.send(snapshot());
        return;
      }
      socket.send(message);
    },
  };
}
