/**
 * Web mode's host goes away and comes back (same address and token, a new
 * engine session): the page notices, reconnects by itself, asks for a snapshot
 * and starts over from it.
 */
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppSession } from '../../src/node/app-session/app-session';
import { createRealEngine } from '../../src/node/app-session/real-engine';
import { startWebServer, type WebServer } from '../../src/node/web';
import { ARTIFACTS, typeLine, until, waitForApp } from './harness';
import { buildRenderer } from './build-renderer';

let browser: Browser;
let server: WebServer;
let appSession: AppSession;
let rendererDir: string;

async function serve(port = 0, token?: string): Promise<void> {
  appSession = new AppSession({ createEngine: createRealEngine });
  server = await startWebServer({ appSession, rendererDir, port, token });
}

beforeAll(async () => {
  rendererDir = await buildRenderer(resolve(ARTIFACTS, 'e2e-renderer-reconnect'));
  await serve();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    ignoreDefaultArgs: ['--mute-audio'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  appSession?.dispose();
});

it('reconnects by itself when the host comes back, and rebuilds from the new snapshot', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForApp(page);
  await typeLine(page, 'beep 64 0.05');
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'terminal'));
  const { port, token } = server;

  await server.close();
  appSession.dispose();
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'reconnecting…');

  await serve(port, token);
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'connected', 20_000);
  // the new session's snapshot replaced the old timeline, and typing works again
  await until(page, () => (globalThis as any).__corotone.model.lanes.every((l: any) => l.name !== 'terminal'));
  await typeLine(page, 'beep 65 0.05');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 65));
  const sessions = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText().match(/connected to session \S+/g));
  expect(sessions).toHaveLength(2);
  expect(sessions[0]).not.toBe(sessions[1]);
});
