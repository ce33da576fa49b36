/**
 * A reload shows the whole session, not its last 500 events: the host keeps
 * every event (under a cap) and sends a large history in chunks before the
 * snapshot. Past the cap, a mark on the timeline says older events were
 * dropped. Live tasks keep their names (t1) after a reload.
 */
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppSession } from '../../src/node/app-session/app-session';
import { createRealEngine } from '../../src/node/app-session/real-engine';
import { startWebServer, type WebServer } from '../../src/node/web';
import { buildRenderer } from '../support/e2e/build-renderer';
import { ARTIFACTS, typeLine, until, waitForApp } from '../support/e2e/harness';

let browser: Browser;
let rendererDir: string;
const running: { server: WebServer; app: AppSession }[] = [];

async function serve(options: { historyCap?: number; historyChunkEvents?: number }): Promise<WebServer> {
  const app = new AppSession({ createEngine: createRealEngine, ...options });
  const server = await startWebServer({ appSession: app, rendererDir });
  running.push({ server, app });
  return server;
}

beforeAll(async () => {
  rendererDir = await buildRenderer(resolve(ARTIFACTS, 'e2e-renderer-history'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    ignoreDefaultArgs: ['--mute-audio'],
  });
});

afterAll(async () => {
  await browser?.close();
  for (const { server, app } of running) {
    await server.close();
    app.dispose();
  }
});

function beeps(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
    return (lane?.tasks ?? []).filter((t: any) => t.name === n && !Number.isNaN(t.end)).length as number;
  }, name);
}

it('a reload draws every bar of the session, sent in chunks, and knows the live tasks by name', async () => {
  const server = await serve({ historyChunkEvents: 200 });
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForApp(page);
  // 150 beeps are ~1000 events: twice what a snapshot used to carry.
  await typeLine(page, 'repeat 150 gather beep 62 0.01 | wait 0.01');
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
    return lane && lane.tasks.filter((t: any) => t.name === 'beep 62 0.01' && !Number.isNaN(t.end)).length >= 150;
  }, 30_000);
  await typeLine(page, 'spawn repeat 400 beep 70 0.1');
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.tasks.some((t: any) => t.alias === 't1')));

  await page.reload();
  await waitForApp(page);
  await until(page, () => (globalThis as any).__corotone.model.lanes.some((l: any) => l.name === 'terminal'));
  expect(await beeps(page, 'beep 62 0.01')).toBe(150);
  const aliased = await page.evaluate(() => (globalThis as any).__corotone.model.lanes.flatMap((l: any) => l.tasks).filter((t: any) => t.alias === 't1').length);
  expect(aliased).toBeGreaterThan(0);
  expect(await page.locator('#history-dropped').isVisible()).toBe(false);
  await page.close();
}, 90_000);

it('past the cap, a reloaded page says on the timeline that older events were dropped', async () => {
  const server = await serve({ historyCap: 300 });
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForApp(page);
  await typeLine(page, 'repeat 100 gather beep 62 0.01 | wait 0.01');
  await until(page, () => {
    const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
    return lane && lane.tasks.filter((t: any) => t.name === 'beep 62 0.01' && !Number.isNaN(t.end)).length >= 100;
  }, 30_000);
  await page.reload();
  await waitForApp(page);
  const mark = page.locator('#history-dropped');
  await mark.waitFor({ state: 'visible' });
  expect(await mark.textContent()).toMatch(/^◀ [\d,]+ older events dropped$/);
  const drawn = await beeps(page, 'beep 62 0.01');
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(100);
  await page.screenshot({ path: resolve(ARTIFACTS, 'history-dropped.png') });
  await page.close();
}, 90_000);
