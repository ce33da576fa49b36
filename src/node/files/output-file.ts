/**
 * Where an output file (--wav, --trace, --to-python) goes, by what its name is:
 * - a regular file or a new name: written atomically (atomic-write.ts);
 * - a symbolic link: written atomically at the file it points to, the link kept;
 * - a character device or a FIFO (/dev/null, /dev/stdout, a named pipe):
 *   written to directly, in order, as a stream (nothing to rename over);
 * - anything else (a directory, a socket, a block device): refused in one line.
 * `--wav /dev/stdout` once replaced the machine's /dev/stdout link with a file.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { asWriteError, FileWriteError, openAtomic, type AtomicFile, type AtomicOptions } from './atomic-write';
import { describeFileError, describeFileKind } from './file-error';

/** An output being written: an AtomicFile, or a stream that cannot go back (`seekable` false: no writeAt). */
export interface OutputFile extends AtomicFile {
  /** False for a device or a pipe: bytes go out in order and `writeAt` throws. */
  readonly seekable: boolean;
}

/** Symbolic links followed before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/** Open `path` for writing as its kind asks (see above). Throws FileWriteError. */
export async function openOutput(path: string, options: AtomicOptions = {}): Promise<OutputFile> {
  const info = await stat(path).catch(() => null); // follows links; null for a new name (or a dangling link)
  if (info !== null && (info.isCharacterDevice() || info.isFIFO())) return openStream(path);
  if (info !== null && !info.isFile()) {
    throw new FileWriteError(path, 'ENOTREG', `${describeFileKind(info)}, not a file, a pipe or a character device to write to`);
  }
  const target = await finalTarget(path).catch((error: unknown) => Promise.reject(asWriteError(path, error)));
  const file = await openAtomic(target, options);
  return { ...file, seekable: true };
}

/** Write the whole of `data` to `path` as openOutput does. Throws FileWriteError. */
export async function writeOutputFile(path: string, data: Uint8Array | string, options: AtomicOptions = {}): Promise<void> {
  const file = await openOutput(path, options);
  await file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  await file.commit();
}

/** The name at the end of `path`'s symbolic links (itself if it is none; a dangling link's target is a new name). */
async function finalTarget(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const info = await lstat(current).catch(() => null);
    if (info === null || !info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new FileWriteError(path, 'ELOOP', describeFileError({ code: 'ELOOP' } as NodeJS.ErrnoException));
}

/** A device or a FIFO, written in order (a FIFO's open waits for a reader, off the main thread). */
async function openStream(path: string): Promise<OutputFile> {
  const fail = (error: unknown): FileWriteError => asWriteError(path, error);
  let handle: FileHandle;
  try {
    // No O_CREAT, no O_TRUNC: the node is there, and a device has nothing to truncate.
    handle = await open(path, constants.O_WRONLY);
  } catch (error) {
    throw fail(error);
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => {});
  };
  // Writes may be started several at once (a render keeps a few in flight): they go out one after another.
  let queue: Promise<void> = Promise.resolve();
  let failure: FileWriteError | null = null;
  const writeInOrder = (bytes: Uint8Array): Promise<void> => {
    const done = queue.then(async () => {
      if (failure !== null) throw failure;
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, null);
        written += bytesWritten;
      }
    });
    queue = done.catch(() => {});
    return done.catch(async (error: unknown) => {
      failure ??= fail(error);
      await close();
      throw failure;
    });
  };
  return {
    path,
    seekable: false,
    write: writeInOrder,
    writeAt: () => Promise.reject(new FileWriteError(path, 'ESPIPE', 'a stream, which cannot be written out of order')),
    commit: async () => {
      await queue;
      if (failure !== null) throw failure;
      await close();
    },
    abort: close,
  };
}
