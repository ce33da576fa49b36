import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session';
import type { StreamEvent } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToS16 } from '../../../src/core/synth';
import { StreamingRender } from '../../../src/node/cli/streaming-render';

/** A few seconds of overlapping notes: many chunks of 2^16 samples at 48 kHz. */
function streamOf(script: string): StreamEvent[] {
  const session = new Session();
  const events: StreamEvent[] = [];
  session.stream.subscribe((e) => events.push(e));
  session.loadScript('s.txt', script);
  session.scheduler.runUntilIdle();
  if (!session.ended) session.quit();
  return events;
}

const SCRIPT = Array.from({ length: 40 }, (_, i) => `beep ${60 + (i % 7)} 0.25${i % 3 === 0 ? ' &' : ''}`).join('\n');

function endOf(events: StreamEvent[]): number {
  return changesFromStreamEvents(events).endNs!;
}

/** Feed the events as the CLI does, rendering up to each one's time. */
async function renderStreaming(events: StreamEvent[], sink: (s: Int16Array) => Promise<void> | void): Promise<void> {
  const render = new StreamingRender({ rate: 48000, exact: false }, (n) => new Int16Array(n), sink);
  for (const e of events) {
    await render.renderBefore(e.ns);
    render.push(e);
  }
  await render.finish(endOf(events));
}

describe('StreamingRender', () => {
  it('hands on, in order, exactly the samples of a whole render, while writes are slow and overlap', async () => {
    const events = streamOf(SCRIPT);
    const whole = renderToS16(changesFromStreamEvents(events).changes, endOf(events));
    const parts: Int16Array[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    await renderStreaming(events, (samples) => {
      const copyWhenGiven = samples.slice();
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise((resolve) =>
        setTimeout(() => {
          // The chunk must not have been reused while its write was under way.
          expect(samples).toEqual(copyWhenGiven);
          parts.push(copyWhenGiven);
          inFlight--;
          resolve();
        }, 5),
      );
    });
    const joined = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(whole.length).toBeGreaterThan(4 * 65536);
    expect(joined).toEqual(whole);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(3);
  });

  it('renders the tails after the end (a release, echoes, a reverb) as a whole render does, and only as far as they ring', async () => {
    const events = streamOf('fx delay 0.3 0.6\nfx reverb 0.7\nenv 0.01 0 1 1\nbeep 60 0.5\nbeep 64 0.2 fx=lpf:500');
    const whole = renderToS16(changesFromStreamEvents(events).changes, endOf(events));
    const parts: Int16Array[] = [];
    await renderStreaming(events, (samples) => void parts.push(samples.slice()));
    const joined = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    // the script ends at 0.7 s; the 1 s release alone rings to 1.7 s, the echoes longer
    expect(whole.length / 48000).toBeGreaterThan(1.7);
    expect(joined).toEqual(whole);
  });

  it('gives a sink that keeps its chunks (returns nothing) a new chunk each time', async () => {
    const kept: Int16Array[] = [];
    await renderStreaming(streamOf(SCRIPT), (samples) => void kept.push(samples));
    expect(new Set(kept.map((k) => k.buffer)).size).toBe(kept.length);
  });

  it('a failed write ends the render with its error, and no rejection goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let writes = 0;
      const error = await renderStreaming(streamOf(SCRIPT), () => {
        writes++;
        return writes === 2 ? Promise.reject(new Error('disk gone')) : new Promise((r) => setTimeout(r, 2));
      }).catch((e: unknown) => e);
      expect((error as Error).message).toBe('disk gone');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
