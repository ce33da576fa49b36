/** The postinstall step never fails or hangs an install, and says in one line what works. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/main/build';

const SCRIPT = join(ROOT, 'scripts', 'postinstall-electron.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'corotone-postinstall-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const binaryInstalled = (() => {
  try {
    const path = readFileSync(join(ROOT, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
    return path !== '' && existsSync(join(ROOT, 'node_modules', 'electron', 'dist', path));
  } catch {
    return false;
  }
})();

function run(args: string[], env: Record<string, string>) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { ...result, lines: result.stdout.split('\n').filter((l) => l !== ''), seconds: (Date.now() - started) / 1000 };
}

describe.skipIf(binaryInstalled)('postinstall without the Electron binary', () => {
  it('stops an installer that hangs at its time limit, exits 0 and says so in one line', () => {
    const pidFile = join(scratch, 'pid');
    const hanging = join(scratch, 'hang.mjs');
    writeFileSync(hanging, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    const result = run([], { COROTONE_ELECTRON_INSTALLER: hanging, COROTONE_ELECTRON_TIMEOUT_MS: '1500' });
    expect(result.status).toBe(0);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^corotone: .*no answer within 2 s.*desktop window is unavailable.*web mode/);
    // The hanging installer is gone.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('exits 0 with one line when the installer fails, and 1 with --require (npm run dev)', () => {
    const failing = join(scratch, 'fail.mjs');
    writeFileSync(failing, `console.error('Error: getaddrinfo ENOTFOUND github.com'); process.exit(1);\n`);
    const install = run([], { COROTONE_ELECTRON_INSTALLER: failing });
    expect(install.status).toBe(0);
    expect(install.lines).toEqual([expect.stringMatching(/could not download the Electron binary \(getaddrinfo ENOTFOUND github\.com\).*CLI.*web mode/)]);
    const dev = run(['--require'], { COROTONE_ELECTRON_INSTALLER: failing });
    expect(dev.status).toBe(1);
    expect(dev.lines).toHaveLength(1);
  });

  it('skips the download when the environment asks', () => {
    const result = run([], { COROTONE_SKIP_ELECTRON: '1', COROTONE_ELECTRON_INSTALLER: join(scratch, 'must-not-run.mjs') });
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([expect.stringMatching(/skipped.*web mode/)]);
  });
});
