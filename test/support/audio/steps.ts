/**
 * Clicks show as steps: the largest |x[k+1] - x[k]| near each change, compared
 * with the largest step of the signal elsewhere.
 */
export interface StepReport {
  /** Largest step within `radius` samples of each change, in the changes' order. */
  atChanges: number[];
  /** Largest step everywhere else. */
  elsewhere: number;
  /** Per change: the largest step in the `context` samples on either side, outside `radius`. */
  local: number[];
}

export function stepsAroundChanges(
  samples: ArrayLike<number>,
  changes: readonly number[],
  radius: number,
  context = 20 * radius,
): StepReport {
  const step = (k: number): number => Math.abs(samples[k + 1] - samples[k]);
  const largestIn = (from: number, to: number): number => {
    let largest = 0;
    for (let k = Math.max(0, from); k < Math.min(samples.length - 1, to); k++) largest = Math.max(largest, step(k));
    return largest;
  };
  const local = changes.map((c) => Math.max(largestIn(c - radius - context, c - radius), largestIn(c + radius + 1, c + radius + 1 + context)));
  const near = new Uint8Array(samples.length);
  const atChanges = changes.map((c) => {
    let largest = 0;
    for (let k = Math.max(0, c - radius); k <= Math.min(samples.length - 2, c + radius); k++) {
      near[k] = 1;
      largest = Math.max(largest, Math.abs(samples[k + 1] - samples[k]));
    }
    return largest;
  });
  let elsewhere = 0;
  for (let k = 0; k + 1 < samples.length; k++) {
    if (!near[k]) elsewhere = Math.max(elsewhere, Math.abs(samples[k + 1] - samples[k]));
  }
  return { atChanges, elsewhere, local };
}
