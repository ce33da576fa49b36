/**
 * OSC time tags (NTP's 64-bit format: seconds since 1900 and a 32-bit
 * fraction) from Unix time in integer ns, exactly: as a float, seconds since
 * 1900 (3.9e9) hold only about half a microsecond.
 */
import type { TimeTag } from 'osc-min';

const NS_PER_SECOND = 1_000_000_000n;
/** Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01 (Unix's). */
const NTP_UNIX_OFFSET = 2_208_988_800n;
const FRACTIONS_PER_SECOND = 2n ** 32n;

/**
 * The time tag of `unixNs` (ns since 1970, not before), its fraction rounded
 * to the nearest 2^-32 s (whole ns never round up to the next second: 1e9 - 1
 * ns is 2^32 - 4.3 fractions).
 */
export function timeTagOfUnixNs(unixNs: bigint): TimeTag {
  const seconds = unixNs / NS_PER_SECOND;
  const rest = unixNs - seconds * NS_PER_SECOND;
  const fraction = (rest * FRACTIONS_PER_SECOND + NS_PER_SECOND / 2n) / NS_PER_SECOND;
  return [Number(seconds + NTP_UNIX_OFFSET), Number(fraction)];
}

/** Unix ns of a time tag (to the nearest ns). */
export function unixNsOfTimeTag([seconds, fraction]: TimeTag): bigint {
  return (BigInt(seconds) - NTP_UNIX_OFFSET) * NS_PER_SECOND + (BigInt(fraction) * NS_PER_SECOND + FRACTIONS_PER_SECOND / 2n) / FRACTIONS_PER_SECOND;
}
