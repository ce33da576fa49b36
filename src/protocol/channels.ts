/**
 * Names of the transports' channels. Electron IPC uses them as channel names;
 * web mode uses {@link WEB_SOCKET_PATH} for its socket and the same message
 * shapes as JSON text frames.
 */
export const CHANNELS = {
  /** Renderer → host: one {@link RendererRequest}; answered with one {@link HostReply} (ipcRenderer.invoke). */
  request: 'corotone:request',
  /** Host → renderer: {@link HostMessage}s pushed by the host (event batches, snapshots). */
  host: 'corotone:host',
} as const;

export type ChannelName = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Path of web mode's WebSocket on the page's own origin (query: `?token=...`). */
export const WEB_SOCKET_PATH = '/ws';

/** Version of the message set; a host refuses nothing by it but puts it in snapshots for diagnosis. */
export const PROTOCOL_VERSION = 1;
