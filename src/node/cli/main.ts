import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { builtinCommands } from '../../core/commands';
import { SourceTables } from '../../core/language/source-tables';
import { escapeControl } from '../../core/text';
import { RealTimeDriver } from '../../core/scheduler/realtime';
import { WorkerExecutor } from '../executor/worker-executor';
import type { SessionEvent } from '../../core/session/api';
import { Session } from '../../core/session/session';
import { MAX_TAIL_SECONDS } from '../../core/synth/synth';
import { toChromeTrace } from '../../core/trace/chrome-trace';
import { secondsToNs } from '../../core/time';
import { DRUM_SECONDS, MIN_DRUM_RATE } from '../../core/stream/voice';
import { describeSeconds, probeLength, RENDER_LIMIT_SECONDS, RenderStalled, renderSteps, untilForTheRest } from '../export/render-limit';
import { FileReadError } from '../files/read-script';
import { FileWriteError } from '../files/atomic-write';
import { writeOutputFile } from '../files/output-file';
import { packageRoot } from '../files/package-root';
import { WavFileWriter } from '../files/wav-file';
import { USAGE, UsageError, parseCliArgs, type CliOptions } from './args';
import { forEachError, loadScript, readScripts, STDIN_NAME, streamStdin, untilFirstError } from './inputs';
import { preloadScriptSamples, withSamplesFirst } from '../samples/preload';
import { SampleFiles } from '../samples/sample-files';
import { samplesOf } from '../../core/commands/sample-load';
import { DiagnosticPrinter, notShown } from './diagnostic-printer';
import { GuardedOut } from './guarded-out';
import { LivePcmWriter } from './live-pcm';
import { StreamingRender } from './streaming-render';
import { writePython } from './to-python';
import { runStepper } from './step';
import { runInterleavings } from './interleavings';
import { NoteLog } from './note-log';
import { removeTempFilesOnSignal } from './signals';
import { describeLeftOut, describeTooSlow, MidiRecording } from '../export/midi-export';
import { OscHostError, OscOut } from '../osc/osc-out';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** The exit codes (the README lists them). */
export const EXIT = {
  ok: 0,
  /** Errors in the script (with --strict or --check), or an offline render stopped at its limit. */
  script: 1,
  usage: 2,
  /** A file could not be read or written (the message names it and the cause); an old output file is intact. */
  file: 3,
} as const;

const processIO = (): CliIO => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** The `corotone` command. Returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  if (argv[0] === 'web') return runWeb(argv.slice(1), io);
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`corotone: ${error.message} (see corotone --help)\n`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.version) {
    io.stdout.write(`corotone ${await version()}\n`);
    return 0;
  }
  const names = options.scripts.length > 0 ? options.scripts : ['-'];
  const live = isLive(options, names, io);
  if (!live && options.speed !== 1) {
    io.stderr.write('corotone: --speed is for live play (an offline render is as fast as the machine allows) (see corotone --help)\n');
    return 2;
  }
  if (live && options.until !== null) {
    io.stderr.write('corotone: --until is for offline renders (--wav, --raw --offline, --trace, --events) (see corotone --help)\n');
    return 2;
  }

  // Standard input is read to its end only for offline runs; live runs stream it.
  let files;
  try {
    files = await readScripts(live ? names.filter((n) => n !== '-') : names, io.stdin);
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    io.stderr.write(`corotone: ${error.message}\n`);
    return EXIT.file;
  }
  // A closed standard error (`2>&1 | head`) must not crash the run either.
  io.stderr.on('error', () => {});

  // --strict stops a source at its first error: the rest of a file is neither parsed nor reported
  // (--to-python writes the whole script, as it exports rather than runs it).
  if (options.strict && options.toPython === null) {
    const tables = new SourceTables(builtinCommands);
    files = files.map((file) => untilFirstError(file, tables.of(file.name)));
  }
  if (options.check) return check(files, io, options.strict);
  const stopCleaningUp = removeTempFilesOnSignal();
  try {
    if (options.toPython !== null) return await writePython(files[0], options.toPython, io.stderr);
    if (options.step) return await runStepper(files, options.until ?? RENDER_LIMIT_SECONDS, io);
    if (options.interleavings) return runInterleavings(files, options.budget, options.until ?? RENDER_LIMIT_SECONDS, io);
    return await (live ? runLive(options, files, names.includes('-'), io) : runOffline(options, files, io));
  } finally {
    stopCleaningUp();
  }
}

/** Offline (virtual clock) unless output must follow the real clock. */
function isLive(options: CliOptions, names: string[], io: CliIO): boolean {
  if (options.check || options.toPython !== null || options.step || options.interleavings) return false;
  if (options.osc !== null) return true;
  if (options.raw) return !options.offline;
  if (options.wav !== null || options.midi !== null || options.trace !== null || options.events) {
    return names.includes('-') && io.stdin.isTTY === true;
  }
  return true;
}

function check(files: { name: string; bytes: Uint8Array }[], io: CliIO, stopAtFirst: boolean): number {
  let errors = 0;
  const printer = new DiagnosticPrinter((text) => void io.stderr.write(text));
  // As the session reads them: each script against its own phrases, an earlier one's as SOURCE/NAME.
  const tables = new SourceTables(builtinCommands);
  for (const file of files) {
    forEachError(
      file,
      (d) => {
        errors++;
        printer.print(d);
        return stopAtFirst ? 'stop' : undefined;
      },
      tables.of(file.name),
    );
    if (stopAtFirst && errors > 0) break;
  }
  const more = notShown(errors);
  io.stderr.write(errors === 0 ? `corotone: no errors in ${files.map((f) => f.name).join(', ')}\n` : `corotone: ${errors.toLocaleString('en-US')} error(s)${more === null ? '' : ` (${more})`}\n`);
  return errors === 0 ? 0 : 1;
}

interface Collected {
  all: SessionEvent[] | null;
}

/** What every run prints: diagnostics and command output, plus the optional event log. */
/** Where human-readable text goes; an interactive run swaps in writers that keep the prompt intact. */
interface TextOut {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** `uncapped` names a source whose diagnostics are all printed (one typed at a terminal). */
function attachReporters(
  session: Session,
  options: CliOptions,
  data: GuardedOut,
  collect: Collected,
  stdoutIsData: boolean,
  out: TextOut,
  uncapped?: (source: string) => boolean,
): void {
  const diagnostics = new DiagnosticPrinter((text) => out.stderr(text), uncapped);
  session.subscribe((event) => {
    collect.all?.push(event);
    if (options.events) data.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'diagnostic') diagnostics.print(event.diagnostic);
    else if (event.type === 'source-ended') diagnostics.sourceEnded(event.source);
    // A script's text can hold ESC: shown as \x1b, never obeyed by the terminal.
    else if (event.type === 'output' && !options.events) (stdoutIsData ? out.stderr : out.stdout)(`${escapeControl(event.text)}\n`);
  });
}

function plainOut(io: CliIO, data: GuardedOut): TextOut {
  return { stdout: (t) => data.write(t), stderr: (t) => void io.stderr.write(t) };
}

/** The longest a drum hit rings past the end of a render (the longest hit at the slowest rate), seconds. */
const LONGEST_HIT_S = Math.max(...Object.values(DRUM_SECONDS)) / MIN_DRUM_RATE;

/** Most bytes of 16-bit samples a render of `seconds` can make (its tails included: at most MAX_TAIL_SECONDS, or a drum hit's). */
function maxWavBytes(seconds: number, rate: number, channels: number): number {
  return Math.ceil((seconds + Math.max(MAX_TAIL_SECONDS, LONGEST_HIT_S) + 0.01) * rate) * 2 * channels;
}

async function runOffline(options: CliOptions, files: { name: string; bytes: Uint8Array }[], io: CliIO): Promise<number> {
  const data = new GuardedOut(io.stdout);
  const session = new Session({ strict: options.strict, lagThreshold: options.lagThresholdMs / 1000 });
  // --exact promises the demo's output for the demo's commands: its one set of notes, not voices.
  if (options.exact) session.stream.useDemoSet();
  const collected: Collected = { all: options.trace !== null ? [] : null };
  attachReporters(session, options, data, collected, options.raw || options.events, plainOut(io, data));
  // Without a file to write, a closed standard output (`| head`) leaves nothing to do.
  const onlyStdout = options.wav === null && options.midi === null && options.trace === null;
  const midi = options.midi === null ? null : new MidiRecording();
  if (midi !== null) session.subscribe(midi.onEvent);
  const limitSeconds = options.until ?? RENDER_LIMIT_SECONDS;

  let wav: WavFileWriter | null = null;
  let cut = false;
  try {
    // --wav is stereo; --exact keeps the demo's one channel.
    const channels = options.exact ? 1 : 2;
    if (options.wav !== null) wav = await WavFileWriter.open(options.wav, options.rate, maxWavBytes(limitSeconds, options.rate, channels), {}, channels);
    // A script's samples are decoded before it runs, so the render is the same bytes every time.
    const samples = await preloadScriptSamples(session, files);
    const wavRender = wav && new StreamingRender({ rate: options.rate, exact: options.exact, channels, samples }, (n) => new Int16Array(n), (s) => wav!.write(s));
    const rawRender = options.raw ? new StreamingRender({ rate: 8000, exact: options.exact, samples }, (n) => new Uint8Array(n), (s) => data.write(s)) : null;
    session.subscribe((event) => {
      if (event.type !== 'notes' && event.type !== 'stream-end') return;
      wavRender?.push(event);
      rawRender?.push(event);
    });
    for (const file of files) loadScript(session, file);

    const step = await renderSteps(session, secondsToNs(limitSeconds), async (now) => {
      if (data.closed && onlyStdout) return false;
      await wavRender?.renderBefore(now);
      await rawRender?.renderBefore(now);
      await data.drained();
      return true;
    });
    if (data.closed && onlyStdout) return data.failure === null ? EXIT.ok : fileFailure(io, data.failure);
    // At the limit, what was rendered is kept: the first `limitSeconds`, as --until would render them.
    if (step === 'over-limit') session.scheduler.runUntilIdle(limitSeconds);
    cut = step === 'over-limit' && options.until === null;
    if (!session.ended) session.quit();
    const end = session.scheduler.nowNanos;
    await wavRender?.finish(end);
    await rawRender?.finish(end);
    await wav?.commit();
    await writeFilesAtEnd(options, collected, midi, end, io);
  } catch (error) {
    await wav?.abort();
    if (error instanceof RenderStalled) {
      io.stderr.write(`corotone: ${error.message}; nothing written\n`);
      return EXIT.script;
    }
    if (!(error instanceof FileWriteError)) throw error;
    // `--wav /dev/stdout | head`: the reader went away, as with `--wav -`; with nothing else to write, that ends the run quietly.
    if (error.code === 'EPIPE' && wav?.streamed === true && options.midi === null && options.trace === null) return EXIT.ok;
    return fileFailure(io, error.message);
  }
  await data.flushed();
  if (data.failure !== null) return fileFailure(io, data.failure);
  if (cut) return cutAtLimit(options, files, io);
  return exitCode(session, options);
}

/** The render stopped at the 10-minute limit: what was written is its first 10 minutes; say so, and how to render the rest. */
function cutAtLimit(options: CliOptions, files: { name: string; bytes: Uint8Array }[], io: CliIO): number {
  const probe = new Session({ strict: options.strict });
  if (options.exact) probe.stream.useDemoSet();
  for (const file of files) loadScript(probe, file);
  const names = files.map((f) => f.name).join(', ');
  io.stderr.write(
    `corotone: ${names} still plays after ${describeSeconds(RENDER_LIMIT_SECONDS)}, the longest an offline render goes without --until;` +
      ` what was written is its first ${describeSeconds(RENDER_LIMIT_SECONDS)}; ${untilForTheRest(probeLength(probe))}\n`,
  );
  return EXIT.script;
}

function fileFailure(io: CliIO, message: string): number {
  io.stderr.write(`corotone: ${message}\n`);
  return EXIT.file;
}

async function runLive(options: CliOptions, files: { name: string; bytes: Uint8Array }[], readStdin: boolean, io: CliIO): Promise<number> {
  const osc = await openOsc(options, io);
  if (osc === 'failed') return EXIT.usage;
  // Live, `offload` runs in real worker threads (offline, the virtual clock's stand-in is exact).
  const executor = new WorkerExecutor();
  const session = new Session({ strict: options.strict, lagThreshold: options.lagThresholdMs / 1000, executor });
  if (options.exact) session.stream.useDemoSet();
  const driver = new RealTimeDriver(session.scheduler, { speed: options.speed });
  const collected: Collected = { all: options.trace !== null ? [] : null };
  const stdoutIsData = options.raw || options.events;
  const data = new GuardedOut(io.stdout);
  const terminalOut = plainOut(io, data);
  attachReporters(session, options, data, collected, stdoutIsData, terminalOut, (source) => source === STDIN_NAME && io.stdin.isTTY === true);
  // The reader of the data went away (`| head -c 100`): the run is over, quietly.
  if (stdoutIsData) data.onClose(() => session.ended || session.quit());

  const pcm = options.raw ? new LivePcmWriter(driver, { write: (chunk: Uint8Array) => data.write(chunk) }, (l) => io.stderr.write(`${l}\n`), { rate: 8000, exact: options.exact, latencyMs: options.latencyMs, samples: samplesOf(session).bank }) : null;
  const log = !stdoutIsData ? new NoteLog((text) => terminalOut.stderr(text)) : null;
  const midi = options.midi === null ? null : new MidiRecording();
  if (midi !== null) session.subscribe(midi.onEvent);
  if (osc !== null) session.subscribe(osc.onEvent);
  let openSources = files.length + (readStdin ? 1 : 0);
  session.subscribe((event) => {
    if (event.type === 'notes' || event.type === 'stream-end') pcm?.push(event);
    log?.onEvent(event);
    if (event.type === 'source-ended') openSources--;
  });

  // Logical time 0 is when the first line arrives: at once for script files,
  // at the first line of standard input otherwise (so a piped script plays as offline).
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    driver.start();
    osc?.start(driver);
    pcm?.start();
  };
  // Samples are decoded before the lines that play them run: a script's now, a typed line's as it comes (samples.ts).
  const loader = new SampleFiles();
  await preloadScriptSamples(session, files, loader);
  for (const file of files) loadScript(session, file);
  if (files.length > 0 || !readStdin) start();
  if (readStdin) {
    const printAbovePrompt = streamStdin(withSamplesFirst(session, loader), io.stdin, io.stderr, start);
    if (printAbovePrompt !== null) {
      terminalOut.stderr = printAbovePrompt;
      if (!stdoutIsData && io.stdout.isTTY) terminalOut.stdout = printAbovePrompt;
    }
  }

  // The run is over at quit, or once every source has ended and nothing is left to do.
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (!session.ended && openSources <= 0 && session.scheduler.idle) session.quit();
      if (session.ended) {
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
  start();
  log?.close();
  if (pcm) await pcm.whenDone();
  driver.stop();
  await executor.close();
  if (readStdin) io.stdin.destroy();
  await osc?.close();
  try {
    await writeFilesAtEnd(options, collected, midi, session.scheduler.nowNanos, io);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    return fileFailure(io, error.message);
  }
  await data.flushed();
  if (data.failure !== null) return fileFailure(io, data.failure);
  return exitCode(session, options);
}

/** The files written once the run is over: --trace and --midi (each atomically). Throws FileWriteError. */
async function writeFilesAtEnd(options: CliOptions, collected: Collected, midi: MidiRecording | null, endNs: number, io: CliIO): Promise<void> {
  if (options.trace !== null) await writeOutputFile(options.trace, JSON.stringify(toChromeTrace(collected.all!)));
  if (midi === null || options.midi === null) return;
  const { bytes, leftOut, tooSlow } = midi.file(basename(options.midi).replace(/\.midi?$/i, ''), endNs);
  await writeOutputFile(options.midi, bytes);
  for (const notice of [describeLeftOut(options.midi, leftOut), describeTooSlow(options.midi, tooSlow)]) if (notice !== null) io.stderr.write(`corotone: ${notice}\n`);
}

/** The --osc sender, if asked for ('failed' once the reason is printed: a host that cannot be found). */
async function openOsc(options: CliOptions, io: CliIO): Promise<OscOut | null | 'failed'> {
  if (options.osc === null) return null;
  try {
    return await OscOut.open(options.osc, { latencyMs: options.latencyMs, warn: (line) => void io.stderr.write(`corotone: --osc: ${line}\n`) });
  } catch (error) {
    if (!(error instanceof OscHostError)) throw error;
    io.stderr.write(`corotone: --osc: ${error.message} (see corotone --help)\n`);
    return 'failed';
  }
}

function exitCode(session: Session, options: CliOptions): number {
  return options.strict && session.errorCount > 0 ? 1 : 0;
}

async function runWeb(argv: string[], io: CliIO): Promise<number> {
  const web = (await import('../web/index')) as { runWebCommand?: (argv: string[], io: CliIO) => Promise<number> };
  if (typeof web.runWebCommand !== 'function') {
    io.stderr.write('corotone: web mode is not available in this build\n');
    return 2;
  }
  return web.runWebCommand(argv, io);
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const pkg = JSON.parse(await readFile(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
