/**
 * Logical time is kept in integer nanoseconds so that sums of decimal durations
 * are exact: 2 + 0.5 + 0.4 + 0.35 lands on 3.75 s, not 3.7499999999999996.
 * Number holds integers exactly up to 2^53 ns, about 104 days.
 */
export const NS_PER_SECOND = 1_000_000_000;

export function secondsToNs(seconds: number): number {
  return Math.round(seconds * NS_PER_SECOND);
}

export function nsToSeconds(ns: number): number {
  return ns / NS_PER_SECOND;
}

/** The sample at which logical time `ns` falls at `rate` Hz: round(t * rate), computed exactly. */
export function sampleAt(ns: number, rate: number): number {
  const product = BigInt(ns) * BigInt(rate);
  const whole = product / 1_000_000_000n;
  const rest = product % 1_000_000_000n;
  return Number(whole) + (rest >= 500_000_000n ? 1 : 0);
}
