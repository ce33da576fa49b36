/** Which ELECTRON_RENDERER_URL the shell trusts: a loopback dev server, in an app that is not packaged. */
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, trustedDevServer, trustedOrigins } from '../../src/main/security';

describe('the dev server URL', () => {
  it('is trusted at a loopback address when the app is not packaged', () => {
    for (const url of ['http://localhost:5173', 'http://127.0.0.1:5173/', 'http://127.8.9.10:4000', 'http://[::1]:5173', 'https://localhost:5173', 'http://127.1:5173']) {
      expect(trustedDevServer(url, false), url).not.toBeNull();
    }
    expect(trustedDevServer('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(trustedOrigins(trustedDevServer('http://127.0.0.1:5173', false))).toEqual(['app://corotone', 'http://127.0.0.1:5173']);
  });

  it('is ignored in a packaged app, even at a loopback address', () => {
    expect(trustedDevServer('http://localhost:5173', true)).toBeNull();
    expect(trustedDevServer('http://127.0.0.1:5173', true)).toBeNull();
  });

  it('is ignored anywhere else, or when it is not an http(s) URL', () => {
    for (const url of [
      'http://192.168.1.20:5173',
      'http://10.0.0.1:5173',
      'http://0.0.0.0:5173',
      'http://evil.example:5173',
      'http://localhost.evil.example:5173',
      'http://127.0.0.1.evil.example/',
      'http://[::ffff:10.0.0.1]:5173',
      'http://[fe80::1]:5173',
      'http://user:pass@localhost:5173',
      'file:///tmp/index.html',
      'ws://localhost:5173',
      'javascript:alert(1)',
      'localhost:5173',
      'not a url',
      '',
    ]) {
      expect(trustedDevServer(url, false), url).toBeNull();
    }
    expect(trustedDevServer(undefined, false)).toBeNull();
  });

  it('adds nothing to the CSP or the trusted origins when refused', () => {
    const refused = trustedDevServer('http://evil.example:5173', false);
    expect(trustedOrigins(refused)).toEqual(['app://corotone']);
    expect(contentSecurityPolicy(refused)).not.toContain('evil.example');
  });
});
