import { describe, expect, it } from 'vitest';
import { changesFromStreamEvents, renderToS16 } from '../../src/core/synth/render';
import type { StreamEvent } from '../../src/core/stream/stream';
import { detectNotes } from '../support/audio';
import { runExample } from '../support/examples/support';

// The lessons are meant to be heard: render them as the CLI's --wav does and
// listen (FFT) for what the lesson says you will hear.

const RATE = 48_000;

function render(file: string) {
  const run = runExample(file);
  run.session.quit();
  const stream = run.events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
  const { changes, endNs } = changesFromStreamEvents(stream);
  const samples = renderToS16(changes, endNs ?? run.session.scheduler.nowNanos, { rate: RATE });
  /** The notes heard in 80 ms windows every 100 ms from `from` to `to` seconds. */
  const heard = (from: number, to: number) => {
    const windows: number[][] = [];
    for (let t = from; t + 0.08 <= to; t += 0.1) windows.push(detectNotes(samples, RATE, Math.round(t * RATE), Math.round(0.08 * RATE)).notes);
    return windows;
  };
  return { run, heard };
}

describe('blocking-vs-executor.txt, heard', () => {
  const { run, heard } = render('blocking-vs-executor.txt');
  const block = run.line('block 2');
  const offload = run.line('offload 2');

  it('under block the melody sticks on one note for the two seconds', () => {
    const windows = heard(block.start + 0.02, block.end);
    expect(windows.length).toBeGreaterThanOrEqual(18);
    expect(windows[0]).toHaveLength(1);
    for (const w of windows) expect(w).toEqual(windows[0]);
  });

  it('under offload it goes on through its notes', () => {
    const windows = heard(offload.start + 0.02, offload.end);
    const distinct = new Set(windows.map((w) => w.join(',')));
    expect(distinct.size).toBeGreaterThanOrEqual(3);
  });
});

describe('countdown.txt, heard', () => {
  it('plays the two voices one after the other, then together', () => {
    const { run, heard } = render('countdown.txt');
    const gather = run.line('gather countdown-a | countdown-b');
    const before = heard(0, gather.start).filter((w) => w.length > 0);
    const during = heard(gather.start, gather.end).filter((w) => w.length > 0);
    expect(before.every((w) => w.length === 1)).toBe(true);
    expect(during.some((w) => w.length === 2)).toBe(true);
  });
});

describe('races.txt, heard', () => {
  const { run, heard } = render('races.txt');
  const heardIn = (from: number, to: number) => new Set(heard(from, to).flat());

  it('you hear the two orders of the cue and the sync one after the other: C5 in asyncio\'s order, silence in the other', () => {
    const first = run.spansNamed('wait 1; sync go; beep C5 1').find((s) => s.kind === 'spawned')!;
    const other = run.spansNamed('wait 1.01; sync late; beep C5 1').find((s) => s.kind === 'spawned')!;
    expect(heardIn(first.start + 1.02, first.start + 1.9)).toEqual(new Set([60]));
    expect(heardIn(other.start + 1.02, other.start + 2.4)).toEqual(new Set());
  });

  it('and the two orders of the cancel: no A4 when it comes too late, A4 when it comes in time', () => {
    const late = run.line('wait 1; cancel t3; beep A4 1');
    const early = run.line('wait 0.99; cancel t4; beep A4 1');
    expect(heardIn(late.end + 0.02, early.start).has(57)).toBe(false);
    expect(heardIn(early.start + 1.01, early.end - 0.02)).toEqual(new Set([57]));
  });
});
