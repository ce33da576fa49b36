/**
 * Which Chromium the end-to-end tests drive, found without downloading
 * anything at run time:
 *
 * - `COROTONE_BROWSER=system`: a Chromium on this machine (Debian's
 *   /usr/bin/chromium, or chromium / chromium-browser / google-chrome on PATH);
 * - `COROTONE_BROWSER=sparticuz`: the headless Chromium that the npm package
 *   @sparticuz/chromium ships inside itself (brotli-compressed), unpacked into
 *   the temporary folder once, with the NSS libraries it also ships where the
 *   machine has none;
 * - `COROTONE_BROWSER=/path/to/chrome`: that executable;
 * - unset: the system's if there is one, else the package's.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface BrowserChoice {
  /** Where it came from, for messages. */
  kind: 'system' | 'sparticuz' | 'path';
  executablePath: string;
  /** Extra environment for the browser process (the package's libraries, where needed). */
  env: Record<string, string>;
}

const SPARTICUZ: string = '@sparticuz/chromium';
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Debian's Chromium, else the first Chromium on PATH, else null. */
export function systemChromium(path = process.env.PATH ?? ''): string | null {
  if (executable('/usr/bin/chromium') && path.split(delimiter).includes('/usr/bin')) return '/usr/bin/chromium';
  for (const dir of path.split(delimiter).filter((d) => d !== '')) {
    for (const name of SYSTEM_NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

export async function findBrowser(choice = process.env.COROTONE_BROWSER ?? ''): Promise<BrowserChoice> {
  if (choice === '' || choice === 'system') {
    const found = systemChromium();
    if (found !== null) return { kind: 'system', executablePath: found, env: {} };
    if (choice === 'system') throw new Error('COROTONE_BROWSER=system, but there is no chromium on PATH');
    return packagedChromium();
  }
  if (choice === 'sparticuz') return packagedChromium();
  if (!executable(choice)) throw new Error(`COROTONE_BROWSER=${choice}: not an executable file`);
  return { kind: 'path', executablePath: choice, env: {} };
}

/** Unpack @sparticuz/chromium's browser (once per machine; test files run in parallel, so under a lock). */
export async function packagedChromium(): Promise<BrowserChoice> {
  // Typed here, not by the package's types: a checkout whose node_modules predates the package still typechecks.
  const { default: Chromium, inflate } = (await import(SPARTICUZ)) as {
    default: { executablePath(): Promise<string> };
    inflate(file: string): Promise<string>;
  };
  const lock = join(tmpdir(), 'corotone-sparticuz.lock');
  await withLock(lock, async () => {
    await Chromium.executablePath();
    if (!hasSystemNss()) await inflate(join(binDir(), 'al2023.tar.br'));
  });
  const executablePath = join(tmpdir(), 'chromium');
  const libs = join(tmpdir(), 'al2023', 'lib');
  const env: Record<string, string> = hasSystemNss() ? {} : { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  return { kind: 'sparticuz', executablePath, env };
}

function binDir(): string {
  return join(import.meta.dirname, '../../node_modules/@sparticuz/chromium/bin');
}

/** Whether the dynamic linker finds NSS (libnss3), which the packaged Chromium needs. */
function hasSystemNss(): boolean {
  if (process.env.COROTONE_BROWSER_OWN_LIBS === '1') return false;
  try {
    return execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }).includes('libnss3.so');
  } catch {
    return ['/lib/x86_64-linux-gnu/libnss3.so', '/usr/lib/x86_64-linux-gnu/libnss3.so', '/usr/lib64/libnss3.so'].some(existsSync);
  }
}

/** A lock is a folder (mkdir is atomic); one left by a crashed run goes after two minutes. */
async function withLock(path: string, work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      if (Date.now() > deadline || Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(path, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
