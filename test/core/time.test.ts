import { describe, expect, it } from 'vitest';
import { parseDurationNs } from '../../src/core/language/numbers';
import { play } from '../support/core/session';
import { MAX_TIME_NS, msToNs, nanos, nsToSeconds, seconds, secondsToNs, type Nanos, type Seconds } from '../../src/core/time';

describe('time units', () => {
  it('keeps nanoseconds and seconds apart in their types', () => {
    const wait: Nanos = secondsToNs(1.5);
    // @ts-expect-error seconds are not nanoseconds: converting is explicit
    const wrong: Nanos = seconds(1.5);
    // @ts-expect-error nor are nanoseconds seconds
    const alsoWrong: Seconds = nanos(1_500_000_000);
    expect(nsToSeconds(wait)).toBe(1.5);
    expect([wrong, alsoWrong]).toEqual([1.5, 1_500_000_000]);
  });

  it('converts decimal durations to whole ns that add up exactly', () => {
    const parts = ['2', '0.5', '0.4', '0.35'].map((t) => {
      const d = parseDurationNs(t);
      return d.ok ? d.ns : NaN;
    });
    expect(nsToSeconds(parts.reduce((a, b) => a + b, 0))).toBe(3.25);
    expect(msToNs(250)).toBe(secondsToNs(0.25));
  });

  it('refuses a duration past the clock’s exact range, 2^53 ns', () => {
    expect(MAX_TIME_NS).toBe(2 ** 53 - 1);
    expect(parseDurationNs(String(Math.floor(MAX_TIME_NS / 1e9)))).toMatchObject({ ok: true });
    expect(parseDurationNs('9007200')).toEqual({ ok: false, problem: 'too-long' });
  });

  it('fails a wait or block that would end past 2^53 ns at its line, and the script goes on', () => {
    const h = play(['wait 9007199', 'block 0.25', 'wait 9007199', 'beep 60 0.000000003', 'beep 62 0.000000003']);
    h.run();
    expect(h.diagnostics().map((d) => [d.line, d.message])).toEqual([
      [3, expect.stringContaining('wait of 9007199 s would end past 9,007,199.25 s (2^53 ns')],
    ]);
    // The block ended within the range; the notes after the refused wait play on, 3 ns apart.
    expect(h.of('notes').filter((e) => e.notes.length > 0).map((e) => e.ns)).toEqual([9_007_199_250_000_000, 9_007_199_250_000_003]);
  });
});
