/**
 * SPEC's output levels. Sample k with N active frequencies is
 * 127 + 0.8 * 127 * (1/N) * sum sin(2 pi f_i k / rate) in the demo's unsigned
 * 8-bit format (floored), and 0.8 * 32767 * (1/N) * sum ... in 16-bit signed
 * (rounded). Silence is the zero level: 127 for 8-bit, 0 for 16-bit.
 */

/** Peak amplitude of the mix, as a fraction of full scale. */
export const AMPLITUDE = 0.8;
/** The demo's zero level in unsigned 8-bit. */
export const U8_ZERO = 127;
/** The demo's 8-bit scale: 0.8 * 127. */
export const U8_SCALE = AMPLITUDE * 127;
/** 16-bit scale: 0.8 * 32767. */
export const S16_SCALE = AMPLITUDE * 32767;

/** The demo's raw stream rate (play.sh: -r 8000 -b 8 -e unsigned). */
export const DEMO_RATE = 8000;
/** corotone's default rate for 16-bit output. */
export const DEFAULT_RATE = 48000;

/**
 * Where the sample values go: Uint8Array takes the demo's unsigned 8-bit
 * levels, Int16Array signed 16-bit, Float32Array floats in -1..1 (Web Audio),
 * scaled by AMPLITUDE like the others.
 */
export type SampleArray = Uint8Array | Int16Array | Float32Array;

/** Convert mix values m (sum of gain * sin, |m| <= 1) to output levels. */
export function writeMix(mix: Float64Array, count: number, out: SampleArray, offset: number): void {
  if (out instanceof Uint8Array) {
    for (let j = 0; j < count; j++) out[offset + j] = Math.floor(U8_ZERO + U8_SCALE * mix[j]);
  } else if (out instanceof Int16Array) {
    for (let j = 0; j < count; j++) out[offset + j] = Math.round(S16_SCALE * mix[j]);
  } else {
    for (let j = 0; j < count; j++) out[offset + j] = AMPLITUDE * mix[j];
  }
}

/** Fill with the zero level (silence). */
export function writeSilence(count: number, out: SampleArray, offset: number): void {
  out.fill(out instanceof Uint8Array ? U8_ZERO : 0, offset, offset + count);
}
