/**
 * The token stays with web mode's server: Chromium, having loaded the app,
 * sends nothing of it to another server on another port of 127.0.0.1 (a
 * cookie would be: cookies are scoped to the host, not the port).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;
let other: Server;
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

beforeAll(async () => {
  app = await startApp('cookie-scope');
  other = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>another local server</title><img src="/pixel.png">');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => other?.close(resolve));
});

it('never sends the token to another server on 127.0.0.1', async () => {
  const { page, server } = app;
  // The app works without a cookie: it plays, and its socket is up.
  await typeLine(page, 'beep 60 0.05');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('beep 60 0.05'));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  // The app's tab (its cookie jar, had it one) goes to the other server, which loads an image of its own.
  await page.goto(`${otherUrl}/from-the-app`);
  await page.waitForLoadState('load');
  await page.reload();
  await page.waitForLoadState('load');

  expect(seen.map((r) => r.url)).toEqual(expect.arrayContaining(['/from-the-app', '/pixel.png']));
  for (const request of seen) {
    expect(JSON.stringify(request)).not.toContain(server.token);
    expect(JSON.stringify(request)).not.toContain(encodeURIComponent(server.token));
    expect(request.headers.cookie).toBeUndefined();
  }
  expect(await page.context().cookies()).toEqual([]);
});
