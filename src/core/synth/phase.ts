/**
 * Exact phase of a sine at sample k: the fraction of a cycle in f * k / rate,
 * accurate to ~1e-12 cycles even after hours at 48 kHz (where f * k / rate is
 * around 1e8 cycles and a plain double product keeps only ~1e-8 of a cycle).
 */

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter for doubles

/** The rounding error of the double product p = a * b, so that a * b = p + error exactly. */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** frac(freq * k / rate) in [0, 1), for integer k >= 0 and integer rate > 0. */
export function phaseCycles(freq: number, k: number, rate: number): number {
  // k = q * rate + r, so f * k / rate = f * q + f * r / rate; f * q is taken exactly.
  const q = Math.floor(k / rate);
  const r = k - q * rate;
  const p = freq * q;
  let x = p - Math.floor(p) + productError(freq, q, p) + (freq * r) / rate;
  x -= Math.floor(x);
  return x;
}
