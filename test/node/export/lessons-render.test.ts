/**
 * Every lesson the app ships (resources/examples/*.txt) and the demo's
 * commands.txt, rendered the ways a user renders them: by the `corotone`
 * command as a process (--wav and --events) and by the app's Export (the
 * export-audio request the page sends, rendered in the export worker). Each
 * render runs under a deadline (the process is killed, the worker stopped),
 * so a script that never finishes rendering fails here instead of hanging
 * the suite; that is how blocking-vs-executor.txt once spun forever.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { AppSession, type OutgoingFile } from '../../../src/node/app-session/app-session';
import { renderInWorker } from '../../../src/node/export';
import { parseWav } from '../../support/audio';
import { lessonPaths } from '../../support/examples/support';
import { BIN, ROOT } from '../../support/run-cli';

/** Wall-clock ms a render may take before it counts as hung: each lesson renders in about a second, far less under no load. */
const DEADLINE_MS = 40_000;

const LESSONS = lessonPaths();

interface CliRun {
  code: number | null;
  killed: boolean;
  events: { type: string; t: number; notes?: number[] }[];
  wav: ReturnType<typeof parseWav> | null;
}

/**
 * `corotone LESSON --wav FILE --events` in the lesson's folder (so the script
 * has the name the Export gives it, which seeds its `choose`), killed if it
 * has not exited by the deadline.
 */
function renderWithCli(lesson: string, dir: string): Promise<CliRun> {
  const wavPath = join(dir, `${lesson.replace(/\W/g, '_')}.wav`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, basename(lesson), '--wav', wavPath, '--events'], { cwd: join(ROOT, dirname(lesson)), stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      const text = Buffer.concat(out).toString('utf8').trim();
      const events = killed || text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as CliRun['events'][number]);
      let wav: CliRun['wav'] = null;
      if (!killed && code === 0) wav = parseWav(new Uint8Array(readFileSync(wavPath)));
      resolve({ code, killed, events, wav });
    });
  });
}

/** An app whose Export renders in the export worker, stopped at the deadline; the files it saves are kept. */
function exportingApp() {
  const saved: OutgoingFile[] = [];
  const app = new AppSession({
    // the lessons' folder, as the app has it: their samples are read from the app's resources/
    examplesDir: join(ROOT, 'resources', 'examples'),
    createEngine: () => {
      const session = new Session();
      const s = session.scheduler;
      return { session, clock: { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos } };
    },
    renderWav: (script, rate, signal) => renderInWorker(script, rate, { signal, timeoutMs: DEADLINE_MS }),
    deliverFile: (file) => {
      saved.push(file);
      return Promise.resolve({ kind: 'saved', path: `/exports/${file.fileName}` });
    },
  });
  return { app, saved };
}

/** Mean square of the samples (full scale 1) in [from, to) seconds. */
function power(wav: NonNullable<CliRun['wav']>, from: number, to: number): number {
  const a = Math.round(from * wav.rate);
  const b = Math.round(to * wav.rate);
  let sum = 0;
  for (let k = a; k < b; k++) sum += wav.first[k] * wav.first[k];
  return sum / Math.max(1, b - a);
}

describe('every lesson renders to its end', () => {
  let dir: string;
  const cli = new Map<string, CliRun>();
  let exporting: ReturnType<typeof exportingApp>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'corotone-lessons-'));
    exporting = exportingApp();
  });
  afterAll(() => exporting.app.dispose());

  it.each(LESSONS)('%s, by the corotone command: a WAV as long as the script, sounding where --events says notes sound', async (lesson) => {
    const run = await renderWithCli(lesson, dir);
    expect(run.killed, `still rendering after ${DEADLINE_MS} ms`).toBe(false);
    expect(run.code).toBe(0);
    cli.set(lesson, run);
    const end = run.events.find((e) => e.type === 'stream-end');
    expect(end).toBeDefined();
    const seconds = run.wav!.first.length / run.wav!.rate;
    // The last note's fade-out (a few ms) may follow the end.
    expect(seconds).toBeGreaterThanOrEqual(end!.t);
    expect(seconds).toBeLessThan(end!.t + 0.05);
    const notes = run.events.filter((e) => e.type === 'notes');
    expect(notes.length).toBeGreaterThan(0);
    notes.forEach((e, i) => {
      const next = i + 1 < notes.length ? notes[i + 1].t : end!.t;
      // Each stretch of notes longer than 0.1 s is heard (its middle 50 ms is not silence).
      if (e.notes!.length > 0 && next - e.t > 0.1) {
        const mid = (e.t + next) / 2;
        expect({ at: e.t, power: power(run.wav!, mid - 0.025, mid + 0.025) > 1e-4 }).toEqual({ at: e.t, power: true });
      }
    });
  });

  it.each(LESSONS)('%s, by the app’s Export: the same WAV as the corotone command’s', async (lesson) => {
    const text = readFileSync(join(ROOT, lesson), 'utf8');
    const name = basename(lesson);
    const before = exporting.saved.length;
    const reply = await exporting.app.handle({ id: 1, type: 'export-audio', name, text }, null);
    expect(reply.ok ? reply.value : reply.error.message).toMatchObject({ kind: 'saved' });
    const wav = parseWav(exporting.saved[before].bytes);
    const fromCli = cli.get(lesson);
    if (fromCli?.wav) {
      expect(wav.rate).toBe(fromCli.wav.rate);
      expect(wav.first.length).toBe(fromCli.wav.first.length);
      let differ = 0;
      for (let k = 0; k < wav.first.length; k++) if (wav.first[k] !== fromCli.wav.first[k]) differ++;
      expect(differ).toBe(0);
    } else {
      expect(wav.first.length).toBeGreaterThan(0);
    }
  });
});
