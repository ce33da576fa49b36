/**
 * The demo's resources/commands.txt played in the real page (Chromium against
 * web mode, test/e2e's harness) at the page's default lookahead, RUNS times.
 * For each play: every change the renderer scheduled on the live audio clock is
 * rendered through its own player into an OfflineAudioContext (as the demo
 * e2e test does) and the onsets found in that sound (test/support/audio) are
 * compared with SPEC's logical times. If PulseAudio is there, Chromium plays
 * into a private null sink and the sink's monitor is recorded with parec: the
 * onsets of what really came out are compared too, relative to the first one.
 * Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/onsets.ts [--runs N] [--no-pulse] [--output-latency low|normal]
 *
 * --output-latency chooses the page's audio buffer as the status bar does (the
 * app's setting; default the app's own): a smaller one may drop out under load.
 *
 * With BENCH_DUMP_DIR set, each recording is also written there (output-N.f32:
 * 48 kHz float32 mono) for a closer look.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectOnsets } from '../../../test/support/audio';
import { ROOT } from '../../../test/support/e2e/build-renderer';
import { openScript, renderPlayedInPage, startApp, until, waitForApp, type AppUnderTest } from '../../../test/support/e2e/harness';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const outputAt = args.indexOf('--output-latency');
const OUTPUT_LATENCY = outputAt >= 0 ? args[outputAt + 1] : null;
const RATE = 48_000;
const LEAD = 0.25;

/** SPEC: the logical times (s from the script's start) at which what sounds changes. */
const SCHEDULE = [0, 2.0, 2.5, 3.0, 3.4, 3.75, 4.35, 4.85, 5.25, 5.6, 6.2, 6.7, 7.1, 7.45, 8.05, 10.05];

const log = (line: string) => process.stderr.write(`onsets: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- a private PulseAudio server with a null sink --------------------------

interface Pulse {
  server: string;
  process: ChildProcess;
  dir: string;
}

async function startPulse(): Promise<Pulse | null> {
  if (args.includes('--no-pulse')) return null;
  if (spawnSync('pulseaudio', ['--version']).status !== 0 || spawnSync('parec', ['--version']).status !== 0) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corotone-bench-pulse-'));
  const socket = path.join(dir, 'native');
  const child = spawn(
    'pulseaudio',
    [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--use-pid-file=no',
      '--disable-shm=no',
      '-L', `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      '-L', 'module-null-sink sink_name=bench rate=48000 channels=1 format=float32le',
      '-L', 'module-always-sink',
    ],
    // its own HOME and runtime folder: nothing of the machine's (or another test's) sound setup is touched
    { env: { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir }, stdio: 'ignore' },
  );
  const server = `unix:${socket}`;
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    if (spawnSync('pactl', ['info'], { env: { ...process.env, PULSE_SERVER: server } }).status === 0) return { server, process: child, dir };
  }
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  return null;
}

function stopPulse(pulse: Pulse | null): void {
  if (!pulse) return;
  pulse.process.kill('SIGTERM');
  rmSync(pulse.dir, { recursive: true, force: true });
}

/** Record the null sink's monitor: 48 kHz float mono, until stopped. */
function record(pulse: Pulse): { stop(): Promise<Float32Array> } {
  const chunks: Buffer[] = [];
  const child = spawn('parec', ['-d', 'bench.monitor', '--raw', `--rate=${RATE}`, '--channels=1', '--format=float32le', '--latency-msec=20'], {
    env: { ...process.env, PULSE_SERVER: pulse.server },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      const all = Buffer.concat(chunks);
      const aligned = all.subarray(0, all.length - (all.length % 4));
      return new Float32Array(aligned.buffer.slice(aligned.byteOffset, aligned.byteOffset + aligned.length));
    },
  };
}

// ---- analysis ---------------------------------------------------------------

interface ChangeError {
  t: number;
  lateMs: number;
  /** From the recorded audio-clock times: (at − at₀) − (t − t₀). */
  plannedMs: number;
  /** Measured in the offline render of what was scheduled. */
  renderMs: number;
  /** Measured in the recording of the real output, relative to its first onset. */
  outputMs: number | null;
}

function nearest(onsets: number[], expected: number): number {
  return onsets.reduce((best, o) => (Math.abs(o - expected) < Math.abs(best - expected) ? o : best), Infinity);
}

/** Onsets of the recording that no change of SCHEDULE explains (clicks, dropouts). */
function unexplained(onsets: number[], first: number): number {
  return onsets.filter((o) => !SCHEDULE.some((t) => Math.abs(o - (first + t * RATE)) < 0.005 * RATE)).length;
}

/**
 * Stretches of digital silence (|x| < 1e-5 for at least 0.5 ms) between the
 * first note and the end: SPEC holds note 60 throughout, so each is a dropout
 * of the output (an underrun somewhere between Chromium and the sink).
 */
function gaps(recorded: Float32Array, first: number): { count: number; totalMs: number; atSeconds: number[] } {
  const end = Math.min(recorded.length, Math.round(first + (SCHEDULE[SCHEDULE.length - 1] - 0.005) * RATE));
  const minRun = Math.round(0.0005 * RATE);
  let count = 0;
  let total = 0;
  const at: number[] = [];
  let run = 0;
  for (let k = Math.round(first + 0.005 * RATE); k < end; k++) {
    if (Math.abs(recorded[k]) < 1e-5) run++;
    else {
      if (run >= minRun) {
        count++;
        total += run;
        at.push(+((k - run - first) / RATE).toFixed(3));
      }
      run = 0;
    }
  }
  if (run >= minRun) {
    count++;
    total += run;
    at.push(+((end - run - first) / RATE).toFixed(3));
  }
  return { count, totalMs: (total / RATE) * 1000, atSeconds: at };
}

// ---- the plays ----------------------------------------------------------------

const pulse = await startPulse();
if (pulse) process.env.PULSE_SERVER = pulse.server;
log(pulse ? `PulseAudio null sink at ${pulse.server}` : 'no PulseAudio: the real output is not recorded');
const script = readFileSync(path.resolve(ROOT, 'resources/commands.txt'), 'utf8');

let app: AppUnderTest | null = null;
const runs: Record<string, unknown>[] = [];
try {
  app = await startApp('bench-onsets');
  const { page } = app;
  if (OUTPUT_LATENCY !== null) {
    // the status bar's setting, kept in the page's storage: the reload opens the device with it
    await page.evaluate((choice) => (globalThis as any).localStorage.setItem('corotone.settings', JSON.stringify({ outputLatency: choice })), OUTPUT_LATENCY);
    await page.reload();
    await waitForApp(page);
  }
  // the first gesture starts audio, as a user's would
  await page.locator('.xterm').click();
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running', 10_000);
  const audioStats = await page.evaluate(() => (globalThis as any).__corotone.audio.stats());
  for (let r = 0; r < RUNS; r++) {
    const late0: number = await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      app.audio.forgetRecording();
      return app.audio.lateCount as number;
    });
    const recorder = pulse ? record(pulse) : null;
    await sleep(300);
    await openScript(page, 'commands.txt', script);
    // In the app `quit` ends its script's source, not the session (the stream goes on): the play is over with SPEC's last change, remove 60 at 10.05 s.
    await page.waitForFunction(
      (count) => new Set((globalThis as any).__corotone.audio.playedChanges.filter((c: any) => Number.isFinite(c.t)).map((c: any) => c.t)).size >= count,
      SCHEDULE.length,
      { timeout: 30_000, polling: 50 },
    );
    // the end change is scheduled a lookahead ahead: let it (and the output's latency) pass
    await sleep(1500);
    const recorded = recorder ? await recorder.stop() : null;
    const rendered = await renderPlayedInPage(page, RATE, LEAD);
    const samples = rendered.samples;
    // changes of the script only (a resync after the session's end repeats the last time; NaN-timed ones are not the stream's)
    const played = rendered.played
      .filter((c) => Number.isFinite(c.t))
      .filter((c, i, all) => i === 0 || c.t !== all[i - 1].t);
    const relative = played.map((c) => +(c.t - played[0].t).toFixed(9));
    const matches = relative.length === SCHEDULE.length && relative.every((t, i) => t === SCHEDULE[i]);
    if (!matches) {
      runs.push({ ok: false, why: `played changes at ${JSON.stringify(relative)}` });
      log(`run ${r + 1}: the played changes do not match SPEC's schedule`);
      continue;
    }
    if (process.env.BENCH_DUMP_DIR && recorded) writeFileSync(path.join(process.env.BENCH_DUMP_DIR, `output-${r + 1}.f32`), Buffer.from(recorded.buffer));
    const renderOnsets = detectOnsets(samples, RATE);
    let outputOnsets: number[] = [];
    let outputPeak = 0;
    let outputFirst = NaN;
    if (recorded) {
      for (let i = 0; i < recorded.length; i++) outputPeak = Math.max(outputPeak, Math.abs(recorded[i]));
      if (outputPeak > 0.05) {
        outputOnsets = detectOnsets(recorded, RATE);
        outputFirst = outputOnsets[0] ?? NaN;
      }
    }
    const errors: ChangeError[] = SCHEDULE.map((t, i) => {
      const expected = (LEAD + t) * RATE;
      const out = Number.isFinite(outputFirst) ? ((nearest(outputOnsets, outputFirst + t * RATE) - (outputFirst + t * RATE)) / RATE) * 1000 : null;
      return {
        t,
        lateMs: played[i].lateBy * 1000,
        plannedMs: (played[i].at - played[0].at - (played[i].t - played[0].t)) * 1000,
        renderMs: ((nearest(renderOnsets, expected) - expected) / RATE) * 1000,
        outputMs: out,
      };
    });
    runs.push({
      ok: true,
      lookahead: rendered.lookahead,
      lateEvents: rendered.late - late0,
      lateChanges: played.filter((c) => c.lateBy > 0).length,
      errors,
      renderOnsets: renderOnsets.length,
      output: recorded
        ? {
            seconds: recorded.length / RATE,
            peak: outputPeak,
            onsets: outputOnsets.length,
            unexplained: Number.isFinite(outputFirst) ? unexplained(outputOnsets, outputFirst) : null,
            /** The recording reaches past the last change (it was not cut short). */
            complete: Number.isFinite(outputFirst) && recorded.length > outputFirst + (SCHEDULE[SCHEDULE.length - 1] + 0.1) * RATE,
            gaps: Number.isFinite(outputFirst) ? gaps(recorded, outputFirst) : null,
          }
        : null,
    });
    const worst = Math.max(...errors.map((e) => Math.abs(e.renderMs)));
    const worstOut = recorded && Number.isFinite(outputFirst) ? Math.max(...errors.map((e) => Math.abs(e.outputMs ?? 0))) : NaN;
    log(`run ${r + 1}: worst render onset error ${worst.toFixed(3)} ms, late ${rendered.late - late0}, output worst ${worstOut.toFixed(3)} ms (peak ${outputPeak.toFixed(3)})`);
    await sleep(500);
  }
  const browser = app.browser.version();
  await app.stop();
  app = null;
  stopPulse(pulse);
  process.stdout.write(`${JSON.stringify({ browser, pulse: pulse !== null, outputLatency: OUTPUT_LATENCY, audioStats, rate: RATE, runs })}\n`);
} catch (error) {
  await app?.stop();
  stopPulse(pulse);
  throw error;
}
process.exit(0);
