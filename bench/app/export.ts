/**
 * Section "app/export": how late the live session runs while a 5-minute
 * script is exported, measured as the engine's own loop-lag events (a task
 * resumed more than 20 ms late). This is the timing the tests of
 * test/node/web/export-*.test.ts used to assert; the tests now check the order of
 * things (a line typed meanwhile plays before the file is ready), and the
 * milliseconds are measured here.
 */
import { AppSession, type AppSessionOptions, type View } from '../../src/node/app-session/app-session';
import { createRealEngine, renderScriptToWav } from '../../src/node/app-session/real-engine';
import { renderScriptInThread } from '../../src/node/export';
import type { HostMessage, SessionEvent } from '../../src/protocol';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

const LONG_SCRIPT = { name: 'long.txt', text: 'repeat 300 chord 0.5 60 64 67; beep 72 0.25; wait 0.25\n' };
/** A resumption every 20 ms: any stall of the engine's thread past 20 ms is loop lag. */
const MELODY = 'loop beep 72 0.02; beep 76 0.02 &';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Way {
  name: string;
  renderWav: AppSessionOptions['renderWav'];
  /** Save through a callback (Electron's dialog), or the default inline base64 reply. */
  saved: boolean;
  /** Render beside a second export that cannot finish (two at once, EXPORTS_AT_ONCE), cancelled afterwards. */
  beside?: boolean;
}

/** Hours of rendering before its 10-minute limit: 400 loops of 1 ms waits. */
const ENDLESS_SCRIPT = { name: 'endless.txt', text: 'repeat 400 spawn loop wait 0.001\n' };

const WAYS: Way[] = [
  { name: 'worker thread, saved (Electron)', renderWav: renderScriptToWav, saved: true },
  { name: 'worker thread, inline base64 reply', renderWav: renderScriptToWav, saved: false },
  { name: 'worker thread, saved, beside an export that cannot finish (two at once)', renderWav: renderScriptToWav, saved: true, beside: true },
  { name: 'on the engine’s thread (before: for comparison)', renderWav: (s, r) => Promise.resolve(renderScriptInThread(s, r)), saved: true },
];

async function exportWhileLive(way: Way): Promise<{ lags: number; worstMs: number; exportMs: number }> {
  const app = new AppSession({
    createEngine: createRealEngine,
    renderWav: way.renderWav,
    deliverFile: way.saved ? () => Promise.resolve({ kind: 'saved', path: '/dev/null' }) : undefined,
    batching: { intervalMs: 5 },
  });
  const events: SessionEvent[] = [];
  const view: View = { send: (m: HostMessage) => m.type === 'events' && events.push(...m.events) };
  app.attach(view);
  try {
    await app.handle({ id: 1, type: 'submit-line', line: MELODY }, view);
    const endless = way.beside ? app.handle({ id: 3, type: 'export-audio', ...ENDLESS_SCRIPT, exportId: 'endless' }, view) : null;
    await sleep(300);
    const from = events.length;
    const started = performance.now();
    const reply = await app.handle({ id: 2, type: 'export-audio', ...LONG_SCRIPT }, view);
    const exportMs = performance.now() - started;
    if (!reply.ok) throw new Error(reply.error.message);
    await sleep(60);
    if (endless !== null) {
      await app.handle({ id: 4, type: 'cancel-export', exportId: 'endless' }, view);
      await endless;
    }
    const lags = events.slice(from).filter((e): e is Extract<SessionEvent, { type: 'loop-lag' }> => e.type === 'loop-lag');
    return { lags: lags.length, worstMs: Math.max(0, ...lags.map((l) => l.late * 1000)), exportMs };
  } finally {
    app.dispose();
  }
}

const exportBench: BenchModule = {
  title: 'Export Audio: how late the live session runs meanwhile',
  async run(ctx) {
    const runs = ctx.quick ? 1 : 5;
    const rows: (string | number)[][] = [];
    const headline: BenchRow[] = [];
    for (const way of WAYS) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        ctx.log(`app/export: ${way.name}, run ${i + 1} of ${runs}`);
        results.push(await exportWhileLive(way));
      }
      const clean = results.filter((r) => r.lags === 0).length;
      const worst = Math.max(...results.map((r) => r.worstMs));
      rows.push([way.name, `${clean} of ${runs}`, fixed(median(results.map((r) => r.lags)), 0), `${fixed(worst, 0)} ms`, `${fixed(median(results.map((r) => r.exportMs)), 0)} ms`]);
      headline.push({ name: `export: worst loop lag, ${way.name}`, value: Math.round(worst), unit: 'ms', ...(way.renderWav === renderScriptToWav ? { target: '0 (no lag event)', met: worst === 0 } : {}) });
    }
    const markdown = [
      `A live melody with a resumption every 20 ms plays on the real clock while a 5-minute script (\`${LONG_SCRIPT.text.trim()}\`) is exported through AppSession, ${runs} runs per way. A loop-lag event is a resumption more than 20 ms late. Workload: \`npm run bench -- app/export\`.`,
      '',
      table(['how the WAV is made and delivered', 'runs without lag', 'lag events (median)', 'worst lag', 'export (median)'], rows),
      '',
      'Web mode sends exported audio as a link (`GET /download/ID`), not inline: the inline row is the reply that the Electron-less default makes, kept to show its cost.',
    ].join('\n');
    return { markdown, rows: headline };
  },
};

export default exportBench;
