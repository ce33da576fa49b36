import type { StreamEvent } from '../../core/stream/stream';
import { Synth } from '../../core/synth/synth';
import { sampleAt } from '../../core/time';

/** Samples rendered per write: 1.4 s at 48 kHz, so memory stays at a few hundred KB whatever the length. */
const CHUNK_SAMPLES = 1 << 16;

/**
 * Renders a frequency stream to PCM as the virtual clock advances and hands
 * it on in fixed-size chunks, so a render of any length takes constant memory
 * (issue 11: --wav held the whole render, 4.3 GB for `wait 44739`).
 */
export class StreamingRender<A extends Int16Array | Uint8Array> {
  private readonly synth: Synth;
  private chunk: A;
  private filled = 0;

  constructor(
    options: { rate: number; exact: boolean },
    private readonly makeChunk: (length: number) => A,
    private readonly sink: (samples: A) => Promise<void> | void,
  ) {
    this.synth = new Synth(options);
    this.chunk = makeChunk(CHUNK_SAMPLES);
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

  /** The stream ends at `endNs` unless it already has: render its last samples and hand on the rest. */
  async finish(endNs: number): Promise<void> {
    this.synth.end(endNs);
    await this.renderTo(this.synth.length ?? 0);
    if (this.filled > 0) await this.sink(this.chunk.subarray(0, this.filled) as A);
    this.filled = 0;
  }

  private async renderTo(target: number): Promise<void> {
    while (this.synth.position < target) {
      const upTo = Math.min(target, this.synth.position + (this.chunk.length - this.filled));
      this.filled += this.synth.render(upTo, this.chunk, this.filled);
      if (this.filled === this.chunk.length) {
        const full = this.chunk;
        // A new chunk: the sink may still hold the old one (a stream's write queue).
        this.chunk = this.makeChunk(CHUNK_SAMPLES);
        this.filled = 0;
        await this.sink(full);
      }
    }
  }
}
