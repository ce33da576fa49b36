import type { StreamEvent } from '../../core/stream/stream';
import type { SampleBank } from '../../core/synth/sample-bank';
import { Synth } from '../../core/synth/synth';
import { sampleAt } from '../../core/time';

/** Samples rendered per write: 1.4 s at 48 kHz, so memory stays at a few hundred KB whatever the length. */
const CHUNK_SAMPLES = 1 << 16;
/** Writes that may be under way while the next chunk renders (rendering and the disk overlap). */
const WRITES_IN_FLIGHT = 3;

/**
 * Where rendered chunks go. `write` returns a promise when the chunk's memory
 * is free again once it resolves (a file write); a sink that keeps the chunk
 * (a stream's write queue) returns nothing, and gets a fresh chunk each time.
 */
export type ChunkSink<A> = (samples: A) => Promise<void> | void;

/**
 * Renders a frequency stream to PCM as the virtual clock advances and hands
 * it on in fixed-size chunks, so a render of any length takes constant memory
 * (issue 11: --wav held the whole render, 4.3 GB for `wait 44739`). Up to
 * WRITES_IN_FLIGHT chunks are being written while the next one renders, and
 * chunks whose write has finished are used again: fresh memory costs a page
 * fault per 4 KiB, as much as rendering it.
 */
export class StreamingRender<A extends Int16Array | Uint8Array> {
  private readonly synth: Synth;
  private chunk: A;
  private filled = 0;
  private readonly free: A[] = [];
  private readonly inFlight: Promise<void>[] = [];

  /** Frames per chunk (a frame is a sample of each channel). */
  private readonly chunkFrames = CHUNK_SAMPLES;

  constructor(
    options: { rate: number; exact: boolean; channels?: 1 | 2; samples?: SampleBank },
    private readonly makeChunk: (length: number) => A,
    private readonly sink: ChunkSink<A>,
  ) {
    this.synth = new Synth(options);
    this.chunk = makeChunk(this.chunkFrames * this.synth.channels);
  }

  push(event: StreamEvent): void {
    this.synth.push(event);
  }

  /**
   * Render every sample before logical time `ns` (no change can come earlier
   * once the clock is there).
   */
  async renderBefore(ns: number): Promise<void> {
    await this.renderTo(sampleAt(ns, this.synth.rate));
  }

  /**
   * The stream ends at `endNs` unless it already has: render its last samples
   * and its tails (until they are silent: Synth.length), hand on the rest, and wait for every write.
   */
  async finish(endNs: number): Promise<void> {
    this.synth.end(endNs);
    while (!this.synth.done) {
      this.filled += this.synth.renderToEnd(this.chunkFrames - this.filled, this.chunk, this.filled);
      if (this.filled === this.chunkFrames) await this.sendFull();
    }
    if (this.filled > 0) {
      await this.roomToSend();
      this.send(this.chunk.subarray(0, this.filled * this.synth.channels) as A, null);
    }
    this.filled = 0;
    await this.settle();
  }

  private async renderTo(target: number): Promise<void> {
    while (this.synth.position < target) {
      const upTo = Math.min(target, this.synth.position + (this.chunkFrames - this.filled));
      this.filled += this.synth.render(upTo, this.chunk, this.filled);
      if (this.filled === this.chunkFrames) await this.sendFull();
    }
  }

  /** The chunk is full: send it, and go on in a free one. */
  private async sendFull(): Promise<void> {
    const full = this.chunk;
    await this.roomToSend();
    this.chunk = this.free.pop() ?? this.makeChunk(this.chunkFrames * this.synth.channels);
    this.filled = 0;
    this.send(full, full);
  }

  /** Fewer than WRITES_IN_FLIGHT writes are under way (a failed one throws here). */
  private async roomToSend(): Promise<void> {
    while (this.inFlight.length >= WRITES_IN_FLIGHT) await this.inFlight[0];
  }

  /** Start writing `samples`; `whole`, if given, goes back to the free list once the write is done. */
  private send(samples: A, whole: A | null): void {
    const written = this.sink(samples);
    if (written === undefined) return;
    const done: Promise<void> = written.then(() => {
      this.inFlight.splice(this.inFlight.indexOf(done), 1);
      if (whole !== null) this.free.push(whole);
    });
    // A failure is seen by whoever awaits it (settle, or the wait above), never as an unhandled rejection.
    done.catch(() => {});
    this.inFlight.push(done);
  }

  /** Every write started has finished; the first failure, if any, is thrown. */
  private async settle(): Promise<void> {
    const results = await Promise.allSettled([...this.inFlight]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }
}
