import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError, openAtomic, writeFileAtomic } from '../../../src/node/files';
import { mountTmpfs } from '../../support/files/tmpfs';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'corotone-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const dir = freshDir();
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new contents');
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a full disk: a one-line error naming the file and the cause, and the old file intact', async () => {
    const disk = mountTmpfs(64);
    const dir = disk?.dir ?? freshDir();
    const path = join(dir, 'song.wav');
    writeFileSync(path, 'the good file');
    try {
      // Without a tmpfs to fill, the temporary file is /dev/full, which answers every write with ENOSPC.
      const options = disk ? {} : { openTemp: () => open('/dev/full', 'w') };
      const error = await writeFileAtomic(path, new Uint8Array(1 << 20), options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileWriteError);
      expect((error as Error).message).toBe(`cannot write ${path}: no space left on the device`);
      expect(readFileSync(path, 'utf8')).toBe('the good file');
      expect(readdirSync(dir)).toEqual(['song.wav']);
    } finally {
      disk?.unmount();
    }
  });

  it('a read-only directory: a one-line error, and the old file intact', async () => {
    const disk = mountTmpfs(64);
    const dir = disk?.dir ?? freshDir();
    const path = join(dir, 'song.wav');
    writeFileSync(path, 'the good file');
    if (disk) disk.readOnly();
    else chmodSync(dir, 0o555);
    try {
      const error = await writeFileAtomic(path, 'new').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(new RegExp(`^cannot write ${path}: (read-only file system|permission denied)$`));
      expect(readFileSync(path, 'utf8')).toBe('the good file');
    } finally {
      if (!disk) chmodSync(dir, 0o755);
      disk?.unmount();
    }
  });

  it('an aborted write leaves the old file and no temporary file', async () => {
    const dir = freshDir();
    const path = join(dir, 'a.wav');
    writeFileSync(path, 'old');
    const file = await openAtomic(path);
    await file.write(new Uint8Array(1000));
    await file.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.wav']);
  });

  it('writes started together land one after another, in the order they were called', async () => {
    const dir = freshDir();
    const path = join(dir, 'parts.bin');
    const file = await openAtomic(path);
    const parts = Array.from({ length: 8 }, (_, i) => new Uint8Array(100_000 + i * 997).fill(i + 1));
    await Promise.all(parts.map((p) => file.write(p)));
    await file.commit();
    expect(readFileSync(path).equals(Buffer.concat(parts))).toBe(true);
  });

  it('a long file is flushed while it is written; a flush that fails fails the commit, and the old file stays', async () => {
    const dir = freshDir();
    const path = join(dir, 'long.wav');
    writeFileSync(path, 'the good file');
    let flushes = 0;
    const openTemp = async (temp: string) => {
      const handle = await open(temp, 'wx');
      handle.datasync = () => {
        flushes++;
        return Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      };
      return handle;
    };
    const file = await openAtomic(path, { openTemp });
    const error = await (async () => {
      for (let i = 0; i < 40; i++) await file.write(new Uint8Array(1 << 20));
      await file.commit();
    })().catch((e: unknown) => e);
    expect(flushes).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot write ${path}: `));
    expect(readFileSync(path, 'utf8')).toBe('the good file');
    expect(readdirSync(dir)).toEqual(['long.wav']);
  });
});
