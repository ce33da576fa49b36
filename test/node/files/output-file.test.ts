import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError, openAtomic, openOutput, WavFileWriter, writeOutputFile } from '../../../src/node/files';
import { parseWav } from '../../support/audio';
import { freshDir, makeDevice, makeFifo, makeSocket } from '../../support/files/nodes';

const failureOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => null,
  (error: unknown) => error,
);

describe('openOutput writes each kind of name as it should be written', () => {
  it('a FIFO: the bytes go through it, in order, and it stays a FIFO', async (context) => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    if (!makeFifo(fifo)) return context.skip('mkfifo is not available');
    const received = readFile(fifo);
    const file = await openOutput(fifo);
    expect(file.seekable).toBe(false);
    // Started together, as a render keeps several writes in flight: they still arrive in order.
    await Promise.all(['one ', 'two ', 'three'].map((word) => file.write(Buffer.from(word))));
    await file.commit();
    expect((await received).toString()).toBe('one two three');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('a copy of /dev/null made with mknod: written to, still the device, nothing beside it', async (context) => {
    const dir = freshDir();
    const device = join(dir, 'null');
    const why = makeDevice(device, 'c', 1, 3);
    if (why !== null) return context.skip(why);
    await writeOutputFile(device, 'x'.repeat(100_000));
    const after = lstatSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.rdev).toBe(statSync('/dev/null').rdev);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('a symbolic link: the file it points to is replaced atomically, the link is kept', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'song.json');
    writeFileSync(target, 'old');
    symlinkSync(join('real', 'song.json'), join(dir, 'link.json'));
    await writeOutputFile(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe(join('real', 'song.json'));
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['song.json']);
  });

  it('a link to a link to nothing yet: the file is made where the last one points', async () => {
    const dir = freshDir();
    symlinkSync('new.txt', join(dir, 'b'));
    symlinkSync('b', join(dir, 'a'));
    await writeOutputFile(join(dir, 'a'), 'made');
    expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('made');
    expect(lstatSync(join(dir, 'a')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'b')).isSymbolicLink()).toBe(true);
  });

  it('a loop of links: one line, nothing written', async () => {
    const dir = freshDir();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const error = await failureOf(writeOutputFile(join(dir, 'a'), 'data'));
    expect((error as Error).message).toBe(`cannot write ${join(dir, 'a')}: too many levels of symbolic links`);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('a link to a FIFO writes into the FIFO', async (context) => {
    const dir = freshDir();
    if (!makeFifo(join(dir, 'pipe'))) return context.skip('mkfifo is not available');
    symlinkSync('pipe', join(dir, 'out'));
    const received = readFile(join(dir, 'pipe'));
    await writeOutputFile(join(dir, 'out'), 'through the link');
    expect((await received).toString()).toBe('through the link');
    expect(lstatSync(join(dir, 'out')).isSymbolicLink()).toBe(true);
  });

  type Case = [kind: string, make: (path: string) => Promise<string | null>, isStill: (path: string) => boolean];
  it.for<Case>([
    ['a directory', async (path) => (mkdirSync(path), null), (path) => lstatSync(path).isDirectory()],
    ['a socket', async (path) => ((await makeSocket(path)).unref(), null), (path) => lstatSync(path).isSocket()],
    ['a block device', async (path) => makeDevice(path, 'b', 7, 0), (path) => lstatSync(path).isBlockDevice()],
  ])('refuses %s in one line, and leaves it as it was', async ([kind, make, isStill], context) => {
    const dir = freshDir();
    const path = join(dir, 'node');
    const whyNot = await make(path);
    if (typeof whyNot === 'string') return context.skip(whyNot);
    const error = await failureOf(writeOutputFile(path, 'data'));
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as Error).message).toBe(`cannot write ${path}: ${kind}, not a file, a pipe or a character device to write to`);
    expect(isStill(path)).toBe(true);
    expect(readdirSync(dir)).toEqual(['node']);
  });

  it('a WAV into a FIFO has its header first, and a reader takes the samples to the end', async (context) => {
    const dir = freshDir();
    const fifo = join(dir, 'pipe');
    if (!makeFifo(fifo)) return context.skip('mkfifo is not available');
    const received = readFile(fifo);
    const wav = await WavFileWriter.open(fifo, 8000, 16_000);
    await wav.write(new Int16Array(4000).fill(1000));
    await wav.write(new Int16Array(4000).fill(-1000));
    await wav.commit();
    const parsed = parseWav(new Uint8Array(await received));
    expect(parsed.rate).toBe(8000);
    expect(parsed.samples.length).toBe(8000);
    expect(parsed.samples[0]).toBeGreaterThan(0);
    expect(parsed.samples[7999]).toBeLessThan(0);
  });
});

describe('openAtomic renames only over a regular file or a new name', () => {
  it('refuses a symbolic link, a FIFO and a device, and leaves them as they were', async (context) => {
    const dir = freshDir();
    writeFileSync(join(dir, 'target'), 'kept');
    symlinkSync('target', join(dir, 'link'));
    const names: [string, string][] = [['link', 'a symbolic link']];
    if (makeFifo(join(dir, 'pipe'))) names.push(['pipe', 'a pipe']);
    const noDevice = makeDevice(join(dir, 'null'), 'c', 1, 3);
    if (noDevice === null) names.push(['null', 'a character device']);
    for (const [name, kind] of names) {
      const path = join(dir, name);
      const error = await failureOf(openAtomic(path));
      expect((error as Error).message).toBe(`cannot write ${path}: ${kind}, not a regular file to replace`);
    }
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('kept');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    if (noDevice !== null) context.skip(`the device case: ${noDevice}`);
  });

  it('a name that became a link while the file was written is not renamed over', async () => {
    const dir = freshDir();
    const path = join(dir, 'out.txt');
    const file = await openAtomic(path);
    await file.write(Buffer.from('new'));
    writeFileSync(join(dir, 'elsewhere'), 'kept');
    symlinkSync('elsewhere', path);
    const error = await failureOf(file.commit());
    expect((error as Error).message).toBe(`cannot write ${path}: a symbolic link, not a regular file to replace`);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['elsewhere', 'out.txt']);
  });
});
