/**
 * A peak limiter for the mix: below LIMIT it does nothing; above, it scales the
 * signal down so no sample passes LIMIT. The gain follows a peak envelope with
 * instant attack, a 20 ms hold and a 100 ms release, so within a waveform's
 * cycle the gain barely moves: the shape is kept (no flat tops, as hard
 * clipping makes), only the level falls. Like Tone.Limiter in the app.
 */

/** The ceiling: -0.5 dBFS. Eight voices at the default level (0.8 peak) stay below it. */
export const LIMIT = 10 ** (-0.5 / 20);
export const LIMITER_HOLD_S = 0.02;
export const LIMITER_RELEASE_S = 0.1;

export class Limiter {
  private envelope = 0;
  private holdLeft = 0;
  private readonly holdSamples: number;
  private readonly releaseCoefficient: number;

  constructor(rate: number) {
    this.holdSamples = Math.round(LIMITER_HOLD_S * rate);
    this.releaseCoefficient = Math.exp(-1 / (LIMITER_RELEASE_S * rate));
  }

  /**
   * No gain reduction is under way: a mix within LIMIT would pass unchanged,
   * so it may skip `process` (whatever the envelope's exact value below LIMIT,
   * a later peak over LIMIT sets it afresh).
   */
  get idle(): boolean {
    return this.envelope <= LIMIT;
  }

  /** Forget the past (when nothing sounds), so the output does not depend on how renders are split. */
  reset(): void {
    this.envelope = 0;
    this.holdLeft = 0;
  }

  /** Limit mix[0 .. n-1] in place. */
  process(mix: Float64Array, n: number): void {
    let envelope = this.envelope;
    let holdLeft = this.holdLeft;
    for (let j = 0; j < n; j++) {
      const a = Math.abs(mix[j]);
      if (a >= envelope) {
        envelope = a;
        holdLeft = this.holdSamples;
      } else if (holdLeft > 0) holdLeft--;
      else envelope *= this.releaseCoefficient;
      if (envelope > LIMIT) mix[j] *= LIMIT / envelope;
    }
    this.envelope = envelope;
    this.holdLeft = holdLeft;
  }

  /** Limit a stereo pair in place, with one gain for both (the peak of either), so the image stays where it is. */
  processStereo(left: Float64Array, right: Float64Array, n: number): void {
    let envelope = this.envelope;
    let holdLeft = this.holdLeft;
    for (let j = 0; j < n; j++) {
      const a = Math.max(Math.abs(left[j]), Math.abs(right[j]));
      if (a >= envelope) {
        envelope = a;
        holdLeft = this.holdSamples;
      } else if (holdLeft > 0) holdLeft--;
      else envelope *= this.releaseCoefficient;
      if (envelope > LIMIT) {
        const gain = LIMIT / envelope;
        left[j] *= gain;
        right[j] *= gain;
      }
    }
    this.envelope = envelope;
    this.holdLeft = holdLeft;
  }
}
