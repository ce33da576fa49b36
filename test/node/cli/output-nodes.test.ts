/**
 * `--wav`, `--trace` and `--to-python` given a name that is not a regular
 * file, through the real command: `--wav /dev/stdout` once replaced the
 * machine's /dev/stdout link with a file. Every node here is the test's own.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../support/audio';
import { freshDir, makeDevice, makeFifo, makeSocket, readFifo } from '../../support/files/nodes';
import { runCli } from '../../support/run-cli';

const stderrLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));

function script(text: string): string {
  const path = join(freshDir('corotone-script-'), 's.txt');
  writeFileSync(path, text);
  return path;
}

describe('corotone --wav into a FIFO or a device streams into it', () => {
  it('a FIFO gets a WAV of the whole render, and stays a FIFO', async (context) => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    if (!makeFifo(fifo)) return context.skip('mkfifo is not available');
    const reader = readFifo(fifo);
    const { code, stderr } = await runCli([script('beep 69 0.5'), '--wav', fifo, '--rate', '44100']);
    reader.release();
    expect(stderrLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    const wav = parseWav(new Uint8Array(await reader.bytes));
    expect(wav.rate).toBe(44100);
    expect(wav.first.length / wav.rate).toBeCloseTo(0.5, 1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('a copy of /dev/null is written to and stays the device', async (context) => {
    const dir = freshDir();
    const device = join(dir, 'null');
    const why = makeDevice(device, 'c', 1, 3);
    if (why !== null) return context.skip(why);
    const { code, stderr } = await runCli([script('beep 60 1'), '--wav', device]);
    expect(stderrLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(statSync(device).rdev).toBe(statSync('/dev/null').rdev);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('--to-python into a FIFO writes the program through it', async (context) => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    if (!makeFifo(fifo)) return context.skip('mkfifo is not available');
    const reader = readFifo(fifo);
    const { code } = await runCli([script('beep 60 0.5'), '--to-python', fifo]);
    reader.release();
    expect(code).toBe(0);
    expect((await reader.bytes).toString()).toContain('asyncio');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('corotone writes through a symbolic link', () => {
  it.each([['--wav'], ['--trace']])('%s: the file the link points to is replaced, the link kept', async (flag) => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'out');
    writeFileSync(target, 'old');
    symlinkSync(join('real', 'out'), join(dir, 'link'));
    const { code, stderr } = await runCli([script('beep 60 0.2'), flag, join(dir, 'link')]);
    expect(stderrLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link'))).toBe(join('real', 'out'));
    const written = readFileSync(target);
    if (flag === '--wav') expect(parseWav(new Uint8Array(written)).first.length).toBeGreaterThan(0);
    else expect(JSON.parse(written.toString())).toHaveProperty('traceEvents');
    expect(readdirSync(join(dir, 'real'))).toEqual(['out']);
  });
});

describe('corotone refuses to write what is no file, pipe or device', () => {
  it.for([
    ['--wav', 'a directory'],
    ['--trace', 'a socket'],
    ['--to-python', 'a directory'],
    ['--wav', 'a block device'],
  ] as const)('%s onto %s: exit 3, one line, the node left as it was', async ([flag, kind], context) => {
    const dir = freshDir();
    const path = join(dir, 'node');
    if (kind === 'a directory') mkdirSync(path);
    if (kind === 'a socket') (await makeSocket(path)).unref();
    if (kind === 'a block device') {
      const why = makeDevice(path, 'b', 7, 0);
      if (why !== null) return context.skip(why);
    }
    const { code, stderr } = await runCli([script('beep 60 0.2'), flag, path]);
    expect(code).toBe(3);
    expect(stderrLines(stderr)).toEqual([`corotone: cannot write ${path}: ${kind}, not a file, a pipe or a character device to write to`]);
    const after = lstatSync(path);
    expect(after.isFile()).toBe(false);
    expect(readdirSync(dir)).toEqual(['node']);
  });
});
