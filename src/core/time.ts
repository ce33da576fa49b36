/**
 * The one module of time units and their conversions (as Tone.js has its
 * `Seconds` and `Ticks`): a duration in nanoseconds or seconds is a number
 * with a unit of its own in its type, so passing seconds where
 * nanoseconds go fails to compile. Every factor between units is here.
 *
 * Logical time is kept in integer nanoseconds so that sums of decimal durations
 * are exact: 2 + 0.5 + 0.4 + 0.35 lands on 3.75 s, not 3.7499999999999996.
 * Number holds integers exactly up to 2^53 ns, about 104 days: MAX_TIME_NS.
 */

/** Integer nanoseconds of logical time (a duration, or a time since the session began). */
export type Nanos = number & { readonly unit: 'ns' };
/** Seconds (events, the CLI's options, plain `block`/`offload` lengths). */
export type Seconds = number & { readonly unit: 's' };

export const NS_PER_SECOND = 1_000_000_000;
export const NS_PER_MS = 1_000_000;
/** The same factor, for exact arithmetic in BigInt. */
export const NS_PER_SECOND_BIG = 1_000_000_000n;
/** Unitless amounts (beats, notes in an expression) are kept in billionths: exact, as ns are. */
export const UNITS_PER_ONE = 1_000_000_000;

/**
 * The latest logical time the clock holds exactly: 2^53 - 1 ns, some 104 days.
 * Past it a Number cannot count single nanoseconds (3 ns steps land 2 or 4 ns
 * apart, then not at all), so a sleep that would end later is refused.
 */
export const MAX_TIME_NS = Number.MAX_SAFE_INTEGER as Nanos;
/** MAX_TIME_NS in seconds (9,007,199.25 s). */
export const MAX_TIME_SECONDS = (MAX_TIME_NS / NS_PER_SECOND) as Seconds;

/** A count of nanoseconds, as the type of one (the caller says it is whole ns). */
export function nanos(ns: number): Nanos {
  return ns as Nanos;
}

export function seconds(s: number): Seconds {
  return s as Seconds;
}

export function secondsToNs(s: number): Nanos {
  return Math.round(s * NS_PER_SECOND) as Nanos;
}

export function nsToSeconds(ns: number): Seconds {
  return (ns / NS_PER_SECOND) as Seconds;
}

export function msToNs(ms: number): Nanos {
  return Math.round(ms * NS_PER_MS) as Nanos;
}

export function nsToMs(ns: number): number {
  return ns / NS_PER_MS;
}

/**
 * Why the clock cannot keep a `wait` or `block` of `ns` begun at `nowNs`: not
 * a length of time (NaN), or ending past MAX_TIME_NS. Null if it can.
 */
export function unkeptWait(what: 'wait' | 'block', nowNs: number, ns: number): string | null {
  if (!Number.isFinite(ns)) return `${what} of ${ns} ns: not a length of time`;
  if (nowNs + ns <= MAX_TIME_NS) return null;
  const limit = MAX_TIME_SECONDS.toLocaleString('en', { maximumFractionDigits: 2 });
  return `${what} of ${nsToSeconds(ns)} s would end past ${limit} s (2^53 ns, some 104 days), the latest time the clock keeps exactly`;
}

/** The sample at which logical time `ns` falls at `rate` Hz: round(t * rate), computed exactly. */
export function sampleAt(ns: number, rate: number): number {
  const product = BigInt(ns) * BigInt(rate);
  const whole = product / NS_PER_SECOND_BIG;
  const rest = product % NS_PER_SECOND_BIG;
  return Number(whole) + (rest >= NS_PER_SECOND_BIG / 2n ? 1 : 0);
}
