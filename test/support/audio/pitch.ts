/**
 * Which frequencies sound in a window: FFT with a Hann window and peak picking
 * with parabolic interpolation, and Goertzel for the level of given notes.
 * Notes use SPEC's tuning, f = 16.35 * 2^(n/12), written out here on purpose
 * (tests should not take it from the code under test).
 */
import { fft, hann, nextPowerOfTwo } from './fft';

export const C0_HZ = 16.35;

export function frequencyOfNote(note: number): number {
  return C0_HZ * 2 ** (note / 12);
}

/** The (fractional) note number of a frequency. */
export function noteOfFrequency(freq: number): number {
  return 12 * Math.log2(freq / C0_HZ);
}

export interface Peak {
  /** Interpolated frequency, Hz. */
  freq: number;
  /** Estimated amplitude of the sine (full scale 1). */
  amplitude: number;
}

export interface PeakOptions {
  /** Ignore peaks weaker than this relative to the strongest (default -25 dB; Hann side lobes are at -31 dB). */
  minRelativeDb?: number;
  /** Ignore peaks below this absolute amplitude (default 1e-3, about -60 dBFS). */
  minAmplitude?: number;
  /** Zero-padding factor for finer interpolation (default 4). */
  zeroPad?: number;
}

/** Spectral peaks of samples[start .. start + length), strongest first. */
export function dominantFrequencies(
  samples: ArrayLike<number>,
  rate: number,
  start: number,
  length: number,
  options: PeakOptions = {},
): Peak[] {
  const size = nextPowerOfTwo(length * (options.zeroPad ?? 4));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const window = hann(length);
  let mean = 0;
  for (let i = 0; i < length; i++) mean += samples[start + i];
  mean /= length;
  let windowSum = 0;
  for (let i = 0; i < length; i++) {
    re[i] = (samples[start + i] - mean) * window[i];
    windowSum += window[i];
  }
  fft(re, im);
  const half = size / 2;
  const mag = new Float64Array(half + 1);
  for (let i = 0; i <= half; i++) mag[i] = Math.hypot(re[i], im[i]);
  const scale = 2 / windowSum; // magnitude of a bin centred on a sine -> its amplitude
  let strongest = 0;
  for (let i = 1; i < half; i++) strongest = Math.max(strongest, mag[i]);
  const floor = Math.max(strongest * 10 ** ((options.minRelativeDb ?? -25) / 20), (options.minAmplitude ?? 1e-3) / scale);
  const peaks: Peak[] = [];
  for (let i = 2; i < half - 1; i++) {
    const b = mag[i];
    if (b < floor || b < mag[i - 1] || b <= mag[i + 1]) continue;
    const a = Math.log(mag[i - 1] + 1e-300);
    const lb = Math.log(b);
    const c = Math.log(mag[i + 1] + 1e-300);
    const denom = a - 2 * lb + c;
    const p = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
    peaks.push({ freq: ((i + p) * rate) / size, amplitude: Math.exp(lb - 0.25 * (a - c) * p) * scale });
  }
  return peaks.sort((x, y) => y.amplitude - x.amplitude);
}

export interface NoteDetection {
  /** Notes whose frequency a peak matched, ascending. */
  notes: number[];
  /** Peaks that are no note of SPEC's tuning (within the tolerance). */
  unexplained: Peak[];
  peaks: Peak[];
}

/** The notes sounding in a window: each peak mapped to the nearest note within `toleranceCents` (default 30). */
export function detectNotes(
  samples: ArrayLike<number>,
  rate: number,
  start: number,
  length: number,
  options: PeakOptions & { toleranceCents?: number } = {},
): NoteDetection {
  const tolerance = (options.toleranceCents ?? 30) / 100;
  const peaks = dominantFrequencies(samples, rate, start, length, options);
  const notes = new Set<number>();
  const unexplained: Peak[] = [];
  for (const peak of peaks) {
    const n = noteOfFrequency(peak.freq);
    if (Math.abs(n - Math.round(n)) <= tolerance) notes.add(Math.round(n));
    else unexplained.push(peak);
  }
  return { notes: [...notes].sort((a, b) => a - b), unexplained, peaks };
}

/** Amplitude of the component at `freq` in a Hann-windowed window (Goertzel). */
export function goertzelAmplitude(samples: ArrayLike<number>, rate: number, start: number, length: number, freq: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  const window = hann(length);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < length; i++) {
    const s0 = samples[start + i] * window[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    windowSum += window[i];
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

/** Goertzel amplitude of each candidate note. */
export function noteAmplitudes(
  samples: ArrayLike<number>,
  rate: number,
  start: number,
  length: number,
  notes: readonly number[],
): Map<number, number> {
  return new Map(notes.map((n) => [n, goertzelAmplitude(samples, rate, start, length, frequencyOfNote(n))]));
}
