/**
 * One app per test file: the renderer built with Vite, web mode's server
 * (`corotone web`, in this process) serving it, and Debian's Chromium driving
 * the page. Audio is not muted: the page's AudioContext really runs.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runWebCommand, type WebServer } from '../../src/node/web';
import { ROOT, buildRenderer } from './build-renderer';

export const ARTIFACTS = resolve(ROOT, 'test-artifacts');

export interface AppUnderTest {
  browser: Browser;
  page: Page;
  server: WebServer;
  /** What the page logged (errors and warnings), for diagnosis. */
  log: string[];
  stop(): Promise<void>;
}

export async function startApp(name: string, options: { viewport?: { width: number; height: number } } = {}): Promise<AppUnderTest> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const rendererDir = await buildRenderer(resolve(ARTIFACTS, `e2e-renderer-${name}`));
  const abort = new AbortController();
  let server: WebServer | null = null;
  const serverLog: string[] = [];
  const exited = runWebCommand(['--renderer', rendererDir], {
    stdout: { write: () => true },
    stderr: { write: (text: string) => serverLog.push(text) },
    signal: abort.signal,
    onListening: (s) => (server = s),
  });
  const started = Date.now();
  while (server === null) {
    if (Date.now() - started > 20_000) throw new Error(`web mode did not start: ${serverLog.join('')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const listening = server as WebServer;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
    ignoreDefaultArgs: ['--mute-audio'],
  });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 820 } });
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(listening.url);
  await waitForApp(page);
  return {
    browser,
    page,
    server: listening,
    log,
    async stop() {
      await browser.close();
      abort.abort();
      await exited;
    },
  };
}

/** Wait until the app is up, connected and has its snapshot. */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const app = (globalThis as any).__corotone;
    const doc = (globalThis as any).document;
    return app && doc.getElementById('connection')?.textContent === 'connected' && app.terminal.screenText().includes('connected to session');
  });
}

/** Type a line into the terminal as a user would, and press Enter. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('.xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as any).__corotone.terminal.screenText() as string);
}

/** Poll `fn` in the page until it returns something truthy; returns it. */
export async function until<T>(page: Page, fn: () => T, timeout = 15_000): Promise<T> {
  const handle = await page.waitForFunction(fn, undefined, { timeout, polling: 50 });
  return (await handle.jsonValue()) as T;
}

/** Load a script through the Open button's file input, as a user picking a file. */
export async function openScript(page: Page, name: string, text: string): Promise<void> {
  await page.locator('#file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}
