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
  const connection = new ReconnectingSocket(options);
  connection.open();
  return {
    api: connection.api,
    get status() {
      return connection.status;
    },
    onStatus: (listener) => connection.onStatus(listener),
    close: () => connection.close(),
  };
}

/** A request sent (or waiting in the outbox) until its reply comes, it times out or the connection fails it. */
interface PendingRequest {
  resolve: (raw: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** It went out on a socket: if that closes, the host may have run it. */
  sent: boolean;
}

/** One socket at a time to the host, opened again after it drops, and the requests waiting on it. */
class ReconnectingSocket {
  readonly api: CorotoneApi;
  status: ConnectionStatus = 'connecting';
  private readonly retryMs: number;
  private readonly timeoutMs: number;
  private socket: WebSocketLike | null = null;
  private closed = false;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly messageListeners = new Set<(raw: unknown) => void>();
  private readonly pending = new Map<number, PendingRequest>();
  /** Requests made while disconnected wait here and go out on open. */
  private readonly outbox: RendererRequest[] = [];

  constructor(private readonly options: ConnectOptions) {
    this.retryMs = options.retryMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.api = createApi({
      invoke: (request) => this.invoke(request),
      listen: (listener) => {
        this.messageListeners.add(listener);
        return () => this.messageListeners.delete(listener);
      },
    });
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  open(): void {
    if (this.closed) return;
    this.setStatus('connecting');
    let ws: WebSocketLike;
    try {
      ws = new this.options.WebSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = ws;
    ws.onopen = () => this.opened(ws);
    ws.onmessage = (event) => this.receive(event.data);
    ws.onerror = () => {};
    ws.onclose = () => this.dropped(ws);
  }

  /** Close for good: no reconnect, and every request still waiting fails. */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.failPending(() => true, 'connection closed');
  }

  private setStatus(next: ConnectionStatus): void {
    if (this.status === next) return;
    this.status = next;
    for (const listener of this.statusListeners) listener(next);
  }

  /** Connected: what was asked meanwhile goes out now. */
  private opened(ws: WebSocketLike): void {
    this.attempts = 0;
    this.setStatus('open');
    for (const request of this.outbox.splice(0)) {
      const entry = this.pending.get(request.id);
      if (entry) entry.sent = true;
      ws.send(JSON.stringify(request));
    }
  }

  private dropped(ws: WebSocketLike): void {
    if (this.socket === ws) this.socket = null;
    // A request already sent may or may not have run: fail it rather than send it twice.
    this.failPending((entry) => entry.sent, 'the connection closed before the host answered');
    this.setStatus('closed');
    this.scheduleRetry();
  }

  private failPending(which: (entry: PendingRequest) => boolean, message: string): void {
    for (const [id, entry] of this.pending) {
      if (!which(entry)) continue;
      clearTimeout(entry.timer);
      entry.reject(new Error(message));
      this.pending.delete(id);
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== null) return;
    const delay = Math.min(5000, this.retryMs * 2 ** Math.min(this.attempts++, 5));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /**
   * Route one frame. Validation happens once, in createApi: replies are
   * checked against their request's type, pushed messages as HostMessages.
   */
  private receive(data: unknown): void {
    const json = parseJson(typeof data === 'string' ? data : String(data), LIMITS.hostFrameChars);
    if (!json.ok) {
      console.warn(`corotone: ${json.error.message}`);
      return;
    }
    const frame = json.value as { type?: unknown; id?: unknown; ok?: unknown; error?: { message?: unknown } } | null;
    if (frame !== null && typeof frame === 'object' && frame.type === 'reply') {
      const entry = typeof frame.id === 'number' ? this.pending.get(frame.id) : undefined;
      if (entry) {
        this.pending.delete(frame.id as number);
        clearTimeout(entry.timer);
        entry.resolve(frame);
      } else if (frame.ok === false) {
        console.warn(`corotone: host error: ${String(frame.error?.message)}`);
      }
      return;
    }
    for (const listener of this.messageListeners) listener(frame);
  }

  /** Send a request now if the socket is open, else when it is; its reply (or a timeout) settles the promise. */
  private invoke(request: RendererRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.id);
        // one still queued is never sent: the user was told it failed, so it must not run later
        const queued = this.outbox.indexOf(request);
        if (queued >= 0) this.outbox.splice(queued, 1);
        reject(new Error(`no reply to ${request.type} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const open = this.socket !== null && this.socket.readyState === OPEN;
      this.pending.set(request.id, { resolve, reject, timer, sent: open });
      if (open) this.socket!.send(JSON.stringify(request));
      else this.outbox.push(request);
    });
  }
}
