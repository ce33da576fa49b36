import type { RealTimeDriver } from '../../core/scheduler/realtime';
import type { SampleBank } from '../../core/synth/sample-bank';
import { Synth } from '../../core/synth/synth';
import type { StreamEvent } from '../../core/stream/stream';
import { nsToSeconds, sampleAt, secondsToNs } from '../../core/time';

export interface LivePcmOptions {
  rate: number;
  exact: boolean;
  /** How far the output trails the clock, so changes arrive before their sample is written. */
  latencyMs: number;
  /** How often to write, in ms. */
  tickMs?: number;
  /** The session's decoded samples (`sample PATH`). */
  samples?: SampleBank;
}

/**
 * Writes the demo's raw PCM paced by the real clock. What it writes is computed
 * from logical time (each change lands on its exact sample), trailing the clock
 * by `latencyMs`; when pacing falls behind it says so on stderr and catches up
 * by writing every missing sample, never dropping any.
 */
export class LivePcmWriter {
  private readonly synth: Synth;
  private readonly latencyNs: number;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | null = null;
  private lastTickWall = 0;
  private lateReported = 0;
  private finished: (() => void) | null = null;
  /** Samples written so far. */
  written = 0;

  constructor(
    private readonly driver: RealTimeDriver,
    private readonly out: { write(samples: Uint8Array): unknown },
    private readonly warn: (line: string) => void,
    options: LivePcmOptions,
  ) {
    this.synth = new Synth({ rate: options.rate, exact: options.exact, samples: options.samples });
    this.latencyNs = secondsToNs(options.latencyMs / 1000);
    this.tickMs = options.tickMs ?? 20;
  }

  push(event: StreamEvent): void {
    this.synth.push(event);
  }

  start(): void {
    this.lastTickWall = this.driver.wallNs();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /** Resolves once the stream has ended and every sample up to its end is written. */
  whenDone(): Promise<void> {
    return new Promise((resolve) => {
      this.finished = resolve;
      this.tick();
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Write up to `count` samples of the stream's end (all that is left, when Infinity). */
  private writeTail(count: number): void {
    while (count > 0 && !this.synth.done) {
      const samples = new Uint8Array(Math.min(count, this.synth.rate));
      const n = this.synth.renderToEnd(samples.length, samples);
      this.written += n;
      this.out.write(samples.subarray(0, n));
      count -= n;
    }
  }

  private tick(): void {
    const wall = this.driver.wallNs();
    const gapMs = (wall - this.lastTickWall) / 1e6;
    this.lastTickWall = wall;
    if (gapMs > this.tickMs + Math.max(50, this.latencyNs / 1e6)) {
      this.warn(`corotone: output fell behind the clock by ${Math.round(gapMs - this.tickMs)} ms; catching up (no samples dropped)`);
    }
    const logicalNs = this.driver.logicalNowNs() - this.latencyNs;
    const target = logicalNs > 0 ? sampleAt(logicalNs, this.synth.rate) : 0;
    // Once the stream has ended, its tails (releases, effects) render up to where they fall silent, and no further.
    if (this.synth.ended) this.writeTail(this.finished !== null ? Infinity : target - this.synth.position);
    else if (target > this.synth.position) {
      const samples = new Uint8Array(target - this.synth.position);
      this.synth.render(target, samples);
      this.written += samples.length;
      this.out.write(samples);
    }
    if (this.synth.lateChanges > this.lateReported) {
      const late = this.synth.lateChanges - this.lateReported;
      this.lateReported = this.synth.lateChanges;
      this.warn(`corotone: ${late} note change(s) arrived after their sample was written (t = ${nsToSeconds(logicalNs).toFixed(3)} s); raise --latency`);
    }
    if (this.finished && this.synth.done) {
      this.stop();
      const done = this.finished;
      this.finished = null;
      done();
    }
  }
}
