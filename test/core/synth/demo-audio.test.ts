/**
 * The demo's commands.txt rendered to audio, then judged by listening tools
 * only (WAV parsing, FFT pitch detection, onset detection): the right notes
 * sound in every segment and every change lands on round(t * rate).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL } from '../../../src/core/stream';
import { renderToPcm8, renderToWav } from '../../../src/core/synth';
import { detectNotes, detectOnsets, parseWav } from '../../support/audio';
import { DEMO_END_NS, DEMO_END_S, demoChanges, demoSegments } from '../../support/synth/demo-schedule';

const WINDOW_S = 0.05;

/** Three 50 ms windows per segment: near its start, its middle, near its end (clear of the fades). */
function windows(from: number, to: number): number[] {
  return [from + 0.01, (from + to - WINDOW_S) / 2, to - WINDOW_S - 0.01];
}

function checkNotes(samples: Float32Array, rate: number): void {
  const length = Math.round(WINDOW_S * rate);
  for (const segment of demoSegments()) {
    for (const t of windows(segment.from, segment.to)) {
      const found = detectNotes(samples, rate, Math.round(t * rate), length);
      expect({ at: t, notes: found.notes, unexplained: found.unexplained }).toEqual({
        at: t,
        notes: segment.notes,
        unexplained: [],
      });
    }
  }
}

/** Every change of the schedule (Math.round(t * rate), computed here from seconds) is found within 1 ms, and nothing else is. */
function checkOnsets(samples: Float32Array, rate: number, withEnd: boolean, toleranceMs = 1): void {
  const expected = demoSegments().map((s) => Math.round(s.from * rate));
  if (withEnd) expected.push(Math.round(DEMO_END_S * rate));
  const found = detectOnsets(samples, rate);
  expect(found.length).toBe(expected.length);
  const tolerance = Math.round((toleranceMs * rate) / 1000);
  found.forEach((sample, i) => {
    expect(Math.abs(sample - expected[i]), `onset ${i}: found ${sample}, expected ${expected[i]}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('the demo script rendered to WAV', () => {
  for (const rate of [48000, 44100]) {
    const wav = parseWav(renderToWav(demoChanges(), DEMO_END_NS, { rate }));

    it(`is a ${rate} Hz 16-bit mono file as long as the script, plus the last fade-out (3 ms)`, () => {
      expect({ rate: wav.rate, bits: wav.bits, channels: wav.channels }).toEqual({ rate, bits: 16, channels: 1 });
      expect(wav.frames).toBe(Math.round(DEMO_END_S * rate) + Math.round(0.003 * rate));
    });

    it(`sounds the right notes in every segment (${rate} Hz)`, () => {
      checkNotes(wav.samples, rate);
    });

    it(`puts every change on round(t * rate) within 1 ms (${rate} Hz)`, () => {
      checkOnsets(wav.samples, rate, true);
    });

    it(`ends in silence and peaks at four voices of the default level (${rate} Hz)`, () => {
      expect(wav.samples[wav.frames - 1]).toBe(0);
      const peak = wav.samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(peak).toBeGreaterThan(4 * DEFAULT_LEVEL * 0.95);
      expect(peak).toBeLessThanOrEqual(4 * DEFAULT_LEVEL);
    });
  }

  it('keeps the timing when rendered exactly (no fades, no tail)', () => {
    const wav = parseWav(renderToWav(demoChanges(), DEMO_END_NS, { exact: true }));
    expect(wav.frames).toBe(Math.round(DEMO_END_S * 48000));
    checkOnsets(wav.samples, 48000, false);
  });
});

describe("the demo script in the demo's own format (8000 Hz unsigned 8-bit)", () => {
  for (const exact of [true, false]) {
    const pcm = renderToPcm8(demoChanges(), DEMO_END_NS, { exact });
    // Read as sox reads play.sh's stream: unsigned, centre 128.
    const samples = Float32Array.from(pcm, (v) => (v - 128) / 128);

    it(`sounds the right notes and lands every change within 1 ms${exact ? ' (exact)' : ' (declicked)'}`, () => {
      expect(pcm.length).toBe(Math.round(DEMO_END_S * 8000) + (exact ? 0 : 24));
      checkNotes(samples, 8000);
      // Declicked, a voice at the default level spans only ~13 of the 8-bit steps, so
      // a 3 ms release shows above the quantisation noise a little later: 2 ms.
      checkOnsets(samples, 8000, !exact, exact ? 1 : 2);
    });
  }
});
