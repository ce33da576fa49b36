/**
 * Export Audio runs in a worker thread: the live session on the real clock
 * goes on while a long script is rendered, where the same render on the
 * engine's thread holds everything back until it is done (how late, in ms, is
 * `npm run bench -- app/export`). The WAV it makes
 * is checked by analysing it; a script that does not parse and a worker that
 * dies are error replies, one that plays past the limit is exported up to it
 * with a notice, and the host goes on.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { AppSession, type AppSessionOptions, type OutgoingFile, type View } from '../../../src/node/app-session/app-session';
import { createRealEngine, renderScriptToWav } from '../../../src/node/app-session/real-engine';
import { EXPORT_LIMIT_SECONDS, renderInWorker, renderScriptInThread, startExportWorker, type RenderedWav } from '../../../src/node/export';
import { LIMITS, type HostMessage, type HostReply, type SessionEvent } from '../../../src/protocol';
import { detectNotes, parseWav } from '../../support/audio';

/** Five minutes of looped notes: each second a C major chord for 0.5 s, C6 for 0.25 s, then silence. */
const LONG_SCRIPT = { name: 'long.txt', text: 'repeat 300 chord 0.5 60 64 67; beep 72 0.25; wait 0.25\n' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How an export is delivered: Electron's Save dialog (here into `saved`), or AppSession's default inline base64 download (web mode sends a link instead: export-download.test.ts). */
type Delivery = 'saved' | 'download';

/** An app on the real clock. */
function liveApp(renderWav: AppSessionOptions['renderWav'], delivery: Delivery) {
  const saved: OutgoingFile[] = [];
  const app = new AppSession({
    createEngine: createRealEngine,
    renderWav,
    deliverFile:
      delivery === 'download'
        ? undefined
        : (file) => {
            saved.push(file);
            return Promise.resolve({ kind: 'saved', path: `/exports/${file.fileName}` });
          },
    batching: { intervalMs: 5 },
  });
  const events: SessionEvent[] = [];
  const view: View = { send: (m: HostMessage) => m.type === 'events' && events.push(...m.events) };
  app.attach(view);
  return { app, events, saved, view };
}

/**
 * Export LONG_SCRIPT and, while it is made, play a line live. Whether the
 * line's note reached the page before the export's reply is what tells an
 * export off the engine's thread from one on it (the time it took is measured
 * by `npm run bench -- app/export`, not here).
 */
async function lineDuringExport(renderWav: AppSessionOptions['renderWav'], delivery: Delivery = 'saved') {
  const { app, events, saved, view } = liveApp(renderWav, delivery);
  try {
    let replied = false;
    const exporting = app.handle({ id: 2, type: 'export-audio', ...LONG_SCRIPT }, view).then((reply) => {
      replied = true;
      return reply;
    });
    await app.handle({ id: 3, type: 'submit-line', line: 'beep 61 0.05' }, view);
    const played = () => events.some((e) => e.type === 'notes' && e.notes.includes(61));
    for (let polls = 0; !played() && polls < 6000; polls++) await sleep(5);
    const repliedBeforeTheNote = replied;
    return { reply: await exporting, saved, played: played(), repliedBeforeTheNote };
  } finally {
    app.dispose();
  }
}

/** A session on the virtual clock, driven by nobody: the app's engine where only exports matter. */
function plainEngine() {
  const session = new Session();
  const s = session.scheduler;
  return { session, clock: { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos } };
}

function plainApp(renderWav: AppSessionOptions['renderWav'] = renderScriptToWav) {
  return new AppSession({ createEngine: plainEngine, renderWav });
}

function wavOf(reply: HostReply) {
  if (!reply.ok) throw new Error(`export failed: ${reply.error.message}`);
  const file = reply.value as { kind: string; data: string; encoding: string };
  expect(file).toMatchObject({ kind: 'download', encoding: 'base64' });
  return parseWav(new Uint8Array(Buffer.from(file.data, 'base64')));
}

/** The host still works: a line runs and a short export succeeds. */
async function expectHostGoesOn(app: AppSession): Promise<void> {
  expect(await app.handle({ id: 90, type: 'submit-line', line: 'beep 60 0.1' }, null)).toMatchObject({ ok: true });
  expect(await app.handle({ id: 91, type: 'export-audio', name: 'ok.txt', text: 'beep 57 0.2\n' }, null)).toMatchObject({ ok: true });
}

describe('Export Audio while the session plays', () => {
  it.each<Delivery>(['saved', 'download'])('renders a 5-minute script off the engine’s thread: a line typed meanwhile plays before the file is ready (%s)', async (delivery) => {
    const { reply, saved, played, repliedBeforeTheNote } = await lineDuringExport(renderScriptToWav, delivery);
    expect(played).toBe(true);
    expect(repliedBeforeTheNote).toBe(false);
    if (delivery === 'saved') expect(reply).toMatchObject({ ok: true, value: { kind: 'saved', path: '/exports/long.wav' } });
    // And the file is the whole five minutes, with the notes where the script put them.
    const wav = delivery === 'saved' ? parseWav(saved[0].bytes) : wavOf(reply);
    expect(wav.frames / wav.rate).toBeCloseTo(300, 1);
    const window = Math.round(0.1 * wav.rate);
    for (const second of [0, 150, 299]) {
      const at = (t: number) => Math.round((second + t) * wav.rate) - window / 2;
      expect(detectNotes(wav.first, wav.rate, at(0.25), window).notes).toEqual([60, 64, 67]);
      expect(detectNotes(wav.first, wav.rate, at(0.625), window).notes).toEqual([72]);
    }
  });

  it('shows why: the same export on the engine’s thread holds the line back until the file is ready', async () => {
    const { reply, played, repliedBeforeTheNote } = await lineDuringExport((script, rate) => Promise.resolve(renderScriptInThread(script, rate)));
    expect(reply).toMatchObject({ ok: true });
    expect(played).toBe(true);
    expect(repliedBeforeTheNote).toBe(true);
  });
});

describe('the exported WAV', () => {
  it('holds each note for as long as the script plays it, at the asked rate', async () => {
    const app = plainApp();
    try {
      const text = 'beep 57 0.5\nchord 0.5 60 64 67\nwait 0.25\nbeep 69 0.25\n';
      const wav = wavOf(await app.handle({ id: 1, type: 'export-audio', name: 'steps.txt', text, sampleRate: 44100 }, null));
      expect(wav.rate).toBe(44100);
      expect(wav.channels).toBe(2); // stereo, as --wav is
      expect(wav.frames / wav.rate).toBeGreaterThanOrEqual(1.5);
      expect(wav.frames / wav.rate).toBeLessThan(1.6);
      const window = Math.round(0.1 * wav.rate);
      const notesAt = (t: number) => detectNotes(wav.first, wav.rate, Math.round(t * wav.rate) - window / 2, window).notes;
      expect(notesAt(0.25)).toEqual([57]);
      expect(notesAt(0.75)).toEqual([60, 64, 67]);
      expect(notesAt(1.125)).toEqual([]);
      expect(notesAt(1.375)).toEqual([69]);
    } finally {
      app.dispose();
    }
  });
});

describe('the exported WAV, offered as a download', () => {
  it('arrives whole when it is large enough to be base64-encoded in slices', async () => {
    const app = plainApp();
    try {
      // 20 s at 48000 Hz: 1.9 MB, several slices; a different note each second.
      const text = Array.from({ length: 20 }, (_, k) => `beep ${50 + k} 1`).join('\n');
      const wav = wavOf(await app.handle({ id: 1, type: 'export-audio', name: 'scale.txt', text, sampleRate: 48000 }, null));
      expect(wav.frames / wav.rate).toBeCloseTo(20, 1);
      const window = Math.round(0.2 * wav.rate);
      for (let k = 0; k < 20; k++) {
        expect(detectNotes(wav.first, wav.rate, Math.round((k + 0.5) * wav.rate) - window / 2, window).notes).toEqual([50 + k]);
      }
    } finally {
      app.dispose();
    }
  });
});

describe('export errors', () => {
  it('answers a script that does not parse with its located errors, and the host goes on', async () => {
    const app = plainApp();
    try {
      const reply = await app.handle({ id: 1, type: 'export-audio', name: 'typo.txt', text: 'beep 60\nchrod 1 60 64\n' }, null);
      expect(reply).toMatchObject({ ok: false, error: { code: 'parse-error' } });
      const diagnostics = reply.ok ? [] : (reply.error.diagnostics ?? []);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ source: 'typo.txt', line: 2, col: 1 });
      // The message alone (what the desktop menu's notice shows) names the place and what was found.
      expect(reply.ok ? '' : reply.error.message).toMatch(/^typo\.txt: not exported, 1 error to fix first \(typo\.txt:2:1: .*chrod/);
      await expectHostGoesOn(app);
    } finally {
      app.dispose();
    }
  });

  it(`exports the first ${EXPORT_LIMIT_SECONDS / 60} minutes of a script that plays longer and says so; one too long to send is an error`, async () => {
    const saved: OutgoingFile[] = [];
    const notices: string[] = [];
    const app = new AppSession({
      createEngine: plainEngine,
      renderWav: renderScriptToWav,
      deliverFile: (file) => {
        saved.push(file);
        return Promise.resolve({ kind: 'saved', path: `/exports/${file.fileName}` });
      },
    });
    app.attach({ send: (m: HostMessage) => m.type === 'notice' && notices.push(m.text) });
    try {
      const limit = EXPORT_LIMIT_SECONDS;
      const cases: [string, string, RegExp][] = [
        ['forever.txt', 'loop beep 60 0.5; wait 0.5\n', /^forever\.txt: exported its first 10 minutes only, .*it plays on \(a loop that is never stopped/],
        ['longer.txt', `repeat ${limit + 60} beep 60 0.5; wait 0.5\n`, new RegExp(`^longer\\.txt: exported its first 10 minutes only, .*it plays for ${limit + 60} s; .*--until ${limit + 60}`)],
      ];
      for (const [name, text, says] of cases) {
        const reply = await app.handle({ id: 1, type: 'export-audio', name, text, sampleRate: 8000 }, null);
        expect(reply.ok ? reply.value : reply.error.message).toMatchObject({ kind: 'saved' });
        // The file: the first 10 minutes, sounding to their end.
        const wav = parseWav(saved.at(-1)!.bytes);
        expect(wav.frames / wav.rate).toBeCloseTo(limit, 1);
        const window = Math.round(0.1 * wav.rate);
        expect(detectNotes(wav.first, wav.rate, Math.round((limit - 0.75) * wav.rate) - window / 2, window).notes).toEqual([60]);
        expect(notices.at(-1)).toMatch(says);
      }
      const huge = await app.handle({ id: 3, type: 'export-audio', name: 'huge.txt', text: 'beep 60\n'.repeat(LIMITS.scriptLength / 8 + 1) }, null);
      expect(huge).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
      await expectHostGoesOn(app);
    } finally {
      app.dispose();
    }
  });

  it('answers a worker that crashes, exits or is killed with an error, and the host goes on', async () => {
    const dying: ((script: { name: string; text: string }, rate: number | undefined, signal: AbortSignal) => Promise<RenderedWav>)[] = [
      (script, rate, signal) => renderInWorker(script, rate, { signal, startWorker: () => new Worker('throw new Error("boom")', { eval: true }) }),
      (script, rate, signal) => renderInWorker(script, rate, { signal, startWorker: () => new Worker('process.exit(3)', { eval: true }) }),
      (script, rate, signal) =>
        renderInWorker(script, rate, {
          signal,
          startWorker: (job) => {
            const worker = startExportWorker(job);
            worker.once('online', () => void worker.terminate());
            return worker;
          },
        }),
    ];
    const messages: string[] = [];
    for (const render of dying) {
      let useDying = true;
      const app = plainApp((script, rate, signal) => (useDying ? render(script, rate, signal) : renderScriptToWav(script, rate, signal)));
      try {
        const reply = await app.handle({ id: 1, type: 'export-audio', ...LONG_SCRIPT }, null);
        expect(reply).toMatchObject({ ok: false, error: { code: 'failed' } });
        messages.push(reply.ok ? '' : reply.error.message);
        useDying = false;
        await expectHostGoesOn(app);
      } finally {
        app.dispose();
      }
    }
    expect(messages[0]).toMatch(/boom/);
    expect(messages[1]).toMatch(/exited with code 3/);
    expect(messages[2]).toMatch(/stopped before it finished/);
  });
});

describe('export errors: a script that takes too long to render', () => {
  it('is stopped after the time allowed, with an error, and the host goes on', async () => {
    // Time enough for a short export, worker start included (the host goes on, below, within it).
    const patience = 4000;
    const app = plainApp((script, rate, signal) => renderInWorker(script, rate, { signal, timeoutMs: patience }));
    try {
      // 400 loops of 1 ms waits: 400,000 resumptions a second (under the engine's budget of work, so no
      // error ends it), 240 million before the 10-minute limit.
      const reply = await app.handle({ id: 1, type: 'export-audio', name: 'tiny-steps.txt', text: 'repeat 400 spawn loop wait 0.001\n' }, null);
      expect(reply).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/tiny-steps\.txt: not exported, it was still rendering/) } });
      await expectHostGoesOn(app);
    } finally {
      app.dispose();
    }
  });
});

describe('exports per session', () => {
  it('runs two exports at once and queues the rest: one that cannot finish holds up no other, and cancelling it answers `cancelled`', async () => {
    const workers: Worker[] = [];
    const app = plainApp((script, rate, signal) =>
      renderInWorker(script, rate, {
        signal,
        startWorker: (job) => {
          const worker = startExportWorker(job);
          workers.push(worker);
          return worker;
        },
      }),
    );
    // 400 loops of 1 ms waits: hours of rendering before the 10-minute limit.
    const endless = { name: 'endless.txt', text: 'repeat 400 spawn loop wait 0.001\n' };
    const short = { name: 'short.txt', text: 'beep 60 0.1\n' };
    try {
      const hung = app.handle({ id: 1, type: 'export-audio', ...endless, exportId: 'hung' }, null);
      // while it renders, another export goes through
      expect(await app.handle({ id: 2, type: 'export-audio', ...short }, null)).toMatchObject({ ok: true, value: { fileName: 'short.wav' } });
      // two that cannot finish fill both places; a third waits its turn
      const hung2 = app.handle({ id: 3, type: 'export-audio', ...endless, exportId: 'hung2' }, null);
      let waitedFor = false;
      const third = app.handle({ id: 4, type: 'export-audio', ...short, exportId: 'third' }, null).then((r) => ((waitedFor = true), r));
      await sleep(300);
      expect(waitedFor).toBe(false);
      expect(workers).toHaveLength(3);
      expect(await app.handle({ id: 5, type: 'cancel-export', exportId: 'hung' }, null)).toMatchObject({ ok: true, value: { cancelled: true } });
      expect(await hung).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
      expect(await third).toMatchObject({ ok: true, value: { fileName: 'short.wav' } });
      // one cancelled while it waits its turn never starts a worker
      const hung3 = app.handle({ id: 8, type: 'export-audio', ...endless, exportId: 'hung3' }, null);
      const queued = app.handle({ id: 9, type: 'export-audio', ...short, exportId: 'queued' }, null);
      await sleep(100);
      expect(workers).toHaveLength(5);
      expect(await app.handle({ id: 10, type: 'cancel-export', exportId: 'queued' }, null)).toMatchObject({ ok: true, value: { cancelled: true } });
      expect(await queued).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
      expect(workers).toHaveLength(5);
      // without a name, cancel-export stops every export
      expect(await app.handle({ id: 6, type: 'cancel-export' }, null)).toMatchObject({ ok: true, value: { cancelled: true } });
      expect(await hung2).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
      expect(await hung3).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
      expect(app.isExporting).toBe(false);
      expect(await app.handle({ id: 7, type: 'cancel-export', exportId: 'hung' }, null)).toMatchObject({ ok: true, value: { cancelled: false } });
      // the cancelled exports' workers have ended
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => (w.threadId === -1 ? resolve() : w.once('exit', () => resolve())))));
    } finally {
      app.dispose();
    }
  });

  it('stops the export’s worker when the session closes, and answers the request', async () => {
    const started: Worker[] = [];
    const app = plainApp((script, rate, signal) =>
      renderInWorker(script, rate, {
        signal,
        startWorker: (job) => {
          const worker = startExportWorker(job);
          started.push(worker);
          return worker;
        },
      }),
    );
    let answered = false;
    const worker = (() => {
      const pending = app.handle({ id: 1, type: 'export-audio', ...LONG_SCRIPT }, null);
      void pending.then(() => (answered = true));
      return { pending };
    })();
    expect(started).toHaveLength(1);
    let posted = false;
    started[0].on('message', () => (posted = true));
    const exited = new Promise<number>((resolve) => started[0].once('exit', resolve));
    app.dispose();
    expect(await worker.pending).toMatchObject({ ok: false, error: { code: 'session-ended' } });
    expect(answered).toBe(true);
    await exited;
    expect(posted).toBe(false);
  });
});
