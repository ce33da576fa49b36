/**
 * Onsets: the samples at which a signal's content changes. Sound between
 * changes is a steady sum of sines, so a model fitted to a steady stretch (its
 * frequencies from the spectrum, then amplitudes and phases by least squares)
 * predicts the following samples to within the quantisation noise. The first
 * sample that departs from the prediction is the onset: exact to a few samples
 * whether the change is a hard switch or a short fade that starts there.
 */
import { dominantFrequencies, frequencyOfNote, noteOfFrequency } from './pitch';

export interface OnsetOptions {
  /** Length of the stretch a model is fitted to (default 40 ms: resolves notes a semitone apart above ~600 Hz). */
  fitMs?: number;
  /** How far ahead a model is trusted before it is refitted (default 20 ms). */
  horizonMs?: number;
  /** After an onset, time left for the change to settle before the next fit (default 10 ms). */
  settleMs?: number;
  /** Replace each spectral peak by the nearest note of SPEC's tuning when within 50 cents (default true). */
  snapToNotes?: boolean;
  /** Smallest departure that counts, full scale 1 (default 2e-4); raised to 8x the fit's own residual RMS. */
  minDeparture?: number;
}

interface Model {
  omegas: number[];
  /** dc, then cos and sin coefficients per frequency. */
  coef: Float64Array;
  threshold: number;
}

function evaluate(model: Model, k: number): number {
  let y = model.coef[0];
  for (let i = 0; i < model.omegas.length; i++) {
    const phase = model.omegas[i] * k;
    y += model.coef[1 + 2 * i] * Math.cos(phase) + model.coef[2 + 2 * i] * Math.sin(phase);
  }
  return y;
}

/** Solve A x = b (A symmetric positive semidefinite, n x n row-major), Gaussian elimination with a tiny ridge. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  for (let i = 0; i < n; i++) a[i * n + i] += 1e-12 * (trace / n) + 1e-300;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    const d = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * x[c];
    x[r] = s / a[r * n + r];
  }
  return x;
}

function fit(samples: ArrayLike<number>, rate: number, start: number, length: number, options: Required<OnsetOptions>): Model {
  const freqs: number[] = [];
  for (const peak of dominantFrequencies(samples, rate, start, length, { minRelativeDb: -30, minAmplitude: 1e-4 })) {
    const note = noteOfFrequency(peak.freq);
    const f = options.snapToNotes && Math.abs(note - Math.round(note)) <= 0.5 ? frequencyOfNote(Math.round(note)) : peak.freq;
    if (!freqs.some((g) => Math.abs(g - f) < 1e-9)) freqs.push(f);
  }
  const omegas = freqs.map((f) => (2 * Math.PI * f) / rate);
  const m = 1 + 2 * omegas.length;
  const ata = new Float64Array(m * m);
  const atb = new Float64Array(m);
  const row = new Float64Array(m);
  const fillRow = (k: number): void => {
    row[0] = 1;
    for (let i = 0; i < omegas.length; i++) {
      row[1 + 2 * i] = Math.cos(omegas[i] * k);
      row[2 + 2 * i] = Math.sin(omegas[i] * k);
    }
  };
  for (let k = start; k < start + length; k++) {
    fillRow(k);
    const x = samples[k];
    for (let i = 0; i < m; i++) {
      atb[i] += row[i] * x;
      for (let j = i; j < m; j++) ata[i * m + j] += row[i] * row[j];
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) ata[i * m + j] = ata[j * m + i];
  const model: Model = { omegas, coef: solve(ata, atb, m), threshold: 0 };
  let squares = 0;
  for (let k = start; k < start + length; k++) squares += (samples[k] - evaluate(model, k)) ** 2;
  model.threshold = Math.max(options.minDeparture, 8 * Math.sqrt(squares / length));
  return model;
}

/** Sample indices where the content changes, ascending. Changes closer than fit + settle are seen as one. */
export function detectOnsets(samples: ArrayLike<number>, rate: number, options: OnsetOptions = {}): number[] {
  const o: Required<OnsetOptions> = {
    fitMs: options.fitMs ?? 40,
    horizonMs: options.horizonMs ?? 20,
    settleMs: options.settleMs ?? 10,
    snapToNotes: options.snapToNotes ?? true,
    minDeparture: options.minDeparture ?? 2e-4,
  };
  const n = samples.length;
  const fitLen = Math.round((o.fitMs * rate) / 1000);
  const horizon = Math.round((o.horizonMs * rate) / 1000);
  const settle = Math.round((o.settleMs * rate) / 1000);
  const onsets: number[] = [];
  if (n < 2) return onsets;
  // Until a fit window exists, the model is "stays as the first sample" (silence, or a sine starting at 0).
  let model: Model = { omegas: [], coef: Float64Array.of(samples[0]), threshold: o.minDeparture };
  let refitAt = Math.min(fitLen, n);
  let k = 1;
  while (k < n) {
    if (Math.abs(samples[k] - evaluate(model, k)) > model.threshold) {
      onsets.push(k);
      const p = k + settle + fitLen;
      if (p >= n) break;
      model = fit(samples, rate, p - fitLen, fitLen, o);
      k = p;
      refitAt = p + horizon;
      continue;
    }
    k++;
    if (k >= refitAt && k >= fitLen) {
      model = fit(samples, rate, k - fitLen, fitLen, o);
      refitAt = k + horizon;
    }
  }
  return onsets;
}
