import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/run-cli';

// The esbuild bundle that `npm install` makes (scripts/build-cli.mjs), built
// here into a folder of its own so it does not race the tests that run bin/.
const OUT = `dist/cli-test-${process.pid}`;
const outDir = join(ROOT, OUT);

function runBundle(args: string[]) {
  const url = pathToFileURL(join(outDir, 'main.js')).href;
  const program = `const { main } = await import(${JSON.stringify(url)}); process.exitCode = await main(${JSON.stringify(args)});`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: ROOT });
}

describe('the bundled CLI', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, ['scripts/build-cli.mjs', OUT], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('answers --help and --version', () => {
    const help = runBundle(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.toString()).toContain('--wav FILE');
    const version = runBundle(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.toString()).toBe(`corotone ${pkg.version}\n`);
  });

  it('renders the same WAV as the CLI run from source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-bundle-'));
    const script = join(dir, 's.txt');
    writeFileSync(script, 'chord 1 C4 E4 G4\nbeep 72 0.25\n');
    expect(runBundle([script, '--wav', join(dir, 'bundle.wav')]).status).toBe(0);
    const source = spawnSync(process.execPath, ['bin/corotone.mjs', script, '--wav', join(dir, 'source.wav')], {
      cwd: ROOT,
      env: { ...process.env, COROTONE_FROM_SOURCE: '1' },
    });
    expect(source.status).toBe(0);
    expect(readFileSync(join(dir, 'bundle.wav')).equals(readFileSync(join(dir, 'source.wav')))).toBe(true);
  });

  it("keeps the export worker working: web mode's export renders from the bundle", async () => {
    const worker = new Worker(new URL(pathToFileURL(join(outDir, 'export-worker.js'))), {
      workerData: { script: { name: 's.txt', text: 'beep 60 0.5' }, sampleRate: 48000, limitSeconds: 600 },
    });
    const answer = await new Promise<{ ok: boolean; wav?: Uint8Array }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(answer.ok).toBe(true);
    expect(answer.wav!.length).toBeGreaterThan(48000);
  });
});
