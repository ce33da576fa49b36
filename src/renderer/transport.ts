/**
 * How the renderer reaches the engine host: a small interface with two
 * implementations speaking the protocol module's messages. In Electron the
 * preload exposes the API on `window.corotone`; in web mode the API runs over a
 * WebSocket to the page's own server, with the token from `location.search`.
 * Either way every host message is validated here before the app sees it.
 */
import {
  connectWebSocket,
  parseHostMessage,
  webSocketUrlFor,
  type ConnectionStatus,
  type CorotoneApi,
  type HostMessage,
  type WebSocketLike,
} from '../protocol';

export interface Transport {
  readonly kind: 'electron' | 'web';
  readonly api: CorotoneApi;
  readonly status: ConnectionStatus;
  /** Validated host messages only. */
  onMessage(listener: (message: HostMessage) => void): () => void;
  /** Connection state; each transition to 'open' is a (re)connect. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

declare global {
  interface Window {
    corotone?: CorotoneApi;
  }
}

/** Re-validate what the API hands over: the renderer trusts no boundary it did not check. */
function validated(api: CorotoneApi, listener: (message: HostMessage) => void): () => void {
  return api.onHostMessage((raw: unknown) => {
    const message = parseHostMessage(raw);
    if (message.ok) listener(message.value);
    else console.warn(`corotone: dropped ${message.error.message}`);
  });
}

export function electronTransport(api: CorotoneApi): Transport {
  return {
    kind: 'electron',
    api,
    status: 'open',
    onMessage: (listener) => validated(api, listener),
    onStatus: () => () => {},
  };
}

/** The page's token: `?token=` in its address, else the meta tag web mode puts in the page. */
function tokenSearch(location: Location): string {
  if (new URLSearchParams(location.search).has('token')) return location.search;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="corotone-token"]');
  return meta ? `?token=${encodeURIComponent(meta.content)}` : location.search;
}

export function webSocketTransport(location: Location = window.location): Transport {
  const connection = connectWebSocket({
    url: webSocketUrlFor({ protocol: location.protocol, host: location.host, search: tokenSearch(location) }),
    WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
  });
  return {
    kind: 'web',
    api: connection.api,
    get status() {
      return connection.status;
    },
    onMessage: (listener) => validated(connection.api, listener),
    onStatus: (listener) => connection.onStatus(listener),
  };
}

/** The preload's API when running in Electron, else web mode's socket. */
export function defaultTransport(): Transport {
  const api = window.corotone;
  if (api && typeof api.onHostMessage === 'function') return electronTransport(api);
  return webSocketTransport();
}

/**
 * The API with each line it sends announced just before it goes (`sending`):
 * the audio engine then places that line's first note with the input
 * lookahead (AudioEngine.expectInput), as an instrument's key rather than a
 * script's event.
 */
export function announcingLines(api: CorotoneApi, sending: () => void): CorotoneApi {
  return {
    ...api,
    submitLine: (params) => {
      sending();
      return api.submitLine(params);
    },
  };
}
