/**
 * Who may talk to web mode: requests that come from no other Origin than the
 * server's own and name the server's own Host (against DNS rebinding), and,
 * for the page and the socket, carry the server's token in the query.
 *
 * No cookie carries the token. Cookies are scoped to a host, not a port
 * (RFC 6265 §8.5): Chromium sent a `corotone_token_PORT` cookie to every other
 * server on 127.0.0.1. A `__Host-` cookie is no better: Chromium 156 takes one
 * (with `Secure`) from http://127.0.0.1, and sends it to every port too. So the page keeps the token (a meta tag web
 * mode puts in it) and puts it in the socket's URL; the app's public files
 * need no token, and a download's path is an unguessable id.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AccessPolicy {
  token: string;
  port: number;
}

/** Origins that are this server. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AccessDecision = { ok: true } | { ok: false; reason: string };

/** Decide whether a request (page, asset, or socket upgrade) may proceed; the page and the socket pass `requireToken`. */
export function checkAccess(request: IncomingMessage, url: URL, policy: AccessPolicy, requireToken: boolean): AccessDecision {
  const host = request.headers.host;
  if (!host || !ownOrigins(policy.port).includes(`http://${host.toLowerCase()}`)) return { ok: false, reason: 'wrong Host' };
  const origin = request.headers.origin;
  if (origin !== undefined && !ownOrigins(policy.port).includes(origin.toLowerCase())) return { ok: false, reason: 'foreign Origin' };
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return { ok: false, reason: 'cross-site request' };
  if (!requireToken || sameToken(url.searchParams.get('token'), policy.token)) return { ok: true };
  return { ok: false, reason: 'missing or wrong token' };
}

/** The Content-Security-Policy of web mode's page. */
export function webContentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    // blob: for Tone.js's AudioWorklet modules, which it builds from Blob URLs.
    "script-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob: data:",
    "worker-src 'self' blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
