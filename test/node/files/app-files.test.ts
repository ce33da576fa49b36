import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScriptForApp, saveFileForApp } from '../../../src/main/files';
import { MAX_SCRIPT_BYTES } from '../../../src/node/files/read-script';
const MIB = MAX_SCRIPT_BYTES / (1024 * 1024);

// The Electron shell's Open, Save and Export go through these (src/main/files.ts).
describe("the app's Open", () => {
  it('reads a script, and refuses a special file instead of reading it forever', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corotone-app-')), 'a.txt');
    writeFileSync(path, 'beep 60 1\rwait 1');
    expect(await readScriptForApp(path)).toBe('beep 60 1\rwait 1');
    await expect(readScriptForApp('/dev/zero')).rejects.toThrow('cannot read /dev/zero: not a regular file (a character device)');
    const fifo = join(mkdtempSync(join(tmpdir(), 'corotone-app-')), 'pipe');
    spawnSync('mkfifo', [fifo]);
    await expect(readScriptForApp(fifo)).rejects.toThrow(`cannot read ${fifo}: not a regular file (a pipe)`);
  });

  it('refuses a script over the script size limit', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corotone-app-')), 'big.txt');
    writeFileSync(path, Buffer.alloc(MAX_SCRIPT_BYTES + 1, 0x0a));
    await expect(readScriptForApp(path)).rejects.toThrow(`cannot read ${path}: larger than ${MIB} MiB, the largest script corotone reads`);
  });
});

describe("the app's Save and Export", () => {
  it('replace the file whole', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corotone-app-')), 'song.wav');
    writeFileSync(path, 'old');
    await saveFileForApp(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it('through a symbolic link replace the file it points to, and keep the link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-app-'));
    writeFileSync(join(dir, 'real.wav'), 'old');
    symlinkSync('real.wav', join(dir, 'song.wav'));
    await saveFileForApp(join(dir, 'song.wav'), new Uint8Array([1, 2, 3]));
    expect(lstatSync(join(dir, 'song.wav')).isSymbolicLink()).toBe(true);
    expect([...readFileSync(join(dir, 'real.wav'))]).toEqual([1, 2, 3]);
  });

  it('fail with one line naming the file when it cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-app-'));
    await expect(saveFileForApp(join(dir, 'no-such-dir', 'x.wav'), new Uint8Array(4))).rejects.toThrow(
      `cannot write ${join(dir, 'no-such-dir', 'x.wav')}: no such file or directory`,
    );
  });
});
