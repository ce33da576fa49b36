/** Web mode (`corotone web`) in this process on a tiny stand-in renderer, for the tests of test/node/web. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWebCommand, type WebServer } from '../../src/node/web';

export interface ServedForTest {
  server: WebServer;
  dir: string;
  stdout: string[];
  /** What web mode logged (refusals, errors), line by line. */
  stderr: string[];
  /** Stop the server; resolves with runWebCommand's exit code. */
  stop(): Promise<number>;
}

export async function serveForTest(): Promise<ServedForTest> {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>t</title><script type="module" src="./assets/app.js"></script></head><body></body></html>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  const abort = new AbortController();
  const stdout: string[] = [];
  const stderr: string[] = [];
  let listening!: (s: WebServer) => void;
  const started = new Promise<WebServer>((resolve) => (listening = resolve));
  const exitCode = runWebCommand(['--renderer', renderer], {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => (stderr.push(text), true) },
    signal: abort.signal,
    onListening: listening,
  });
  const server = await Promise.race([started, exitCode.then((code) => Promise.reject(new Error(`web mode exited with ${code}`)))]);
  return {
    server,
    dir,
    stdout,
    stderr,
    async stop() {
      abort.abort();
      const code = await exitCode;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
