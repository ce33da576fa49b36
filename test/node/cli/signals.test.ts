/**
 * SIGINT or SIGTERM during `--wav`: the temporary file goes, the old file
 * stays, and the command dies of the signal (a shell shows 130 or 143).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDir } from '../../support/files/nodes';
import { BIN, ROOT } from '../../support/run-cli';

/** Starts a 10-minute render into `wav`, sends `signal` once its temporary file passes 1 MB; how it ended. */
async function interruptRender(dir: string, wav: string, signal: NodeJS.Signals): Promise<{ sent: boolean; code: number | null; signal: NodeJS.Signals | null }> {
  const script = join(freshDir('corotone-script-'), 's.txt');
  writeFileSync(script, 'beep 60 599');
  const child = spawn(process.execPath, [BIN, script, '--wav', wav], { cwd: ROOT, stdio: 'ignore' });
  const sent = await new Promise<boolean>((resolve) => {
    const poll = setInterval(() => {
      const temp = readdirSync(dir).find((n) => n.endsWith('.tmp'));
      const size = temp === undefined ? 0 : statSync(join(dir, temp), { throwIfNoEntry: false })?.size ?? 0;
      if (size > 1 << 20 || child.exitCode !== null) {
        clearInterval(poll);
        resolve(child.kill(signal));
      }
    }, 5);
  });
  const [code, by] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  return { sent, code, signal: by };
}

describe('corotone --wav stopped by a signal mid-render', () => {
  it.for(['SIGINT', 'SIGTERM'] as const)('%s: no temporary file left, the old file intact, ended by the signal', async (signal) => {
    const dir = freshDir();
    const wav = join(dir, 'song.wav');
    writeFileSync(wav, 'the good file');
    const ended = await interruptRender(dir, wav, signal);
    expect(ended).toEqual({ sent: true, code: null, signal });
    expect(readdirSync(dir)).toEqual(['song.wav']);
    expect(readFileSync(wav, 'utf8')).toBe('the good file');
  });

  it('with no old file: nothing at all is left', async () => {
    const dir = freshDir();
    const wav = join(dir, 'new.wav');
    const ended = await interruptRender(dir, wav, 'SIGINT');
    expect(ended.signal).toBe('SIGINT');
    expect(existsSync(wav)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
