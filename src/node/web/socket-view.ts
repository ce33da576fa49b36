/**
 * Every frame web mode sends a socket goes through here, so no client can make
 * the host hold an ever-growing queue for it (a background tab, a slow link, a
 * client that never reads):
 *
 * - While the socket's unsent bytes exceed SLOW_CLIENT_BYTES, event batches,
 *   snapshots and notices are dropped, and a reply is replaced by a short
 *   error saying so. Once the socket drains, the next thing sent is preceded by
 *   a snapshot (the dropped events are part of its state and history).
 * - The view says it is `congested` meanwhile, so the host holds its event
 *   batches back and paces a large snapshot's history chunks to the socket's
 *   draining (app-session/views.ts) instead of having them dropped here.
 * - Past HARD_CLIENT_BYTES (a client that keeps asking and never reads) the
 *   socket is closed; a page reconnects by itself and starts from a snapshot.
 */
import { replyError, type HostMessage, type HostReply } from '../../protocol';
import type { View } from '../app-session';

/** Unsent bytes beyond which nothing more is queued for a socket but short error replies. */
export const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** Unsent bytes beyond which the socket is closed. */
export const HARD_CLIENT_BYTES = 16 * 1024 * 1024;

export interface SocketLike {
  send(frame: unknown): void;
  readonly bufferedAmount: number;
  /** Drop the connection now (not a polite close: that would queue behind the backlog). */
  terminate(): void;
}

export interface SocketGate {
  /** The socket as a View of the AppSession (pushed messages). */
  readonly view: View;
  /** Send the answer to a request. */
  reply(reply: HostReply): void;
}

export interface SocketGateOptions {
  limit?: number;
  hardLimit?: number;
}

/**
 * `resync(view)` sends the view a fresh snapshot (the AppSession's, which streams a
 * long history in chunks through `view`), after a stretch of dropped messages.
 */
export function createSocketGate(socket: SocketLike, resync: (view: View) => void, options: SocketGateOptions = {}): SocketGate {
  const limit = options.limit ?? SLOW_CLIENT_BYTES;
  const hardLimit = options.hardLimit ?? HARD_CLIENT_BYTES;
  let behind = false;
  let closed = false;

  /** Whether there is room for more; closes the socket past the hard limit. */
  function room(): boolean {
    if (closed) return false;
    const buffered = socket.bufferedAmount;
    if (buffered > hardLimit) {
      closed = true;
      socket.terminate();
      return false;
    }
    return buffered <= limit;
  }

  /** After a stretch of dropped messages, the client first gets the state it missed. */
  function catchUp(): void {
    if (!behind) return;
    behind = false;
    resync(view);
  }

  const view: View = {
    send(message: HostMessage) {
      if (!room()) {
        if (message.type !== 'notice') behind = true;
        return;
      }
      if (message.type === 'snapshot') {
        behind = false;
        socket.send(message);
        return;
      }
      if (behind) {
        catchUp();
        if (message.type === 'events') return; // the snapshot holds them
      }
      socket.send(message);
    },
    congested() {
      return closed || socket.bufferedAmount > limit;
    },
  };

  return {
    view,
    reply(reply: HostReply) {
      if (!room()) {
        if (closed) return;
        socket.send(replyError(reply.id, { code: 'failed', message: 'not answered: this page has not read what the host already sent; ask again' }));
        return;
      }
      catchUp();
      socket.send(reply);
    },
  };
}
