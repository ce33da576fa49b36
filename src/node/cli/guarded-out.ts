import type { Writable } from 'node:stream';
import { describeFileError } from '../files/file-error';

/**
 * Standard output as a Unix filter treats it: when the reader goes away
 * (`| head -1`, EPIPE) the run ends quietly; any other failure (a full disk
 * behind `> file`) is kept to be reported in one line. Writes after either
 * are dropped.
 */
export class GuardedOut {
  closed = false;
  /** Why writing failed, when it was not the reader closing the pipe. */
  failure: string | null = null;
  private readonly closeHooks: (() => void)[] = [];

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!this.closed && error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
        this.failure = `cannot write standard output: ${describeFileError(error)}`;
      }
      this.close();
    });
  }

  /** Runs `hook` once, when the output closes. */
  onClose(hook: () => void): void {
    if (this.closed) hook();
    else this.closeHooks.push(hook);
  }

  write(chunk: string | Uint8Array): void {
    if (!this.closed) this.stream.write(chunk);
  }

  /** Resolves once what was written has gone out (or the output closed): backpressure for long renders. */
  drained(): Promise<void> {
    const stream = this.stream as Partial<Writable>;
    if (this.closed || stream.writableNeedDrain !== true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.removeListener('drain', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.onClose(done);
    });
  }

  /** Resolves once everything written is flushed (or the output closed). */
  flushed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.write(new Uint8Array(0), () => resolve());
      this.onClose(resolve);
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
  }
}
