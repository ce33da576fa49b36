/** The CLI prints a script's output and errors with their control characters made visible, never obeyed by the terminal. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';

describe('corotone on a script with escape sequences', () => {
  it('shows them as \\x1b in its output and its diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-esc-'));
    try {
      const script = join(dir, 'esc.txt');
      writeFileSync(script, 'spawn fail \x1b[2Jx\nnosuch\x1b[31m 1\n');
      const run = await runCli([script]);
      const printed = run.stdout.toString('utf8') + run.stderr;
      expect(printed).not.toContain('\x1b');
      expect(printed).toContain('fail \\x1b[2Jx');
      expect(printed).toMatch(/esc\.txt:1:\d+: error: .*\\x1b\[2Jx/);
      const check = await runCli([script, '--check']);
      expect(check.stderr).not.toContain('\x1b');
      expect(check.stderr).toContain('nosuch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
