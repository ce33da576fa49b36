/**
 * The renderer → host channel. A request is handled only if it comes from the
 * top frame of one of our windows showing the app's origin; anything else is
 * answered `forbidden`. The payload itself is validated by the AppSession
 * against the protocol's schema (invalid → `invalid-message`, no change).
 */
import type { IpcMainInvokeEvent } from 'electron';
import { replyError, type HostReply } from '../protocol';
import { isTrustedFrame } from './security';
import type { WindowHost } from './window-host';

export function createRequestHandler(hostFor: (webContentsId: number) => WindowHost | undefined, origins: string[]) {
  return async (event: IpcMainInvokeEvent, raw: unknown): Promise<HostReply> => {
    const host = hostFor(event.sender.id);
    let frame = null;
    try {
      frame = event.senderFrame;
    } catch {
      frame = null; // the frame navigated or was destroyed
    }
    if (host === undefined || !isTrustedFrame(frame, origins)) {
      return replyError(readId(raw), { code: 'forbidden', message: 'requests are accepted only from the corotone window' });
    }
    return host.session.handle(raw, host.view);
  };
}

function readId(raw: unknown): number | null {
  try {
    const id = (raw as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
  } catch {
    return null;
  }
}
