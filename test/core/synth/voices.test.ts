/**
 * Voices as a listener hears them: the stream is played by the scheduler,
 * rendered to a WAV file, and judged from the audio only (levels in dB, the
 * dip at a re-articulation, onsets, spectra).
 */
import { describe, expect, it } from 'vitest';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { DEFAULT_LEVEL, FrequencyStream, noteFrequency, type Envelope, type StreamEvent, type Timbre } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { detectOnsets, fft, goertzelAmplitude, hann, parseWav } from '../../support/audio';

const RATE = 48000;
type At = (t: number, body: () => void) => void;

/** Run `script` on a stream (each `at` fires at its logical time), end at `endS`, and return the rendered samples. */
function play(script: (stream: FrequencyStream, at: At) => void, endS: number, rate = RATE): Float32Array {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const at: At = (t, body) => void scheduler.spawn((function* () { yield* sleep(t); body(); })(), { name: `at ${t}` });
  script(stream, at);
  at(endS, () => stream.end());
  scheduler.runUntilIdle();
  const { changes, endNs } = changesFromStreamEvents(events);
  return parseWav(renderToWav(changes, endNs!, { rate })).samples;
}

const db = (x: number): number => 20 * Math.log10(x);

/** RMS over [from, from + length) seconds. */
function rms(samples: Float32Array, from: number, length: number, rate = RATE): number {
  const a = Math.round(from * rate);
  const b = Math.round((from + length) * rate);
  let sum = 0;
  for (let k = a; k < b; k++) sum += samples[k] * samples[k];
  return Math.sqrt(sum / (b - a));
}

/** The quietest 1 ms RMS (sliding by 0.25 ms) within [from, to] seconds. */
function quietest(samples: Float32Array, from: number, to: number): number {
  let least = Infinity;
  for (let t = from; t <= to; t += 0.00025) least = Math.min(least, rms(samples, t, 0.001));
  return least;
}

/** Amplitude of `freq` over [from, from + length) seconds. */
const amplitudeOf = (samples: Float32Array, freq: number, from: number, length: number): number =>
  goertzelAmplitude(samples, RATE, Math.round(from * RATE), Math.round(length * RATE), freq);

describe('re-articulation', () => {
  it('hears a note that ends and starts again at one instant as two notes: the level dips by 12 dB or more', () => {
    // repeat 3 beep 64 0.2, as one task plays it: each beep ends, then the next begins, at one instant.
    const samples = play((stream, at) => {
      for (const t of [0, 0.2, 0.4]) {
        at(t, () => {
          if (t > 0) stream.remove(64, 7);
          stream.add(64, 7);
        });
      }
      at(0.6, () => stream.remove(64, 7));
    }, 0.8);
    expect(db(rms(samples, 0.05, 0.1) / (DEFAULT_LEVEL / Math.SQRT2))).toBeCloseTo(0, 1);
    const held = quietest(samples, 0.1, 0.11);
    for (const t of [0.2, 0.4]) {
      expect(db(quietest(samples, t - 0.002, t + 0.008) / held)).toBeLessThan(-12);
      expect(db(rms(samples, t + 0.05, 0.1) / rms(samples, 0.05, 0.1))).toBeCloseTo(0, 1);
    }
    // Onsets at each note and at the end, within 1 ms.
    expect(detectOnsets(samples, RATE).map((k) => Math.round((k / RATE) * 1000))).toEqual([0, 200, 400, 600]);
  });

  it('does not dip when the same voice is held on (so the measure can fail)', () => {
    const samples = play((stream, at) => {
      at(0, () => stream.add(64, 7));
      at(0.6, () => stream.remove(64, 7));
    }, 0.8);
    expect(db(quietest(samples, 0.198, 0.208) / quietest(samples, 0.1, 0.11))).toBeGreaterThan(-0.5);
  });
});

describe('voices of one pitch', () => {
  it("keeps a drone sounding when another task's voice of the same pitch ends", () => {
    const c4 = 48;
    const samples = play((stream, at) => {
      at(0, () => stream.add(c4, 1));
      at(0.5, () => stream.add(c4, 2));
      at(1, () => stream.remove(c4, 2));
      at(1.9, () => stream.remove(c4, 1));
    }, 2);
    const drone = rms(samples, 0.1, 0.3);
    expect(db(drone / (DEFAULT_LEVEL / Math.SQRT2))).toBeCloseTo(0, 1);
    expect(db(rms(samples, 1.2, 0.5) / drone)).toBeCloseTo(0, 1);
    expect(rms(samples, 1.92, 0.05)).toBe(0);
  });

  it('ends every voice of an owner on releaseOwner, at its logical time, and no other', () => {
    const samples = play((stream, at) => {
      at(0, () => { stream.add(60, 1); stream.add(64, 2); stream.add(67, 2); });
      at(0.5, () => stream.releaseOwner(2));
    }, 1);
    for (const note of [64, 67]) {
      expect(amplitudeOf(samples, noteFrequency(note), 0.2, 0.2)).toBeCloseTo(DEFAULT_LEVEL, 2);
      expect(amplitudeOf(samples, noteFrequency(note), 0.6, 0.2)).toBeLessThan(1e-4);
    }
    expect(amplitudeOf(samples, noteFrequency(60), 0.6, 0.2)).toBeCloseTo(DEFAULT_LEVEL, 2);
    const onsets = detectOnsets(samples, RATE);
    expect(onsets.some((k) => Math.abs(k - 0.5 * RATE) <= 48)).toBe(true);
  });
});

describe('levels and mixing', () => {
  const chord = [60, 63, 67, 70, 72, 75, 79, 82];

  it('keeps a held note within 1 dB when seven more join, and eight at the default level never clip', () => {
    const samples = play((stream, at) => {
      at(0, () => stream.add(chord[0], 1));
      at(1, () => chord.slice(1).forEach((n, i) => stream.add(n, 2 + i)));
    }, 2);
    const f = noteFrequency(chord[0]);
    const alone = amplitudeOf(samples, f, 0.3, 0.5);
    const joined = amplitudeOf(samples, f, 1.3, 0.5);
    expect(Math.abs(db(joined / alone))).toBeLessThan(1);
    expect(alone).toBeCloseTo(DEFAULT_LEVEL, 3);
    const peak = samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeGreaterThan(0.5); // the chord's sines do line up now and then
    expect(peak).toBeLessThanOrEqual(8 * DEFAULT_LEVEL);
  });

  it('limits a louder mix to full scale without flattening the waveform as clipping would', () => {
    // Sixteen voices at 0.3: up to 4.8 times full scale.
    const notes = Array.from({ length: 16 }, (_, i) => 48 + 3 * i);
    const samples = play((stream, at) => at(0, () => notes.forEach((n, i) => stream.add(n, i + 1, { level: 0.3 }))), 1);
    const peak = samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeLessThan(1);
    expect(peak).toBeGreaterThan(0.9);
    // Hard clipping at the same ceiling would hold it for runs of samples; the limiter nears it only at peaks.
    const near = (xs: ArrayLike<number>): number => {
      let count = 0;
      for (let i = 0; i < xs.length; i++) if (Math.abs(xs[i]) > 0.99 * peak) count++;
      return count / xs.length;
    };
    const unlimited = Float64Array.from({ length: RATE }, (_, k) => notes.reduce((sum, n) => sum + 0.3 * Math.sin((2 * Math.PI * noteFrequency(n) * k) / RATE), 0));
    expect(near(unlimited)).toBeGreaterThan(0.2);
    expect(near(samples)).toBeLessThan(0.01);
    // Every note is still there, at one common (reduced) level.
    const levels = notes.map((n) => amplitudeOf(samples, noteFrequency(n), 0.4, 0.5));
    expect(db(Math.max(...levels) / Math.min(...levels))).toBeLessThan(3);
  });
});

describe('envelope', () => {
  it('is a steady sine at constant level by default, with edges of 5 ms or less', () => {
    const samples = play((stream, at) => {
      at(0.1, () => stream.add(57, 1));
      at(1.1, () => stream.remove(57, 1));
    }, 1.2);
    const levels = Array.from({ length: 9 }, (_, i) => rms(samples, 0.15 + 0.1 * i, 0.1));
    expect(db(Math.max(...levels) / Math.min(...levels))).toBeLessThan(0.01);
    expect(rms(samples, 0.1 + 0.005, 0.01)).toBeCloseTo(levels[0], 3);
    expect(rms(samples, 1.1 + 0.005, 0.01)).toBe(0);
  });

  it("follows ADSR: rises over the attack, falls to the sustain over the decay, and fades over the release", () => {
    const envelope: Envelope = { attack: 0.2, decay: 0.2, sustain: 0.5, release: 0.4 };
    const samples = play((stream, at) => {
      at(0, () => stream.add(57, 1, { level: 0.4, envelope }));
      at(1, () => stream.remove(57, 1));
    }, 1.6);
    const a = (t: number): number => amplitudeOf(samples, 440, t - 0.01, 0.02);
    expect(a(0.1)).toBeCloseTo(0.2, 1); // halfway up the attack
    expect(a(0.2)).toBeCloseTo(0.4, 1); // the top
    expect(a(0.3)).toBeCloseTo(0.3, 1); // halfway down the decay
    expect(a(0.7)).toBeCloseTo(0.2, 2); // sustain: 0.5 of the level
    expect(a(1.2)).toBeCloseTo(0.1, 1); // halfway through the release
    expect(rms(samples, 1.41, 0.1)).toBe(0);
  });
});

describe('timbre', () => {
  /** Amplitudes of harmonics 1..count of `f` in a 0.5 s stretch, relative to the first, in dB. */
  function harmonics(timbre: Timbre, f: number, count: number): number[] {
    const samples = play((stream, at) => at(0, () => stream.add(45, 1, { timbre })), 1);
    const base = amplitudeOf(samples, f, 0.2, 0.5);
    return Array.from({ length: count }, (_, i) => db(amplitudeOf(samples, f * (i + 1), 0.2, 0.5) / base));
  }
  const f = noteFrequency(45); // 220 Hz

  it('sounds a sine as one partial', () => {
    harmonics('sine', f, 6).slice(1).forEach((h) => expect(h).toBeLessThan(-80));
  });

  it('gives a square odd harmonics at 1/h, a triangle odd ones at 1/h², a sawtooth all at 1/h', () => {
    const square = harmonics('square', f, 6);
    const triangle = harmonics('triangle', f, 6);
    const saw = harmonics('sawtooth', f, 6);
    for (const h of [2, 3, 4, 5, 6]) {
      const odd = h % 2 === 1;
      if (odd) {
        expect(square[h - 1]).toBeCloseTo(db(1 / h), 0);
        expect(triangle[h - 1]).toBeCloseTo(db(1 / h ** 2), 0);
      } else {
        expect(square[h - 1]).toBeLessThan(-60);
        expect(triangle[h - 1]).toBeLessThan(-60);
      }
      expect(saw[h - 1]).toBeCloseTo(db(1 / h), 0);
    }
  });

  it('is band-limited: a high sawtooth has nothing between its harmonics (no aliases)', () => {
    const high = noteFrequency(100); // 5.3 kHz: three harmonics below 24 kHz Nyquist, the rest would alias
    const samples = play((stream, at) => at(0, () => stream.add(100, 1, { timbre: 'sawtooth' })), 1);
    const n = 16384;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const w = hann(n);
    const from = Math.round(0.3 * RATE);
    for (let i = 0; i < n; i++) re[i] = samples[from + i] * w[i];
    fft(re, im);
    const bin = RATE / n;
    let onHarmonics = 0;
    let elsewhere = 0;
    for (let i = 1; i < n / 2; i++) {
      const power = re[i] * re[i] + im[i] * im[i];
      const h = (i * bin) / high;
      if (Math.abs(h - Math.round(h)) * high < 4 * bin && Math.round(h) >= 1) onHarmonics += power;
      else elsewhere += power;
    }
    expect(10 * Math.log10(elsewhere / onHarmonics)).toBeLessThan(-50);
  });

  it("gives fm and am the sidebands of Tone's FMOscillator and AMOscillator (harmonicity 1, square modulator)", () => {
    const fm = harmonics('fm', f, 4);
    const am = harmonics('am', f, 4);
    // fm with index 2 spreads energy over many harmonics; am by a square at f puts a strong 2nd harmonic, no 3rd.
    expect(Math.max(fm[1], fm[2], fm[3])).toBeGreaterThan(-12);
    expect(am[1]).toBeGreaterThan(-12);
    expect(am[2]).toBeLessThan(-40);
  });
});

describe('the end of the stream', () => {
  it('lets a long release ring on after the stream ends, and ends the render where it is silent', () => {
    const envelope: Envelope = { attack: 0.003, decay: 0, sustain: 1, release: 2 };
    const samples = play((stream, at) => {
      at(0, () => stream.add(57, 1, { envelope }));
      at(0.5, () => stream.remove(57, 1));
    }, 1);
    expect(rms(samples, 0.6, 0.3)).toBeGreaterThan(0.01); // releasing
    expect(rms(samples, 1.5, 0.3)).toBeGreaterThan(0.005); // still, after the end at 1 s
    expect(rms(samples, 2.2, 0.2)).toBeLessThan(rms(samples, 1.5, 0.3));
    expect(samples.length).toBe(Math.round(2.5 * RATE));
    expect(Math.abs(samples[samples.length - 1])).toBeLessThan(1e-4);
  });

  it('releases a note still held at the end with its own release', () => {
    const envelope: Envelope = { attack: 0.003, decay: 0, sustain: 1, release: 0.5 };
    const samples = play((stream, at) => at(0, () => stream.add(57, 1, { envelope })), 1);
    expect(rms(samples, 1.1, 0.1)).toBeGreaterThan(0.01);
    expect(samples.length).toBe(Math.round(1.5 * RATE));
  });
});
