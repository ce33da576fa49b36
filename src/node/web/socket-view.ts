/**
 * A socket as a View of the AppSession, and the slow-client gate: a client
 * that cannot keep up (a background tab, a slow link) is not sent an
 * ever-growing queue. While its socket's unsent bytes exceed a limit it is
 * `congested`: the host holds its event batches back (it is sent a catch-up
 * snapshot once it drains) and sends a large snapshot's history chunks only
 * as it drains (see app-session/views.ts).
 */
import type { HostMessage } from '../../protocol';
import type { View } from '../app-session';

/** Unsent bytes beyond which a socket is sent nothing but notices and snapshots until it drains. */
export const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export interface SocketLike {
  send(frame: unknown): void;
  readonly bufferedAmount: number;
}

export function createSocketView(socket: SocketLike, limit = SLOW_CLIENT_BYTES): View {
  return {
    send(message: HostMessage) {
      socket.send(message);
    },
    congested() {
      return socket.bufferedAmount > limit;
    },
  };
}
