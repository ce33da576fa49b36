/**
 * Who may talk to web mode: requests that carry the server's token (in the
 * query or the cookie set with the page), come from no other Origin than the
 * server's own, and name the server's own Host (against DNS rebinding).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AccessPolicy {
  token: string;
  port: number;
}

export function tokenCookieName(port: number): string {
  // Cookies are per host, not per port: name it per port so two servers do not clash.
  return `corotone_token_${port}`;
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

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export type AccessDecision = { ok: true; via: 'query' | 'cookie' } | { ok: false; reason: string };

/** Decide whether a request (page, asset, or socket upgrade) may proceed. */
export function checkAccess(request: IncomingMessage, url: URL, policy: AccessPolicy): AccessDecision {
  const host = request.headers.host;
  if (!host || !ownOrigins(policy.port).includes(`http://${host.toLowerCase()}`)) return { ok: false, reason: 'wrong Host' };
  const origin = request.headers.origin;
  if (origin !== undefined && !ownOrigins(policy.port).includes(origin.toLowerCase())) return { ok: false, reason: 'foreign Origin' };
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return { ok: false, reason: 'cross-site request' };
  if (sameToken(url.searchParams.get('token'), policy.token)) return { ok: true, via: 'query' };
  if (sameToken(readCookie(request.headers.cookie, tokenCookieName(policy.port)), policy.token)) return { ok: true, via: 'cookie' };
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
