/**
 * The timbres heard side by side (issue 19): at one amp each is about as loud
 * as a sine (RMS), and none leans to one side (its mean, the DC, is near 0).
 * Before, am had a DC of 0.027 at level 0.1 and fm one of 0.0085, and the
 * timbres were up to 5 dB apart. Judged from the rendered WAV only.
 */
import { describe, expect, it } from 'vitest';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { DEFAULT_LEVEL, FrequencyStream, type StreamEvent, type Timbre } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { parseWav } from '../../support/audio';

const RATE = 48000;
/** The pitched timbres (Web Audio's four and Tone's fm and am). */
const TIMBRES: readonly Timbre[] = ['sine', 'triangle', 'square', 'sawtooth', 'fm', 'am'];

/** A note held from `start` to `start + 1` s in `timbre` at the default level, as a WAV render's samples. */
function held(timbre: Timbre, note: number, start: number): Float32Array {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const at = (t: number, body: () => void) => void scheduler.spawn((function* () { yield* sleep(t); body(); })(), { name: `at ${t}` });
  at(start, () => stream.add(note, 1, { timbre }));
  at(start + 1, () => stream.end());
  scheduler.runUntilIdle();
  const { changes, endNs } = changesFromStreamEvents(events);
  return parseWav(renderToWav(changes, endNs!, { rate: RATE })).samples;
}

/** Mean and RMS of the samples over [from, to) seconds. */
function measure(samples: Float32Array, from: number, to: number): { mean: number; rms: number } {
  const a = Math.round(from * RATE);
  const b = Math.round(to * RATE);
  let sum = 0;
  let square = 0;
  for (let k = a; k < b; k++) {
    sum += samples[k];
    square += samples[k] * samples[k];
  }
  return { mean: sum / (b - a), rms: Math.sqrt(square / (b - a)) };
}

const db = (x: number): number => 20 * Math.log10(x);
const show = (label: string, value: unknown) => {
  if (process.env.SHOW_TIMBRES) console.log(label, JSON.stringify(value));
};

describe('the timbres at one amp', () => {
  // 110, 220, 440 and 1760 Hz (the table timbres have fewer harmonics higher up)
  const notes = [33, 45, 57, 81];

  it.each(notes)('are centred on zero: a mean under 0.001 in every timbre (note %i)', (note) => {
    const means = Object.fromEntries(TIMBRES.map((timbre) => [timbre, measure(held(timbre, note, 0), 0.2, 0.95).mean]));
    show(`mean at note ${note}`, means);
    for (const timbre of TIMBRES) expect(Math.abs(means[timbre]), `${timbre}: ${JSON.stringify(means)}`).toBeLessThan(0.001);
  });

  it('centres fm whenever its note starts (its carrier starts where Tone’s would, at any time)', () => {
    for (const start of [0.0001, 0.0123, 0.3337]) {
      const { mean } = measure(held('fm', 45, start), start + 0.2, start + 0.95);
      expect(Math.abs(mean), `start ${start}`).toBeLessThan(0.001);
    }
  });

  it.each(notes)('are within 1 dB RMS of one another, each about a sine’s level (note %i)', (note) => {
    const levels = Object.fromEntries(TIMBRES.map((timbre) => [timbre, db(measure(held(timbre, note, 0), 0.2, 0.95).rms)]));
    show(`RMS dB at note ${note}`, levels);
    const all = Object.values(levels);
    expect(Math.max(...all) - Math.min(...all), JSON.stringify(levels)).toBeLessThan(1);
    // a sine at the default level: its RMS is the level over √2
    expect(Math.abs(levels.sine - db(DEFAULT_LEVEL * Math.SQRT1_2))).toBeLessThan(0.1);
  });
});
