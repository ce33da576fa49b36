/**
 * Output formats and levels. The demo's unsigned 8-bit level is 127 + 127 m
 * (its 0.8/N formula is exact.ts); 16-bit signed is 32767 m. Silence is the
 * zero level: 127 for 8-bit, 0 for 16-bit.
 */

/** The demo's peak amplitude (0.8/N mixing, --exact), as a fraction of full scale. */
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

/**
 * Convert mix values (fractions of full scale, |m| < 1 after the limiter) to
 * output levels: 127 + 127 m floored in unsigned 8-bit (the demo's zero
 * level), 32767 m rounded in 16-bit, m itself in floats.
 */
export function writeMix(mix: Float64Array, count: number, out: SampleArray, offset: number): void {
  // One loop per array type, each in its own function, so each stays monomorphic.
  if (out instanceof Int16Array) writeS16(mix, count, out, offset);
  else if (out instanceof Uint8Array) writeU8(mix, count, out, offset);
  else out.set(mix.subarray(0, count), offset);
}

/**
 * Stereo: the frames of `left` and `right` interleaved (left, right) into
 * `out` from frame `offset`, each value as writeMix converts it.
 */
export function writeMixStereo(left: Float64Array, right: Float64Array, count: number, out: SampleArray, offset: number): void {
  if (left === right && out instanceof Int16Array) {
    // a centred mix: each value converted once, written to both channels
    for (let j = 0, o = 2 * offset; j < count; j++, o += 2) out[o] = out[o + 1] = roundHalfUp(32767 * left[j]);
  } else if (out instanceof Int16Array) {
    for (let j = 0, o = 2 * offset; j < count; j++, o += 2) {
      out[o] = roundHalfUp(32767 * left[j]);
      out[o + 1] = roundHalfUp(32767 * right[j]);
    }
  } else if (out instanceof Uint8Array) {
    for (let j = 0, o = 2 * offset; j < count; j++, o += 2) {
      out[o] = Math.floor(U8_ZERO + 127 * left[j]);
      out[o + 1] = Math.floor(U8_ZERO + 127 * right[j]);
    }
  } else {
    for (let j = 0, o = 2 * offset; j < count; j++, o += 2) {
      out[o] = left[j];
      out[o + 1] = right[j];
    }
  }
}

function writeS16(mix: Float64Array, count: number, out: Int16Array, offset: number): void {
  for (let j = 0; j < count; j++) out[offset + j] = roundHalfUp(32767 * mix[j]);
}

/**
 * Math.round(x) for |x| < 2^52 (0 where it gives -0), as floor(x + 0.5): V8
 * compiles Math.round with a branch that a waveform mispredicts half the time
 * (writing 16-bit samples took 4x as long). The two differ only where x + 0.5
 * rounds up to the next integer (x = 0.49999999999999994); the correction
 * (r - 0.5 is exact), never taken otherwise, puts that right.
 */
export function roundHalfUp(x: number): number {
  const r = Math.floor(x + 0.5);
  return r - 0.5 > x ? r - 1 : r;
}

function writeU8(mix: Float64Array, count: number, out: Uint8Array, offset: number): void {
  for (let j = 0; j < count; j++) out[offset + j] = Math.floor(U8_ZERO + 127 * mix[j]);
}

/** Fill with the zero level (silence). */
export function writeSilence(count: number, out: SampleArray, offset: number): void {
  out.fill(out instanceof Uint8Array ? U8_ZERO : 0, offset, offset + count);
}
