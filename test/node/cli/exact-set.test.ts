/**
 * `--exact` promises the demo's output for the demo's commands, so its notes
 * are the demo's one set (SPEC.md): after `add 60`, the end of
 * `chord 0.4 60 64 67` removes 60 from the set, and 60 stops at 0.4 s with
 * the chord. Without --exact, 60 is a voice of its own and sounds on.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';

const RATE = 8000;

/** The demo's samples for a schedule of (start sample, notes in the order added), written from SPEC.md's formula. */
function demoSamples(marks: [number, number[]][], length: number): Uint8Array {
  const c = (2 * Math.PI) / RATE;
  const out = new Uint8Array(length).fill(127);
  marks.forEach(([start, notes], i) => {
    const end = i + 1 < marks.length ? marks[i + 1][0] : length;
    if (notes.length === 0) return;
    const inverse = 1 / notes.length;
    const freqs = notes.map((n) => 16.35 * Math.pow(Math.pow(2, 1 / 12), n));
    for (let k = start; k < end; k++) {
      let total = 0;
      for (const f of freqs) total = total + Math.sin(k * c * f) * 127 * inverse;
      out[k] = Math.trunc(total * 0.8 + 127);
    }
  });
  return out;
}

function mismatches(actual: Buffer, expected: Uint8Array): number[] {
  const at: number[] = [];
  for (let k = 0; k < Math.max(actual.length, expected.length); k++) if (actual[k] !== expected[k]) at.push(k);
  return at.slice(0, 10);
}

describe('--exact plays the demo’s one set of notes', () => {
  // add 60, then a chord that holds 60 too: in the demo the chord's end removes 60 from its one set.
  const script = 'add 60\nchord 0.4 60 64 67\nwait 0.2\nquit\n';
  const expected = demoSamples(
    [
      [0, [60, 64, 67]],
      [0.4 * RATE, []],
    ],
    0.6 * RATE,
  );

  it.each([
    ['offline', ['--raw', '--offline', '--exact']],
    ['live', ['--raw', '--exact']],
  ])('the chord’s end stops 60 at 0.4 s, sample for sample the demo’s arithmetic (%s)', async (_, args) => {
    const { code, stdout } = await runCli(args, script);
    expect(code).toBe(0);
    expect(stdout.length).toBe(expected.length);
    expect(mismatches(stdout, expected)).toEqual([]);
  });

  it('without --exact, 60 is the line’s own voice and sounds on after the chord', async () => {
    const { stdout } = await runCli(['--raw', '--offline'], script);
    const after = stdout.subarray(0.45 * RATE, 0.55 * RATE);
    expect(after.some((v) => v !== 127)).toBe(true);
  });
});
