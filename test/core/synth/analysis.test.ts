/**
 * The listening tools are checked on signals made here with Math.sin (not by
 * the synth), so that the synth's tests rest on tools known to hear right.
 */
import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/core/synth';
import {
  detectNotes,
  detectOnsets,
  dominantFrequencies,
  frequencyOfNote,
  noteAmplitudes,
  parseWav,
  stepsAroundChanges,
} from '../../support/audio';

const RATE = 48000;

/** Notes `before` until sample `at`, then `after`; optionally a linear fade of `fade` samples starting at `at`. */
function signal(length: number, at: number, before: number[], after: number[], fade = 0): Float32Array {
  const out = new Float32Array(length);
  const mix = (notes: number[], k: number): number =>
    notes.length === 0 ? 0 : (0.8 / notes.length) * notes.reduce((s, n) => s + Math.sin((2 * Math.PI * frequencyOfNote(n) * k) / RATE), 0);
  for (let k = 0; k < length; k++) {
    const a = k < at ? 0 : fade === 0 ? 1 : Math.min(1, (k - at + 1) / fade);
    out[k] = (1 - a) * mix(before, k) + a * mix(after, k);
  }
  return out;
}

/** A WAV file assembled byte by byte, as the format's description has it. */
function handMadeWav(format: number, bits: number, rate: number, data: number[]): Uint8Array {
  const bytes: number[] = [];
  const text = (s: string) => bytes.push(...[...s].map((c) => c.charCodeAt(0)));
  const u32 = (v: number) => bytes.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
  const u16 = (v: number) => bytes.push(v & 255, (v >> 8) & 255);
  text('RIFF');
  u32(4 + 8 + 16 + 8 + 6 + 8 + data.length);
  text('WAVE');
  text('fmt ');
  u32(16);
  u16(format);
  u16(1);
  u32(rate);
  u32((rate * bits) / 8);
  u16(bits / 8);
  u16(bits);
  text('LIST'); // a chunk a reader must skip
  u32(6);
  text('abcdef');
  text('data');
  u32(data.length);
  bytes.push(...data);
  return Uint8Array.from(bytes);
}

describe('parseWav', () => {
  it('reads 16-bit signed and 8-bit unsigned PCM, skipping unknown chunks', () => {
    const s16 = parseWav(handMadeWav(1, 16, 44100, [0x00, 0x80, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x40]));
    expect(s16).toMatchObject({ rate: 44100, channels: 1, bits: 16, frames: 4 });
    expect([...s16.samples]).toEqual([-1, 32767 / 32768, 0, 0.5]);
    const u8 = parseWav(handMadeWav(1, 8, 8000, [128, 0, 255, 127]));
    expect([...u8.samples]).toEqual([0, -1, 127 / 128, -1 / 128]);
  });

  it('reads 32-bit float', () => {
    const data = [...new Uint8Array(Float32Array.of(0.25, -0.5).buffer)];
    expect([...parseWav(handMadeWav(3, 32, 48000, data)).samples]).toEqual([0.25, -0.5]);
  });

  it("reads back corotone's encodeWav, odd 8-bit lengths included", () => {
    const s16 = Int16Array.of(-32768, -1, 0, 1, 32767);
    expect([...parseWav(encodeWav(s16, 48000)).samples].map((x) => Math.round(x * 32768))).toEqual([...s16]);
    const u8 = Uint8Array.of(0, 127, 255);
    const file = encodeWav(u8, 8000);
    expect(file.length % 2).toBe(0); // RIFF pads an odd chunk
    const parsed = parseWav(file);
    expect(parsed.frames).toBe(3);
    expect([...parsed.samples].map((x) => x * 128 + 128)).toEqual([0, 127, 255]);
  });

  it('refuses what is not a WAV file', () => {
    expect(() => parseWav(new Uint8Array(20))).toThrow(/RIFF/);
  });
});

describe('pitch detection', () => {
  it("tells each of the demo's chords apart in a 50 ms window", () => {
    for (const notes of [[60], [60, 72, 75, 79], [60, 70, 74, 77], [60, 68, 72, 75], [74, 75]]) {
      const x = signal(RATE, RATE, notes, []);
      const found = detectNotes(x, RATE, 12345, 2400);
      expect(found.notes).toEqual(notes);
      expect(found.unexplained).toEqual([]);
    }
  });

  it('measures frequency to well under a cent and amplitude to 1%', () => {
    const f = 1000.7;
    const x = Float32Array.from({ length: 4800 }, (_, k) => 0.3 * Math.sin((2 * Math.PI * f * k) / RATE));
    const [peak] = dominantFrequencies(x, RATE, 0, 2400);
    expect(Math.abs(1200 * Math.log2(peak.freq / f))).toBeLessThan(1);
    expect(peak.amplitude).toBeCloseTo(0.3, 2);
  });

  it('reports a detuned tone as no note, and silence as nothing', () => {
    const x = signal(RATE, RATE, [], []);
    expect(detectNotes(x, RATE, 0, 2400).peaks).toEqual([]);
    const off = Float32Array.from({ length: 4800 }, (_, k) => 0.5 * Math.sin((2 * Math.PI * frequencyOfNote(69.5) * k) / RATE));
    const found = detectNotes(off, RATE, 0, 2400);
    expect(found.notes).toEqual([]);
    expect(found.unexplained.length).toBe(1);
  });

  it('gives Goertzel levels for candidate notes', () => {
    const x = signal(RATE, RATE, [60, 72, 75, 79], []);
    const levels = noteAmplitudes(x, RATE, 0, 2400, [60, 68, 70, 72, 74, 75, 77, 79]);
    for (const [note, level] of levels) {
      if ([60, 72, 75, 79].includes(note)) expect(level).toBeCloseTo(0.2, 2);
      else expect(level).toBeLessThan(0.01);
    }
  });
});

describe('onset detection', () => {
  it('finds a hard switch to the sample', () => {
    const at = 24000 + 311;
    // A sine that starts at k = 0 is 0 there, like silence: its onset shows at sample 1.
    expect(detectOnsets(signal(2 * RATE, at, [60], [60, 72, 75, 79]), RATE)).toEqual([1, at]);
  });

  it('finds the start of a 3 ms fade within a few samples', () => {
    const at = 30000 + 17;
    const found = detectOnsets(signal(2 * RATE, at, [60, 70, 74, 77], [60], 144), RATE);
    expect(found.length).toBe(2);
    expect(Math.abs(found[1] - at)).toBeLessThanOrEqual(4);
  });

  it('finds sound starting after silence and stopping into silence', () => {
    const x = signal(RATE, 20000, [], [67]);
    for (let k = 40000; k < x.length; k++) x[k] = 0;
    const found = detectOnsets(x, RATE);
    expect(found.length).toBe(2);
    expect(Math.abs(found[0] - 20000)).toBeLessThanOrEqual(2);
    expect(Math.abs(found[1] - 40000)).toBeLessThanOrEqual(2);
  });

  it('finds nothing in a steady chord, even through 8-bit quantisation', () => {
    const x = signal(2 * RATE, 2 * RATE, [60, 72, 75, 79], []).map((v) => (Math.floor(127 + 127 * v) - 128) / 128);
    expect(detectOnsets(x, RATE)).toEqual([1]); // only the start: the signal rises from its first sample
  });
});

describe('step measure', () => {
  it('sees a jump at a change and the sine’s own steps elsewhere', () => {
    // Stop a note near its crest: a jump of about 0.8 where the sine itself moves at most ~0.055.
    const f = frequencyOfNote(60);
    let at = 24000;
    for (let k = 24000; k < 24100; k++) if (Math.sin((2 * Math.PI * f * k) / RATE) > Math.sin((2 * Math.PI * f * at) / RATE)) at = k;
    const x = signal(RATE, at, [60], []);
    const steps = stepsAroundChanges(x, [at], 48);
    const own = 0.8 * 2 * Math.sin((Math.PI * f) / RATE); // a sine's largest step
    expect(steps.elsewhere).toBeLessThanOrEqual(own + 1e-6);
    expect(steps.elsewhere).toBeGreaterThan(0.95 * own);
    expect(steps.atChanges[0]).toBeGreaterThan(0.79);
  });
});
