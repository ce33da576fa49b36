/**
 * One app per test file: the renderer built with Vite, web mode's server
 * (`corotone web`, in this process) serving it, and Chromium driving the page:
 * Debian's, or the one the @sparticuz/chromium package ships (see
 * test/support/browser.ts; COROTONE_BROWSER chooses). Audio is not muted: the
 * page's AudioContext really runs.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runWebCommand, type WebServer } from '../../../src/node/web';
import { findBrowser } from '../browser';
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

export async function startApp(
  name: string,
  options: {
    viewport?: { width: number; height: number };
    /** Let audio start without a gesture (default true). */
    autoplay?: boolean;
    /** Which Chromium (see test/support/browser.ts); default COROTONE_BROWSER's choice. */
    browser?: string;
    /** More command-line arguments for Chromium (e.g. the Electron shell's, src/main/chromium-switches.ts). */
    args?: string[];
  } = {},
): Promise<AppUnderTest> {
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
  const browser = await launchBrowser({ autoplay: options.autoplay, browser: options.browser, args: options.args });
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

/** Chromium as the tests drive it (see test/support/browser.ts for which one). */
export async function launchBrowser(options: { autoplay?: boolean; browser?: string; args?: string[] } = {}): Promise<Browser> {
  const found = await findBrowser(options.browser);
  return chromium.launch({
    executablePath: found.executablePath,
    env: { ...process.env, ...found.env } as Record<string, string>,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--autoplay-policy=${options.autoplay === false ? 'document-user-activation-required' : 'no-user-gesture-required'}`,
      ...(options.args ?? []),
    ],
    ignoreDefaultArgs: ['--mute-audio'],
  });
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

/** A change as the page's player scheduled it: logical time, audio time, lateness, and whether it ended the stream. */
export interface PlayedChange {
  t: number;
  at: number;
  lateBy: number;
  end: boolean;
}

/**
 * Render offline, in the page, exactly what its player scheduled (the same
 * code, sample-exact), and bring the samples and the schedule back to Node.
 */
export async function renderPlayedInPage(
  page: Page,
  rate: number,
  lead: number,
): Promise<{ samples: Float32Array; late: number; played: PlayedChange[]; lookahead: number }> {
  const rendered = await page.evaluate(
    async ({ rate, lead }) => {
      const app = (globalThis as any).__corotone;
      const { samples } = await app.audio.renderPlayed({ sampleRate: rate, lead, tail: 0.5 });
      const bytes = new Uint8Array(samples.buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const played = app.audio.playedChanges.map((c: any) => ({ t: c.t, at: c.at, lateBy: c.lateBy, end: c.end }));
      return { b64: btoa(binary), late: app.audio.lateCount as number, played, lookahead: app.audio.lookahead as number };
    },
    { rate, lead },
  );
  const buf = Buffer.from(rendered.b64, 'base64');
  const samples = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { samples, late: rendered.late, played: rendered.played as PlayedChange[], lookahead: rendered.lookahead };
}

export interface TimelineFrameStats {
  /** Draw calls issued per frame (CPU time in the timeline's draw). */
  frames: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  lastMs: number;
  drawnTasks: number;
  drawnRects: number;
  /** Wait and cancellation connectors drawn in the last frame (capped). */
  drawnConnectors: number;
  /** Display frames while panning, animation frame to animation frame (includes rasterising). */
  rafMeanMs: number;
  rafMedianMs: number;
  rafP95Ms: number;
}

/**
 * Feed the page's timeline `tasks` synthetic tasks (a lane of beeps 0.1 ms apart,
 * about 50 alive at once, every 97th cancelled), show them all, and time 120
 * redraws while panning a little. Only the renderer sees them; the host does not.
 *
 * With `waits`, the tasks come in groups of four, as a gather: the first waits
 * on the other three from when the third starts; the second fails and the
 * other two are cancelled at that instant, so every group draws three wait and
 * two cancellation connectors.
 *
 * The tasks are 0.1 ms apart and 5 ms long, and end before the timeline's now
 * (nothing past now is drawn): it waits until the page's clock is past them.
 */
export async function measureTimeline(page: Page, tasks: number, options: { waits?: boolean; /** Give each task a line of source `bench` (1..40), as a script's tasks have. */ lines?: boolean } = {}): Promise<TimelineFrameStats> {
  const step = 0.0001;
  const length = 0.005;
  const span = tasks * step + length;
  await page.waitForFunction((least) => (globalThis as any).__corotone.timelineNow() > least, span + 0.2, { timeout: 60_000, polling: 50 });
  return page.evaluate(async ({ count, waits, lines, step, length, span }) => {
    const app = (globalThis as any).__corotone;
    const base = app.timelineNow() - span - 0.1;
    // ids of their own on each call in a page (a task id is created once)
    const run = ((globalThis as any).__measureRuns = ((globalThis as any).__measureRuns ?? 0) + 1);
    const firstId = 1_000_000 * run;
    const events: any[] = [];
    for (let i = 0; i < count; i++) {
      const t = base + i * step;
      const id = firstId + i;
      events.push({ type: 'task-created', t, wall: t, id, parent: null, name: `beep ${40 + (i % 40)} 0.05`, kind: 'line', source: 'bench', pos: lines ? { source: 'bench', line: 1 + (i % 40), col: 1 } : null });
      events.push({ type: 'task-running', t, wall: t, id });
      events.push({ type: 'task-sleeping', t, wall: t, id, until: t + length });
    }
    // (no named function in here: tsx, which the bench runs this under, would wrap it in a helper the page lacks)
    for (let i = 0; i < count; i++) {
      const id = firstId + i;
      const role = waits && i - (i % 4) + 3 < count ? i % 4 : -1;
      if (role === 0) {
        const t = base + (i + 3) * step;
        events.push({ type: 'task-waiting', t, wall: t, id, on: { kind: 'tasks', ids: [id + 1, id + 2, id + 3] } });
      }
      if (role >= 1) {
        // the group's failure at the second's end; the other two are cancelled then
        const t = base + (i - role + 1) * step + length;
        if (role === 1) events.push({ type: 'task-failed', t, wall: t, id, error: { name: 'Error', message: 'boom' } });
        else events.push({ type: 'task-cancelled', t, wall: t, id });
        continue;
      }
      const t = base + i * step + length;
      events.push({ type: i % 97 === 0 ? 'task-cancelled' : 'task-done', t, wall: t, id });
    }
    events.sort((a, b) => a.t - b.t);
    for (let i = 0; i < events.length; i += 10_000) app.receive({ type: 'events', events: events.slice(i, i + 10_000) });
    const view = app.timeline;
    view.setFollow(false);
    view.fit(base, base + span);
    view.frame(true);
    view.resetFrameStats();
    for (let i = 0; i < 120; i++) {
      view.axis.pan(i % 2 ? 3 : -3);
      view.frame(true);
    }
    const stats = view.frameStats();
    // the same panning on the display's clock: the view redraws in its animation frame
    const intervals: number[] = [];
    const raf = (globalThis as any).requestAnimationFrame as (cb: (t: number) => void) => number;
    for (let i = 0; i < 5; i++) await new Promise<number>((r) => raf(r));
    let last = await new Promise<number>((r) => raf(r));
    for (let i = 0; i < 60; i++) {
      view.axis.pan(i % 2 ? 3 : -3);
      view.invalidate();
      const now = await new Promise<number>((r) => raf(r));
      intervals.push(now - last);
      last = now;
    }
    intervals.sort((a, b) => a - b);
    return {
      ...stats,
      rafMeanMs: intervals.reduce((a, b) => a + b, 0) / intervals.length,
      rafMedianMs: intervals[Math.floor(intervals.length / 2)],
      rafP95Ms: intervals[Math.floor(intervals.length * 0.95)],
    };
  }, { count: tasks, waits: options.waits === true, lines: options.lines === true, step, length, span });
}
