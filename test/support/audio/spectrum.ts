/**
 * Where a sound's energy lies: the power spectrum of a window (Hann, zero
 * padded), the fraction of it in a band, and its strongest frequency in a range.
 */
import { fft, hann, nextPowerOfTwo } from './fft';

export interface Spectrum {
  /** Hz per bin. */
  binHz: number;
  /** Power per bin, 0 .. Nyquist. */
  power: Float64Array;
}

/** The power spectrum of samples[start .. start + length). */
export function powerSpectrum(samples: ArrayLike<number>, rate: number, start = 0, length = samples.length - start): Spectrum {
  const size = nextPowerOfTwo(Math.max(length * 2, 4096));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const w = hann(length);
  for (let i = 0; i < length; i++) re[i] = (samples[start + i] ?? 0) * w[i];
  fft(re, im);
  const power = new Float64Array(size / 2 + 1);
  for (let k = 0; k < power.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
  return { binHz: rate / size, power };
}

/** The fraction of the spectrum's energy between lo and hi Hz. */
export function bandFraction(s: Spectrum, lo: number, hi: number): number {
  let total = 0;
  let band = 0;
  for (let k = 0; k < s.power.length; k++) {
    const f = k * s.binHz;
    total += s.power[k];
    if (f >= lo && f < hi) band += s.power[k];
  }
  return total === 0 ? 0 : band / total;
}

/** The frequency of the strongest bin between lo and hi Hz. */
export function strongestIn(s: Spectrum, lo: number, hi: number): number {
  let best = -1;
  let at = 0;
  for (let k = Math.ceil(lo / s.binHz); k * s.binHz < hi && k < s.power.length; k++) {
    if (s.power[k] > best) {
      best = s.power[k];
      at = k * s.binHz;
    }
  }
  return at;
}

/** RMS of samples[from .. to) (indices). */
export function rmsOf(samples: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}
