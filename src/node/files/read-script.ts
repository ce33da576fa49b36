/**
 * Reading a script file with a size cap, refusing anything that is not a
 * regular file: /dev/zero, a FIFO or a terminal would be read forever.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LIMITS } from '../../protocol/limits';
import { describeFileError, describeFileKind } from './file-error';

/** The largest script read, in bytes: the limit a script sent to the app has too (LIMITS.scriptLength, 1 MiB). */
export const MAX_SCRIPT_BYTES = LIMITS.scriptLength;

/** A read that failed or was refused: `message` is one line naming the file and the cause. */
export class FileReadError extends Error {
  override name = 'FileReadError';
  constructor(
    readonly path: string,
    /** Why, without the file's name. */
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}

function tooLarge(path: string, maxBytes: number): FileReadError {
  return new FileReadError(path, tooLargeCause(maxBytes));
}

function tooLargeCause(maxBytes: number): string {
  return `larger than ${describeBytes(maxBytes)}, the largest script corotone reads`;
}

/** The whole of the regular file `path`, at most `maxBytes`. Throws FileReadError. */
export async function readScriptFile(path: string, maxBytes = MAX_SCRIPT_BYTES): Promise<Uint8Array> {
  let handle;
  try {
    // Non-blocking, so opening a FIFO with no writer does not hang before the check below refuses it.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileReadError(path, describeFileError(error as NodeJS.ErrnoException));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileReadError(path, `not a regular file (${describeFileKind(info)})`);
    if (info.size > maxBytes) {
      // A large file given by mistake is most often a render (`corotone out.wav`): say what it is.
      const head = new Uint8Array(12);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      throw new FileReadError(path, notAScript(head.subarray(0, bytesRead)) ?? tooLargeCause(maxBytes));
    }
    // The size may be wrong (a file that grows while read): read on, never past the cap.
    let buffer = new Uint8Array(info.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes + 1, buffer.length * 2));
        grown.set(buffer);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw tooLarge(path, maxBytes);
    }
    const bytes = buffer.slice(0, length);
    const notText = notAScript(bytes);
    if (notText !== null) throw new FileReadError(path, notText);
    return bytes;
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(path, describeFileError(error as NodeJS.ErrnoException));
  } finally {
    await handle.close();
  }
}

/** All of a stream (standard input), at most `maxBytes`. Throws FileReadError naming `name`. */
export async function readStreamCapped(stream: Readable, name: string, maxBytes = MAX_SCRIPT_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += bytes.length;
    if (length > maxBytes) {
      stream.destroy();
      throw tooLarge(name, maxBytes);
    }
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** notAScript's reason for a WAV file. */
export const WAV_NOT_A_SCRIPT = 'a WAV file (audio), not a script';

/** Bytes looked at for a NUL, as git and grep do to tell binary files from text. */
const SNIFF_BYTES = 8000;

/**
 * Why `bytes` is not a script, or null: a file given by mistake (`corotone
 * song.wav`) is refused in one line rather than read as hundreds of bad lines.
 */
export function notAScript(bytes: Uint8Array): string | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && (ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'RF64') && ascii(8, 12) === 'WAVE') return WAV_NOT_A_SCRIPT;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return 'UTF-16 text; corotone reads UTF-8: save the file as UTF-8';
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return 'a binary file (it holds NUL bytes), not a text script';
  return null;
}

function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
