/**
 * The shell's security settings, per Electron's security checklist: the
 * renderer is served from a custom `app://` scheme (not file://) so it has an
 * origin of its own and every response carries a strict Content-Security-Policy;
 * IPC is accepted only from the top frame of one of our windows showing that
 * origin.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'corotone';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The dev server the window may load instead of the built renderer
 * (electron-vite dev sets ELECTRON_RENDERER_URL): trusted only in an app that
 * is not packaged, and only at a loopback address over http(s), so neither a
 * packaged app nor a stray environment variable can point the window (and its
 * IPC) at another machine. Null means: load app://corotone.
 */
export function trustedDevServer(url: string | undefined, packaged: boolean): string | null {
  if (packaged || !url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return isLoopbackHost(parsed.hostname) ? parsed.href : null;
}

/** A URL's hostname that names this machine: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // The URL parser has already turned 127.1, 0x7f.1 and the like into dotted quads.
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return quad !== null && quad[1] === '127' && quad.slice(2).every((part) => Number(part) <= 255);
}

/** The renderer's CSP. `devServer` (electron-vite dev) adds the dev server and its HMR socket. */
export function contentSecurityPolicy(devServer: string | null = null): string {
  const dev = devServer ? new URL(devServer) : null;
  const self = dev ? `'self' ${dev.origin}` : "'self'";
  const ws = dev ? ` ws://${dev.host}` : '';
  return [
    "default-src 'none'",
    // blob: for Tone.js's AudioWorklet modules, which it builds from Blob URLs.
    `script-src ${self} blob:`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data: blob:`,
    `font-src ${self} data:`,
    `media-src ${self} blob: data:`,
    `worker-src ${self} blob:`,
    `connect-src ${self}${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The origins whose top frame may use IPC: the app scheme, and the dev server in development. */
export function trustedOrigins(devServer: string | null): string[] {
  return devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN];
}

/** Origin of a URL, or null (opaque/invalid). Custom standard schemes get `scheme://host`. */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
    if (parsed.protocol === `${APP_SCHEME}:`) return `${APP_SCHEME}://${parsed.host}`;
    return null;
  } catch {
    return null;
  }
}

/** The minimal view of an IPC sender frame this check reads. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** Whether an IPC message comes from a frame we trust: a top frame showing one of `origins`. */
export function isTrustedFrame(frame: SenderFrameLike | null | undefined, origins: string[]): boolean {
  if (!frame || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.includes(origin);
}

/** Navigation is allowed only within the app's own page (a reload). */
export function isAllowedNavigation(url: string, devServer: string | null): boolean {
  const origin = originOf(url);
  return origin !== null && trustedOrigins(devServer).includes(origin);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * The `app://` protocol handler: files of the built renderer folder `root`,
 * nothing outside it, every response with the CSP.
 */
export function createAppProtocolHandler(root: string, csp = contentSecurityPolicy()) {
  const base = resolve(root);
  return async (request: Request): Promise<Response> => {
    const headers = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff' };
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('bad request', { status: 400, headers });
    }
    if (url.host !== APP_HOST) return new Response('not found', { status: 404, headers });
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response('bad request', { status: 400, headers });
    }
    if (path === '/' || path === '') path = '/index.html';
    const file = resolve(base, '.' + path);
    if (path.includes('\0') || !file.startsWith(base + sep)) return new Response('not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { ...headers, 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' } });
    } catch {
      return new Response('not found', { status: 404, headers });
    }
  };
}
