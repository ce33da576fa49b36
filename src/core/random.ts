/**
 * mulberry32: a small, fast, well-mixed 32-bit generator, the same on every
 * machine. Its state steps by MULBERRY32_STEP; `mulberry32` turns a state into
 * a number in 0..1. Chance (`choose`, `rand`) and the drums' noise both use it.
 */
export const MULBERRY32_STEP = 0x6d2b79f5;

export function mulberry32(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
