import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { formatDiagnostic } from '../../core/language/diagnostics';
import { RealTimeDriver } from '../../core/scheduler/realtime';
import { WorkerExecutor } from '../executor/worker-executor';
import type { SessionEvent } from '../../core/session/api';
import { Session } from '../../core/session/session';
import type { StreamEvent } from '../../core/stream/stream';
import { changesFromStreamEvents, renderToPcm8, renderToWav } from '../../core/synth/render';
import { toChromeTrace } from '../../core/trace/chrome-trace';
import { USAGE, UsageError, parseCliArgs, type CliOptions } from './args';
import { checkBytes, loadScript, readScripts, streamStdin } from './inputs';
import { LivePcmWriter } from './live-pcm';
import { writePython } from './to-python';
import { NoteLog } from './note-log';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

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
    io.stderr.write(`corotone: cannot read ${describeReadError(error)} (see corotone --help)\n`);
    return 2;
  }

  if (options.check) return check(files, io);
  if (options.toPython !== null) return writePython(files[0], options.toPython, io.stderr);
  return live ? runLive(options, files, names.includes('-'), io) : runOffline(options, files, io);
}

/** Offline (virtual clock) unless output must follow the real clock. */
function isLive(options: CliOptions, names: string[], io: CliIO): boolean {
  if (options.check || options.toPython !== null) return false;
  if (options.raw) return !options.offline;
  if (options.wav !== null || options.trace !== null || options.events) {
    return names.includes('-') && io.stdin.isTTY === true;
  }
  return true;
}

function check(files: { name: string; bytes: Uint8Array }[], io: CliIO): number {
  let errors = 0;
  for (const file of files) {
    for (const d of checkBytes(file)) {
      errors++;
      io.stderr.write(`${formatDiagnostic(d)}\n`);
    }
  }
  io.stderr.write(errors === 0 ? `corotone: no errors in ${files.map((f) => f.name).join(', ')}\n` : `corotone: ${errors} error(s)\n`);
  return errors === 0 ? 0 : 1;
}

interface Collected {
  all: SessionEvent[] | null;
  stream: StreamEvent[];
}

/** What every run prints: diagnostics and command output, plus the optional event log. */
/** Where human-readable text goes; an interactive run swaps in writers that keep the prompt intact. */
interface TextOut {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function attachReporters(session: Session, options: CliOptions, io: CliIO, collect: Collected, stdoutIsData: boolean, out: TextOut): void {
  session.subscribe((event) => {
    collect.all?.push(event);
    if (event.type === 'notes' || event.type === 'stream-end') collect.stream.push(event);
    if (options.events) io.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'diagnostic') out.stderr(`${formatDiagnostic(event.diagnostic)}\n`);
    else if (event.type === 'output' && !options.events) (stdoutIsData ? out.stderr : out.stdout)(`${event.text}\n`);
  });
}

function plainOut(io: CliIO): TextOut {
  return { stdout: (t) => void io.stdout.write(t), stderr: (t) => void io.stderr.write(t) };
}

async function runOffline(options: CliOptions, files: { name: string; bytes: Uint8Array }[], io: CliIO): Promise<number> {
  const session = new Session({ strict: options.strict, lagThreshold: options.lagThresholdMs / 1000 });
  const collected: Collected = { all: options.trace !== null ? [] : null, stream: [] };
  attachReporters(session, options, io, collected, options.raw || options.events, plainOut(io));
  for (const file of files) loadScript(session, file);
  session.scheduler.runUntilIdle(options.until ?? Infinity);
  if (!session.ended) session.quit();

  const { changes, endNs } = changesFromStreamEvents(collected.stream);
  const end = endNs ?? session.scheduler.nowNanos;
  if (options.wav !== null) {
    await writeFile(options.wav, renderToWav(changes, end, { rate: options.rate, exact: options.exact }));
  }
  if (options.raw) await writeAll(io.stdout, renderToPcm8(changes, end, { exact: options.exact }));
  if (options.trace !== null) await writeFile(options.trace, JSON.stringify(toChromeTrace(collected.all!)));
  return exitCode(session, options);
}

async function runLive(options: CliOptions, files: { name: string; bytes: Uint8Array }[], readStdin: boolean, io: CliIO): Promise<number> {
  // Live, `offload` runs in real worker threads (offline, the virtual clock's stand-in is exact).
  const executor = new WorkerExecutor();
  const session = new Session({ strict: options.strict, lagThreshold: options.lagThresholdMs / 1000, executor });
  const driver = new RealTimeDriver(session.scheduler, { speed: options.speed });
  const collected: Collected = { all: options.trace !== null ? [] : null, stream: [] };
  const stdoutIsData = options.raw || options.events;
  const terminalOut = plainOut(io);
  attachReporters(session, options, io, collected, stdoutIsData, terminalOut);

  const pcm = options.raw ? new LivePcmWriter(driver, io.stdout, (l) => io.stderr.write(`${l}\n`), { rate: 8000, exact: options.exact, latencyMs: options.latencyMs }) : null;
  const log = !stdoutIsData ? new NoteLog((text) => terminalOut.stderr(text)) : null;
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
    pcm?.start();
  };
  for (const file of files) loadScript(session, file);
  if (files.length > 0 || !readStdin) start();
  if (readStdin) {
    const printAbovePrompt = streamStdin(session, io.stdin, io.stderr, start);
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
  if (pcm) await pcm.whenDone();
  driver.stop();
  await executor.close();
  if (readStdin) io.stdin.destroy();
  if (options.trace !== null) await writeFile(options.trace, JSON.stringify(toChromeTrace(collected.all!)));
  if (pcm) await flush(io.stdout);
  return exitCode(session, options);
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

function writeAll(out: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

function flush(out: NodeJS.WritableStream): Promise<void> {
  return writeAll(out, new Uint8Array(0));
}

function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `${e.path ?? 'file'}: no such file`;
  if (e.code === 'EISDIR') return `${e.path ?? 'file'}: is a directory`;
  return e.message;
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
