/**
 * Stereo renders: pan moves a voice's energy between the channels with equal
 * power, a voice at the centre sounds in each channel as it does in mono, and
 * mono renders (--raw, --exact) keep every voice in their one channel.
 */
import { describe, expect, it } from 'vitest';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { FrequencyStream, noteFrequency, type StreamEvent, type VoiceOptions } from '../../../src/core/stream';
import { Synth } from '../../../src/core/synth';
import { goertzelAmplitude, interleavedChannel } from '../../support/audio';

const RATE = 48000;
const db = (x: number) => 20 * Math.log10(x);

/** One voice of A4 with `options`, held for a second: its stream events. */
function held(options: VoiceOptions): StreamEvent[] {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  scheduler.spawn((function* () {
    stream.add(57, 1, options);
    yield* sleep(1);
    stream.end();
  })(), { name: 'a' });
  scheduler.runUntilIdle();
  return events;
}

/** The render's two channels (stereo) or one (mono). */
function renderChannels(events: StreamEvent[], channels: 1 | 2): Float32Array[] {
  const synth = new Synth({ rate: RATE, channels });
  for (const e of events) synth.push(e);
  // rendered to its end in pieces (the length is known once the tails are silent)
  const pieces: Float32Array[] = [];
  while (!synth.done) {
    const piece = new Float32Array(4096 * channels);
    pieces.push(piece.subarray(0, synth.renderToEnd(4096, piece) * channels));
  }
  const frames = synth.length!;
  const out = new Float32Array(frames * channels);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  if (channels === 1) return [out];
  return [interleavedChannel(out, 2, 0), interleavedChannel(out, 2, 1)];
}

const a4 = (x: Float32Array) => goertzelAmplitude(x, RATE, 0.2 * RATE, 0.5 * RATE, noteFrequency(57));

describe('stereo', () => {
  it('a voice at the centre sounds in each channel at its level, as in mono', () => {
    const [left, right] = renderChannels(held({ level: 0.2 }), 2);
    const [mono] = renderChannels(held({ level: 0.2 }), 1);
    expect(Math.abs(db(a4(left)) - db(0.2))).toBeLessThan(0.1);
    expect(Array.from(left)).toEqual(Array.from(right));
    expect(Array.from(left)).toEqual(Array.from(mono));
  });

  it('pan moves the energy between the channels with equal power', () => {
    const rows = [-1, -0.5, 0, 0.3, 1].map((pan) => {
      const [left, right] = renderChannels(held({ level: 0.2, pan }), 2);
      return { pan, left: a4(left), right: a4(right) };
    });
    // the power of both channels together is the same at every pan: twice the mono power
    for (const row of rows) expect(Math.abs(10 * Math.log10((row.left ** 2 + row.right ** 2) / (2 * 0.2 ** 2))), JSON.stringify(row)).toBeLessThan(0.1);
    // and it moves from the left to the right as pan goes from -1 to 1
    const share = rows.map((r) => r.right / (r.left + r.right + 1e-12));
    for (let i = 1; i < share.length; i++) expect(share[i]).toBeGreaterThan(share[i - 1]);
    expect(rows[0].right).toBeLessThan(1e-6);
    expect(rows[4].left).toBeLessThan(1e-6);
    // half way left: left/right = cot(pi/8), 2.41 (equal power), not 3 (a straight line)
    expect(rows[1].left / rows[1].right).toBeCloseTo(Math.cos(Math.PI / 8) / Math.sin(Math.PI / 8), 2);
  });

  it('a mono render keeps a panned voice at its level in its one channel', () => {
    const [mono] = renderChannels(held({ level: 0.2, pan: -1 }), 1);
    expect(Math.abs(db(a4(mono)) - db(0.2))).toBeLessThan(0.1);
  });

  it('limits a loud panned mix with one gain for both channels (the image stays), within full scale', () => {
    const scheduler = new Scheduler();
    const stream = new FrequencyStream(scheduler);
    const events: StreamEvent[] = [];
    stream.subscribe((e) => events.push(e));
    scheduler.spawn((function* () {
      for (let i = 0; i < 6; i++) stream.add(57, i + 1, { level: 0.5, pan: -0.5 });
      yield* sleep(1);
      stream.end();
    })(), { name: 'a' });
    scheduler.runUntilIdle();
    const [left, right] = renderChannels(events, 2);
    let peak = 0;
    for (const x of [...left, ...right]) peak = Math.max(peak, Math.abs(x));
    expect(peak).toBeLessThanOrEqual(1);
    expect(a4(left) / a4(right)).toBeCloseTo(Math.cos(Math.PI / 8) / Math.sin(Math.PI / 8), 2);
  });
});
