/**
 * Web mode's server: the built renderer over HTTP and the engine host over a
 * WebSocket on the same port, speaking the protocol of `src/protocol` as JSON
 * text frames. It listens on 127.0.0.1 only; the page and the socket need
 * the token, and every request the right Host and Origin (see security.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEB_SOCKET_PATH, replyError } from '../../protocol';
import type { AppSession } from '../app-session';
import { DOWNLOAD_PATH, type DownloadStore, type StoredDownload } from './downloads';
import { capReplyDiagnostics } from './cap-diagnostics';
import { describeSocketError, MAX_REQUEST_FRAME_BYTES, readFrame } from './frame-guard';
import { createSocketGate } from './socket-view';
import { checkAccess, webContentSecurityPolicy } from './security';
import { contentType, injectToken, readStatic, resolveStatic } from './static';

export interface WebServerOptions {
  /** The engine host every socket attaches to (one session for the whole server). */
  appSession: AppSession;
  /** Folder of the built renderer (with index.html). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /**
   * Files offered at `/download/ID` (the store the AppSession's deliverFile
   * puts exports in). Without it that route is 404.
   */
  downloads?: DownloadStore;
  /** Log a line (refusals, errors) — default: nothing. */
  log?: (line: string) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The page's address, with the token. */
  readonly url: string;
  /** Open sockets now. */
  readonly connections: number;
  /** Bytes written to its sockets that the clients have not read yet (the slow-client cap bounds it). */
  readonly bufferedBytes: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** What the HTTP and upgrade handlers share: `port` is set once the server listens. */
interface Site {
  readonly token: string;
  port: number;
  readonly log: (line: string) => void;
  readonly rendererDir: string;
  readonly downloads: DownloadStore | undefined;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const site: Site = {
    token: options.token ?? randomBytes(32).toString('base64url'),
    port: 0,
    log: options.log ?? (() => {}),
    rendererDir: options.rendererDir,
    downloads: options.downloads,
  };
  const { log } = site;
  const app = options.appSession;
  const sockets = new Set<WebSocket>();

  // A frame larger than any request is not taken in: `ws` closes the socket (1009). See frame-guard.ts.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_FRAME_BYTES });
  const server: Server = createServer((request, response) => {
    void serveHttp(site, request, response).catch((error: unknown) => {
      log(`corotone web: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!admitUpgrade(site, request, socket)) return;
    wss.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    sockets.add(ws);
    const gate = createSocketGate(
      {
        send: (frame) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
        },
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        terminate: () => {
          log('corotone web: closed a socket that does not read what it is sent');
          ws.terminate();
        },
      },
      (view) => app.sendSnapshot(view),
    );
    const detach = app.attach(gate.view);
    ws.on('message', (data, isBinary) => {
      const frame = readFrame(data, isBinary);
      if (!frame.ok) {
        gate.reply(replyError(null, { code: 'invalid-message', message: frame.message }));
        return;
      }
      void app.handle(frame.value, gate.view).then((reply) => gate.reply(capReplyDiagnostics(reply)));
    });
    ws.on('close', () => {
      sockets.delete(ws);
      detach();
    });
    ws.on('error', (error) => log(describeSocketError(error)));
  }

  await listen(server, options.port ?? 0);
  site.port = (server.address() as AddressInfo).port;
  return handleOf(site, server, wss, sockets);
}

/** A short plain-text answer: a refusal or a miss. */
function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`${text}\n`);
}

/** Answer one HTTP request: the page and its files, or a download. */
async function serveHttp(site: Site, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { token, port, log } = site;
  const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
  // The page (what holds the token) and the socket need the token; see security.ts for the rest.
  const access = checkAccess(request, url, { token, port }, false);
  if (!access.ok) {
    log(`corotone web: refused ${request.method} ${url.pathname}: ${access.reason}`);
    refuse(response, 403, `forbidden: ${access.reason}`);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    refuse(response, 405, 'method not allowed');
    return;
  }
  if (url.pathname.startsWith(DOWNLOAD_PATH)) {
    const download = site.downloads?.fetch(url.pathname) ?? null;
    if (download === null) refuse(response, 404, 'not found (downloads are kept for a few minutes)');
    else await sendDownload(request, response, download, log);
    return;
  }
  const file = await resolveStatic(site.rendererDir, url.pathname);
  if (file === null && url.pathname === '/favicon.ico') {
    // Browsers ask for it on every load; no icon is not an error worth a console line.
    response.writeHead(204, { 'cache-control': 'max-age=86400' });
    response.end();
    return;
  }
  if (file === null) {
    refuse(response, 404, 'not found');
    return;
  }
  if (file.endsWith('.html') && !checkAccess(request, url, { token, port }, true).ok) {
    log(`corotone web: refused ${request.method} ${url.pathname}: missing or wrong token`);
    refuse(response, 403, 'forbidden: missing or wrong token');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': contentType(file),
    'x-content-type-options': 'nosniff',
    // The token is in the page's URL: never send it on in a Referer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  let body = await readStatic(file);
  if (file.endsWith('.html')) {
    headers['content-security-policy'] = webContentSecurityPolicy(port);
    headers['cache-control'] = 'no-store';
    headers['x-frame-options'] = 'DENY';
    body = Buffer.from(injectToken(body.toString('utf8'), token));
  }
  headers['content-length'] = String(body.length);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The file's bytes as they are (no JSON, no base64), in slices, as fast as the socket takes them. */
async function sendDownload(request: IncomingMessage, response: ServerResponse, file: StoredDownload, log: (line: string) => void): Promise<void> {
  response.writeHead(200, {
    'content-type': file.mime,
    'content-length': String(file.bytes.byteLength),
    'content-disposition': contentDisposition(file.fileName),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(Readable.from(slices(file.bytes), { objectMode: false }), response).catch((error: unknown) => {
    // The page went away mid-download: nothing to answer.
    log(`corotone web: download ${file.fileName} not finished: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/** Whether a socket may be opened here (the socket path, with the token); a refused one is answered and ended. */
function admitUpgrade(site: Site, request: IncomingMessage, socket: Duplex): boolean {
  const { token, port, log } = site;
  const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
  const access = url.pathname === WEB_SOCKET_PATH ? checkAccess(request, url, { token, port }, true) : { ok: false as const, reason: 'no such socket' };
  if (!access.ok) {
    log(`corotone web: refused socket ${url.pathname}: ${access.reason}`);
    socket.end(`HTTP/1.1 ${access.reason === 'no such socket' ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return false;
  }
  return true;
}

/** Listen on HOST at `port` (0: a free one). */
async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

/** The running server, as its starter sees it. */
function handleOf(site: Site, server: Server, wss: WebSocketServer, sockets: Set<WebSocket>): WebServer {
  const { token, port } = site;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    get connections() {
      return sockets.size;
    },
    get bufferedBytes() {
      let bytes = 0;
      for (const ws of sockets) bytes += ws.bufferedAmount;
      return bytes;
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Views of a file's bytes, 256 KiB at a time (no copies). */
function* slices(bytes: Uint8Array, size = 256 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.byteLength; at += size) {
    yield Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(size, bytes.byteLength - at));
  }
}

/** `attachment` with the name as ASCII (quotes and controls replaced) and, for any other characters, RFC 5987. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === fileName ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
