/**
 * The summary line counts what did not run as failed and names every skip:
 * run on fixture files that fail in collection, in beforeAll and in afterAll.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the summary line', () => {
  const run = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/support/reporter-fixtures/vitest.config.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = run.stdout;

  it('counts a file that cannot load, and the tests a failed beforeAll kept from running, as failed', () => {
    expect(output).toMatch(/^tests: 2 passed, 5 failed, 2 skipped$/m);
    expect(output).toContain('before-all-fails.fixture.ts: browserType.launch: Failed to launch chromium');
    expect(output).toContain('import-fails.fixture.ts: this file cannot load');
    expect(run.status).not.toBe(0);
  });

  it('counts an error in afterAll as a failure, even when every test of its file passed', () => {
    expect(output).toContain('after-all-fails.fixture.ts: could not stop the server');
  });

  it('lists every skipped test with its reason', () => {
    expect(output).toContain('skipped (2):');
    expect(output).toContain('skips.fixture.ts > skips with a reason: sox is not installed');
    expect(output).toMatch(/skips\.fixture\.ts > skipped without a note > never runs: marked skip/);
  });
});
