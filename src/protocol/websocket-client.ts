/**
 * The renderer's side of web mode: a {@link CorotoneApi} over a WebSocket to
 * the host, reconnecting by itself. On every (re)connect the host pushes a
 * snapshot, so a listener simply replaces its state when one arrives.
 */
import { createApi } from './client';
import type { CorotoneApi } from './api';
import { WEB_SOCKET_PATH } from './channels';
import type { RendererRequest } from './messages';
import { LIMITS } from './limits';
import { parseJson } from './validate';

/** The part of the WHATWG WebSocket this module uses (the browser's, or `ws`'s). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface WebSocketConnection {
  readonly api: CorotoneApi;
  readonly status: ConnectionStatus;
  /** Listen to connection status changes (for a "reconnecting…" indicator). */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Close for good (no reconnect). */
  close(): void;
}

export interface ConnectOptions {
  /** Full ws:// URL including the token. Default: {@link webSocketUrlFor}(location). */
  url: string;
  /** The WebSocket constructor (the browser's global, or `ws` in tests). */
  WebSocket: new (url: string) => WebSocketLike;
  /** Reconnect delays grow from this (ms). Default 250. */
  retryMs?: number;
  /** A request without a reply after this long resolves as failed (ms). Default 30000. */
  timeoutMs?: number;
}

/** ws://host/ws?token=... for a page served by web mode at `location` (with `?token=` in its search). */
export function webSocketUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WEB_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

const OPEN = 1;

export function connectWebSocket(options: ConnectOptions): WebSocketConnection {
  const retryMs = options.retryMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let socket: WebSocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let closed = false;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const messageListeners = new Set<(raw: unknown) => void>();
  const pending = new Map<number, { resolve: (raw: unknown) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout>; sent: boolean }>();
  /** Requests made while disconnected wait here and go out on open. */
  const outbox: RendererRequest[] = [];

  function setStatus(next: ConnectionStatus): void {
    if (status === next) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function open(): void {
    if (closed) return;
    setStatus('connecting');
    let ws: WebSocketLike;
    try {
      ws = new options.WebSocket(options.url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      setStatus('open');
      for (const request of outbox.splice(0)) {
        const entry = pending.get(request.id);
        if (entry) entry.sent = true;
        ws.send(JSON.stringify(request));
      }
    };
    ws.onmessage = (event) => receive(event.data);
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket === ws) socket = null;
      // A request already sent may or may not have run: fail it rather than send it twice.
      for (const [id, entry] of pending) {
        if (!entry.sent) continue;
        clearTimeout(entry.timer);
        entry.reject(new Error('the connection closed before the host answered'));
        pending.delete(id);
      }
      setStatus('closed');
      scheduleRetry();
    };
  }

  function scheduleRetry(): void {
    if (closed || retryTimer !== null) return;
    const delay = Math.min(5000, retryMs * 2 ** Math.min(attempts++, 5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, delay);
  }

  /**
   * Route one frame. Validation happens once, in createApi: replies are
   * checked against their request's type, pushed messages as HostMessages.
   */
  function receive(data: unknown): void {
    const json = parseJson(typeof data === 'string' ? data : String(data), LIMITS.hostFrameChars);
    if (!json.ok) {
      console.warn(`corotone: ${json.error.message}`);
      return;
    }
    const frame = json.value as { type?: unknown; id?: unknown; ok?: unknown; error?: { message?: unknown } } | null;
    if (frame !== null && typeof frame === 'object' && frame.type === 'reply') {
      const entry = typeof frame.id === 'number' ? pending.get(frame.id) : undefined;
      if (entry) {
        pending.delete(frame.id as number);
        clearTimeout(entry.timer);
        entry.resolve(frame);
      } else if (frame.ok === false) {
        console.warn(`corotone: host error: ${String(frame.error?.message)}`);
      }
      return;
    }
    for (const listener of messageListeners) listener(frame);
  }

  const api = createApi({
    invoke(request) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(request.id);
          reject(new Error(`no reply to ${request.type} within ${timeoutMs} ms`));
        }, timeoutMs);
        const open = socket !== null && socket.readyState === OPEN;
        pending.set(request.id, { resolve, reject, timer, sent: open });
        if (open) socket!.send(JSON.stringify(request));
        else outbox.push(request);
      });
    },
    listen(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
  });

  open();

  return {
    api,
    get status() {
      return status;
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket?.close();
      for (const [id, entry] of pending) {
        clearTimeout(entry.timer);
        entry.reject(new Error('connection closed'));
        pending.delete(id);
      }
    },
  };
}
