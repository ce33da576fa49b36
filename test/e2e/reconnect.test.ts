/**
 * Web mode's host goes away and comes back (same address and token, a new
 * engine session): the page notices, reconnects by itself, asks for a snapshot
 * and draws the new session after the old one's history.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppSession } from '../../src/node/app-session/app-session';
import { createRealEngine } from '../../src/node/app-session/real-engine';
import { startWebServer, type WebServer } from '../../src/node/web';
import { ARTIFACTS, launchBrowser, typeLine, until, waitForApp } from '../support/e2e/harness';
import { buildRenderer } from '../support/e2e/build-renderer';

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
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  appSession?.dispose();
});

/** The terminal lane's bars that have ended, as the page draws them. */
function endedBars(): { id: number; name: string; start: number; end: number }[] {
  const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
  return (lane?.tasks ?? []).filter((t: any) => !Number.isNaN(t.end)).map((t: any) => ({ id: t.id, name: t.name, start: t.start, end: t.end }));
}

it('keeps what it drew when the socket drops mid-play and comes back to the same session; Tab completes a phrase', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForApp(page);
  await typeLine(page, 'def riff beep 60 0.1');
  // More events than a snapshot's recent window holds (500): a snapshot alone could not draw these again.
  await typeLine(page, 'repeat 60 gather beep 62 0.02 | wait 0.02');
  await typeLine(page, 'repeat 40 gather beep 64 0.1 | wait 0.1');
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
    return lane && lane.tasks.filter((t: any) => t.name === 'beep 64 0.1' && !Number.isNaN(t.end)).length >= 4;
  });
  const before = await page.evaluate(endedBars);
  expect(before.filter((b) => b.name === 'beep 62 0.02')).toHaveLength(60);

  // The socket drops (the server goes, the engine session plays on), then the server is back with the same session.
  const { port, token } = server;
  await server.close();
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'reconnecting…');
  await new Promise((r) => setTimeout(r, 500));
  server = await startWebServer({ appSession, rendererDir, port, token });
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'connected', 20_000);

  // The earlier bars are still there, where they were; what played while away is added; no session break.
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
    return lane.tasks.filter((t: any) => t.name === 'beep 64 0.1').length >= 12;
  });
  const after = new Map((await page.evaluate(endedBars)).map((b) => [b.id, b]));
  for (const bar of before) expect(after.get(bar.id)).toEqual(bar);
  expect(after.size).toBeGreaterThan(before.length);
  expect(await page.evaluate(() => (globalThis as any).__corotone.model.sessionBreaks.length)).toBe(0);
  const sessions = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText().match(/connected to session/g));
  expect(sessions).toHaveLength(1);

  // The phrase the session defined completes.
  await page.locator('.xterm').click();
  await page.keyboard.type('ri');
  await page.keyboard.press('Tab');
  await until(page, () => (globalThis as any).__corotone.terminal.editor.line === 'riff ');
  await page.keyboard.press('Enter');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 60));
  await page.close();
});

it('reconnects by itself when the host comes back, and draws the new session after the old one', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForApp(page);
  await typeLine(page, 'beep 64 0.05');
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'terminal' && l.tasks.some((t: any) => t.name === 'beep 64 0.05')));
  const { port, token } = server;

  await server.close();
  appSession.dispose();
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'reconnecting…');

  await serve(port, token);
  await until(page, () => (globalThis as any).document.getElementById('connection').textContent === 'connected', 20_000);
  // the old session's bar stays, behind the dashed break the new session is drawn after; typing works again
  await until(page, () => (globalThis as any).__corotone.model.sessionBreaks.length === 1);
  const kept = await page.evaluate(() => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal')?.tasks.map((t: any) => t.name));
  expect(kept).toContain('beep 64 0.05');
  await typeLine(page, 'beep 65 0.05');
  await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 65));
  const sessions = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText().match(/connected to session \S+/g));
  expect(sessions).toHaveLength(2);
  expect(sessions[0]).not.toBe(sessions[1]);
});
