/**
 * Durations are read from their decimal text straight into integer
 * nanoseconds, so `0.35` is exactly 350_000_000 ns and sums of durations land
 * on exact times (no binary floating point on the way).
 */
import { MAX_TIME_NS, nanos, NS_PER_SECOND, type Nanos } from '../time';

export type DurationResult =
  | { ok: true; ns: Nanos }
  | { ok: false; problem: 'not-a-number' | 'negative' | 'not-finite' | 'too-long' };

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const NON_FINITE = /^[+-]?(?:inf|infinity|nan)$/i;
/** The longest duration: logical time is exact in a Number up to 2^53 ns (about 104 days). */
export const MAX_DURATION_NS = MAX_TIME_NS;
export const MAX_DURATION_SECONDS = Math.floor(MAX_DURATION_NS / NS_PER_SECOND);

export function parseDurationNs(text: string): DurationResult {
  const m = DECIMAL.exec(text);
  if (m === null) return { ok: false, problem: NON_FINITE.test(text) ? 'not-finite' : 'not-a-number' };
  const negative = m[1] === '-';
  const whole = m[2] ?? '';
  const fraction = m[3] ?? m[4] ?? '';
  const exponentText = m[5] ?? '0';
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return { ok: true, ns: nanos(0) }; // zero, whatever its sign
  if (negative) return { ok: false, problem: 'negative' };
  if (exponentText.replace(/^[+-]?0*/, '').length > 6) {
    // |exponent| of a million or more: overflow, or a value far below 1 ns.
    return exponentText.startsWith('-') ? { ok: true, ns: nanos(0) } : { ok: false, problem: 'not-finite' };
  }
  // value = digits * 10^shift seconds, in ns: digits * 10^(shift + 9)
  const shift = Number(exponentText) - fraction.length + 9;
  // Power of ten of the leading digit, in ns.
  const magnitude = digits.length - 1 + shift;
  if (magnitude >= 16) return { ok: false, problem: magnitude > 308 + 9 ? 'not-finite' : 'too-long' };
  if (magnitude < -1) return { ok: true, ns: nanos(0) };
  let roundUp = false;
  if (shift < 0) {
    // Round half up to whole nanoseconds.
    const keep = digits.length + shift;
    const dropped = digits.slice(Math.max(0, keep));
    roundUp = keep >= 0 && dropped.length > 0 && dropped.charCodeAt(0) >= 0x35;
    digits = keep > 0 ? digits.slice(0, keep) : '0';
  }
  const scale = Math.max(0, shift);
  // Most words never need BigInt: a correctly rounded product of exact integers
  // (digits and 10^scale, scale < 16) is exact while it stays within 2^53, and
  // a result past 2^53 (digits too many for a double among them) fails the test.
  const quick = Number(digits) * 10 ** scale + (roundUp ? 1 : 0);
  if (quick <= MAX_DURATION_NS) return { ok: true, ns: nanos(quick) };
  const ns = BigInt(digits) * 10n ** BigInt(scale) + (roundUp ? 1n : 0n);
  if (ns > BigInt(MAX_DURATION_NS)) return { ok: false, problem: 'too-long' };
  return { ok: true, ns: nanos(Number(ns)) };
}
