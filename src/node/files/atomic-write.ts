/**
 * Files written so that the name never holds a partial file: the bytes go to
 * a temporary file beside the target (same directory, so the same file
 * system), which is flushed to disk and then renamed over the target. If
 * anything fails (a full disk, a read-only directory, the process killed), the
 * old file under the name is intact; only a hidden `.NAME.*.tmp` can be left,
 * by a process killed mid-write (SIGKILL: a CLI removes its temporary files on
 * SIGINT and SIGTERM with removeTempFilesSync).
 *
 * The rename goes only over a regular file or a new name: renamed over
 * /dev/null or a symbolic link, it would replace the node itself (openOutput
 * in output-file.ts decides what to do with those).
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFileError, describeFileKind } from './file-error';

/** A write that failed: `message` is one line naming the file and the cause. */
export class FileWriteError extends Error {
  override name = 'FileWriteError';
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: string,
  ) {
    super(`cannot write ${path}: ${cause}`);
  }
}

/** A file being written; its name shows it only after `commit`. */
export interface AtomicFile {
  readonly path: string;
  /** Append bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Overwrite bytes already written, at `position` (a header whose sizes are known only at the end). */
  writeAt(bytes: Uint8Array, position: number): Promise<void>;
  /** Flush to disk and rename over the target. */
  commit(): Promise<void>;
  /** Throw the temporary file away; the target is untouched. Never throws. */
  abort(): Promise<void>;
}

export interface AtomicOptions {
  /** Opens the temporary file (tests open /dev/full to fill the disk). */
  openTemp?: (tempPath: string) => Promise<FileHandle>;
}

/** Temporary files being written by this process, for removeTempFilesSync. */
const tempFiles = new Set<string>();

/**
 * Remove every temporary file this process is writing, synchronously: for a
 * signal handler, which must clean up before the process dies. The targets
 * are untouched.
 */
export function removeTempFilesSync(): void {
  for (const temp of tempFiles) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  tempFiles.clear();
}

/**
 * The mode a file replacing `path` gets, or a FileWriteError if `path` is
 * neither a regular file nor a new name.
 */
async function modeForReplacing(path: string): Promise<number> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return 0o666; // a new name (or one the open of the temporary file will explain)
  }
  if (!info.isFile()) throw new FileWriteError(path, 'ENOTREG', `${describeFileKind(info)}, not a regular file to replace`);
  // A file replaced keeps its permissions.
  return info.mode & 0o7777;
}

/** `error` as a FileWriteError naming `path` (as it is, if it is one already). */
export function asWriteError(path: string, error: unknown): FileWriteError {
  if (error instanceof FileWriteError) return error;
  const e = error as NodeJS.ErrnoException;
  return new FileWriteError(path, e.code, describeFileError(e));
}

/** Bytes written between background flushes of a long file (see openAtomic). */
const FLUSH_EVERY_BYTES = 8 << 20;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Open `path` for an atomic write. Throws FileWriteError. */
export async function openAtomic(path: string, options: AtomicOptions = {}): Promise<AtomicFile> {
  const temp = tempPathFor(path);
  const mode = await modeForReplacing(path);
  let handle: FileHandle;
  try {
    handle = options.openTemp ? await options.openTemp(temp) : await open(temp, 'wx', mode);
  } catch (error) {
    throw asWriteError(path, error);
  }
  tempFiles.add(temp);
  return new TempFileWrite(path, temp, handle);
}

/**
 * The write of one temporary file, renamed over `path` on commit. Its methods
 * are bound (arrow properties): callers may pass them on unbound.
 */
class TempFileWrite implements AtomicFile {
  private position = 0;
  private closed = false;
  // A long file is flushed to disk while it is written (one flush at a time,
  // in the background), so the flush before the rename has little left to do.
  private unflushed = 0;
  private flushing: Promise<void> = Promise.resolve();
  private flushFailure: unknown = null;

  constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  // Each write's place is taken when it is called, so several may be under way at once.
  readonly write = (bytes: Uint8Array): Promise<void> => {
    const at = this.position;
    this.position += bytes.length;
    return this.guarded(async () => {
      await this.writeFully(bytes, at);
      this.flushAsYouGo(bytes.length);
    });
  };

  readonly writeAt = (bytes: Uint8Array, at: number): Promise<void> =>
    this.guarded(async () => void (await this.writeFully(bytes, at)));

  readonly commit = (): Promise<void> =>
    this.guarded(async () => {
      await this.flushing;
      if (this.flushFailure !== null) throw this.flushFailure;
      await this.handle.sync();
      this.closed = true;
      await this.handle.close();
      // The name may have become something else while the file was written.
      await modeForReplacing(this.path);
      await rename(this.temp, this.path);
      tempFiles.delete(this.temp);
      await syncDirectory(dirname(this.path));
    });

  readonly abort = async (): Promise<void> => {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => {});
    }
    await unlink(this.temp).catch(() => {});
    tempFiles.delete(this.temp);
  };

  private async writeFully(bytes: Uint8Array, at: number): Promise<number> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, at + done);
      if (bytesWritten <= 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
      done += bytesWritten;
    }
    return done;
  }

  private flushAsYouGo(bytes: number): void {
    if (this.flushFailure !== null) throw this.flushFailure;
    this.unflushed += bytes;
    if (this.unflushed < FLUSH_EVERY_BYTES) return;
    this.unflushed = 0;
    this.flushing = this.flushing
      .then(() => this.handle.datasync())
      .catch((error: unknown) => {
        this.flushFailure = error;
      });
  }

  /** Run a step; if it fails, the temporary file is thrown away and the error names the target. */
  private async guarded<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await this.abort();
      throw asWriteError(this.path, error);
    }
  }
}

/** Write the whole of `data` to `path` atomically. Throws FileWriteError. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicOptions = {}): Promise<void> {
  const file = await openAtomic(path, options);
  await file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  await file.commit();
}

/** The rename itself reaches the disk once the directory is flushed (not possible everywhere: best effort). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // e.g. Windows cannot open a directory; the rename is still atomic.
  }
}
