import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfUp, writeMix } from '../../../src/core/synth/format';

/** Math.round, its -0 read as 0 (a sample has no sign of zero). */
const mathRound = (x: number): number => Math.round(x) + 0;

function writtenS16(values: readonly number[]): number[] {
  const out = new Int16Array(values.length);
  writeMix(Float64Array.from(values), values.length, out, 0);
  return [...out];
}

describe('roundHalfUp', () => {
  it('is Math.round at the halves, one ulp either side of them, and at 0.49999999999999994', () => {
    const halves = [-16383.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 16383.5, 2 ** 40 + 0.5];
    const near = halves.flatMap((x) => [x - Number.EPSILON * Math.abs(x), x, x + Number.EPSILON * Math.abs(x)]);
    // The one double whose floor(x + 0.5) is not Math.round(x): x + 0.5 rounds up to 1.
    const values = [...near, 0.49999999999999994, -0.49999999999999994, 0, 1, -1];
    expect(values.map(roundHalfUp)).toEqual(values.map(mathRound));
  });

  it('is Math.round for any double within 2^52', () => {
    fc.assert(
      fc.property(fc.double({ min: -(2 ** 52), max: 2 ** 52, noNaN: true }), (x) => {
        expect(roundHalfUp(x)).toBe(mathRound(x));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('writeMix to 16-bit', () => {
  it('writes 32767 m rounded as Math.round does', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 64 }), (values) => {
        expect(writtenS16(values)).toEqual(values.map((m) => Math.round(32767 * m) | 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes at the offset and leaves the rest of the array alone', () => {
    const out = new Int16Array(6).fill(7);
    writeMix(Float64Array.of(0.5, -0.5, 0.25), 2, out, 3);
    expect([...out]).toEqual([7, 7, 7, 16384, -16383, 7]);
  });
});
