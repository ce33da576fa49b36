import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * File system nodes a test makes for itself, never the machine's own: a FIFO,
 * a copy of /dev/null (character device 1,3) or of a loop block device (7,0)
 * made with mknod, a listening Unix socket.
 */
export const freshDir = (prefix = 'corotone-nodes-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A FIFO at `path`; false if mkfifo is not there or not allowed. */
export function makeFifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

/** A device node at `path` (mknod needs root and the capability): null if made, else why not. */
export function makeDevice(path: string, kind: 'c' | 'b', major: number, minor: number): string | null {
  const made = spawnSync('mknod', [path, kind, String(major), String(minor)], { encoding: 'utf8' });
  if (made.error) return `mknod is not available (${made.error.message})`;
  return made.status === 0 ? null : `mknod is not allowed here: ${made.stderr.trim()}`;
}

/** A Unix socket listening at `path`; close the server when done. */
export function makeSocket(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

/**
 * Everything written into the FIFO at `path` until its writer closes it.
 * `release()` ends a read still waiting for a writer (the command under test
 * failed before opening it), so a failing test does not hang.
 */
export function readFifo(path: string): { bytes: Promise<Buffer>; release(): void } {
  return {
    bytes: readFile(path),
    release: () => {
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader waiting: nothing to release
      }
    },
  };
}
