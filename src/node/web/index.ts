/**
 * `corotone web [--port N]`: the app in a browser. Serves the built renderer
 * and runs the engine in this Node process, talking to the page over a
 * WebSocket with the same protocol Electron uses over IPC. Listens on
 * 127.0.0.1 only; the first line of standard output is the page's address
 * with its token.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppSession } from '../app-session/app-session';
import { createRealEngine, renderScriptToMidi, renderScriptToWav } from '../app-session/real-engine';
import { DownloadStore } from './downloads';
import { packageRoot } from '../files/package-root';
import { startWebServer, type WebServer } from './server';

export { startWebServer, contentDisposition, type WebServer, type WebServerOptions } from './server';
export { DownloadStore, DOWNLOAD_PATH, type DownloadStoreOptions } from './downloads';

export interface WebCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborting it stops the server (besides SIGINT/SIGTERM); runWebCommand then resolves 0. */
  signal?: AbortSignal;
  /** Called once the server listens (tests use it to find the address). */
  onListening?: (server: WebServer) => void;
}

export const WEB_USAGE = `Usage: corotone web [--port N]

Serves the corotone app at http://127.0.0.1:PORT/ (this machine only) and
runs the engine here. The first line printed is the address to open, with the
access token; pages and sockets without it are refused.

  --port N      listen on port N (default: a free port)
  --renderer D  serve the built renderer from folder D (default: out/renderer)
  --osc-any-host  let the page's OSC out send to another machine than this
                one (without it: 127.0.0.1 and ::1 only)
  -h, --help    show this help`;

// Found upward, so it is the same from src/node/web (tsx) and from dist/cli (the bundle).
const PACKAGE_ROOT = packageRoot(import.meta.url);

/**
 * Runs web mode until SIGINT/SIGTERM (or `io.signal`). Resolves with the exit
 * code: 0 after a clean stop, 1 if it could not start, 2 for a usage error.
 */
export async function runWebCommand(argv: string[], io: WebCommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const args = webArgs(argv, io);
  if (typeof args === 'number') return args;
  const { port, rendererDir, oscAnyHost } = args;

  if (!existsSync(join(rendererDir, 'index.html'))) {
    const built = buildRenderer(io);
    if (!built || !existsSync(join(rendererDir, 'index.html'))) {
      io.stderr.write(`corotone web: no built renderer at ${rendererDir}; run "npm run build" first\n`);
      return 1;
    }
  }

  // Exported audio is fetched over HTTP (GET /download/ID), not sent in a JSON frame.
  const downloads = new DownloadStore();
  const appSession = new AppSession({
    createEngine: createRealEngine,
    renderWav: renderScriptToWav,
    renderMidi: renderScriptToMidi,
    deliverFile: downloads.deliver,
    oscAnyHost,
    examplesDir: join(PACKAGE_ROOT, 'resources', 'examples'),
    // `sample PATH` reads only files under the folder web mode was started in (the lessons: the app's resources/)
    samples: { base: process.cwd(), root: process.cwd(), examplesDir: join(PACKAGE_ROOT, 'resources', 'examples') },
  });
  let server: WebServer;
  try {
    server = await startWebServer({ appSession, rendererDir, port, downloads, log: (line) => io.stderr.write(`${line}\n`) });
  } catch (error) {
    appSession.dispose();
    io.stderr.write(`corotone web: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`corotone web: ${server.url}\n`);
  io.stderr.write('corotone web: open the address above in a browser; Ctrl+C stops the server\n');
  io.onListening?.(server);

  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  // The engine yields to the host between slices of work, so these signals always get in; a second one
  // while the server closes (a client that will not let go) ends the process at once.
  const force = (): never => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  try {
    await server.close();
    appSession.dispose();
    downloads.clear();
  } finally {
    process.off('SIGINT', force);
    process.off('SIGTERM', force);
  }
  return 0;
}

/** The options of `corotone web`, or the exit code once help or a usage error is printed. */
function webArgs(argv: string[], io: WebCommandIo): { port: number; rendererDir: string; oscAnyHost: boolean } | number {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { port: { type: 'string' }, renderer: { type: 'string' }, 'osc-any-host': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(`${WEB_USAGE}\n`);
      return 0;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65535)) throw new Error(`--port takes a port number 0-65535, not "${values.port}"`);
    const rendererDir = values.renderer === undefined ? join(PACKAGE_ROOT, 'out', 'renderer') : resolve(values.renderer);
    return { port, rendererDir, oscAnyHost: values['osc-any-host'] ?? false };
  } catch (error) {
    io.stderr.write(`corotone web: ${(error as Error).message.split('\n')[0]}\n${WEB_USAGE}\n`);
    return 2;
  }
}

/** Build the app once with electron-vite (needs no Electron binary); its output goes to stderr. */
function buildRenderer(io: WebCommandIo): boolean {
  const cli = join(PACKAGE_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(cli)) return false;
  io.stderr.write('corotone web: building the app once (electron-vite build)…\n');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) io.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result.status === 0;
}
