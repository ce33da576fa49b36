#!/usr/bin/env node
// postinstall: fetch the Electron binary for the desktop window, if the network
// allows. Electron 42+ downloads it on first use, and `electron-vite dev` does
// not trigger that (it looks for node_modules/electron/path.txt), so we run
// electron's own installer here. It is time-boxed and never fails the install:
// without the binary the CLI and web mode still work, and this says so in ONE line.
// With --require (used by `npm run dev` and `npm start`) it exits 1 instead when
// the binary is missing, so those commands stop with that line, not a stack trace.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const TIME_LIMIT_MS = Number(process.env.COROTONE_ELECTRON_TIMEOUT_MS) || 20_000;
const UNAVAILABLE = 'the desktop window is unavailable; the CLI (npx corotone) and web mode (npx corotone web) work';
const REQUIRE = process.argv.includes('--require');
let ready = false;

function say(line) {
  console.log(`corotone: ${line}`);
}

function electronDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function installed(dir) {
  try {
    const path = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    return path !== '' && existsSync(join(dir, 'dist', path));
  } catch {
    return false;
  }
}

async function main() {
  const dir = electronDir();
  if (dir !== null && installed(dir)) {
    ready = true;
    return;
  }
  if (process.env.COROTONE_SKIP_ELECTRON || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say(`Electron download skipped by the environment; ${UNAVAILABLE}`);
    return;
  }
  if (dir === null) {
    say(`Electron is not installed (production install); ${UNAVAILABLE}`);
    return;
  }
  // COROTONE_ELECTRON_INSTALLER stands in for electron's installer in tests (a hanging one, say).
  const installer = process.env.COROTONE_ELECTRON_INSTALLER || join(dir, 'install.js');
  if (!existsSync(installer)) {
    say(`Electron's installer is missing; ${UNAVAILABLE}`);
    return;
  }
  const outcome = await new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, [installer], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop it and anything it started.
      detached: process.platform !== 'win32',
    });
    const keep = (chunk) => {
      output = (output + chunk).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      try {
        if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
      resolve({ ok: false, reason: `no answer within ${TIME_LIMIT_MS >= 1000 ? `${Math.round(TIME_LIMIT_MS / 1000)} s` : `${TIME_LIMIT_MS} ms`}` });
    }, TIME_LIMIT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: error.message });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true } : { ok: false, reason: firstReason(output) ?? `installer exit code ${code}` });
    });
  });
  if (outcome.ok && installed(dir)) {
    ready = true;
    say('Electron binary installed; `npm run dev` opens the desktop window');
  } else say(`could not download the Electron binary (${outcome.ok ? 'no binary after install' : outcome.reason}); ${UNAVAILABLE}`);
}

/** The most telling line of the installer's output (its error's message, not its stack). */
function firstReason(output) {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|HTTP/i.test(l) && !l.startsWith('at '));
  return line ? line.replace(/^Error:\s*/, '').slice(0, 160) : null;
}

main().catch((error) => {
  say(`Electron setup failed (${error instanceof Error ? error.message : String(error)}); ${UNAVAILABLE}`);
}).finally(() => {
  process.exitCode = REQUIRE && !ready ? 1 : 0;
});
