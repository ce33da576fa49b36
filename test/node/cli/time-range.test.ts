/**
 * The clock's exact range through the `corotone` command: logical time is
 * integer ns in a Number, exact up to 2^53 ns (some 104 days). A wait that
 * would end past it is refused with a located error, and a render near it
 * neither hangs nor loses nanoseconds (issue 16, item 11).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'corotone-time-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A hang shows as the process still running at this deadline (it is killed); a working run takes about a second. */
const DEADLINE_MS = 90_000;

function runWithDeadline(args: string[]): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

describe('time past the clock’s exact range', () => {
  it(
    'refuses a wait that would end past 2^53 ns, located, and plays on near the limit with exact ns',
    async () => {
      const file = join(dir, 'far.txt');
      writeFileSync(file, 'wait 9007199\nwait 9007199\nrepeat 20 beep 60 0.000000003\n');
      const result = await runWithDeadline(['--until', '18014399', '--events', file]);
      expect(result.killed).toBe(false);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`${file}:2:1: error: wait of 9007199 s would end past 9,007,199.25 s`);
      const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
      const onsets = events.filter((e) => e.type === 'notes' && e.notes.length > 0).map((e) => e.ns);
      expect(onsets).toHaveLength(20);
      // Each beep starts exactly 3 ns after the one before, from 9007199 s.
      expect(onsets.map((ns: number, i: number) => ns - 9_007_199_000_000_000 - 3 * i)).toEqual(Array(20).fill(0));
    },
    DEADLINE_MS + 10_000,
  );
});
