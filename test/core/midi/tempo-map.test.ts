import { describe, expect, it } from 'vitest';
import { TempoMap } from '../../../src/core/midi/tempo-map';

const S = 1_000_000_000;

describe('TempoMap: logical time to ticks, 960 a beat', () => {
  it('is 960 ticks a second at the default 60 bpm, 1920 at 120', () => {
    expect(new TempoMap([]).tickAt(2 * S)).toBe(1920);
    expect(new TempoMap([{ ns: 0, bpm: 120 }]).tickAt(2 * S)).toBe(3840);
  });

  it('follows a change: after a second at 60, a second at 120 is 1920 ticks more', () => {
    const map = new TempoMap([{ ns: S, bpm: 120 }]);
    expect([map.tickAt(S), map.tickAt(2 * S), map.tickAt(S / 2)]).toEqual([960, 2880, 480]);
    expect(map.tempos()).toEqual([
      { ticks: 0, bpm: 60 },
      { ticks: 960, bpm: 120 },
    ]);
  });

  it('rounds a time that is not on a tick to the nearest, from its exact place every time (no drift)', () => {
    // bpm 100.1: 250 ms is 400.4 ticks; a sum of rounded steps would gain 0.4 a step
    const map = new TempoMap([{ ns: 0, bpm: 100.1 }]);
    for (const k of [1, 2, 3, 1000, 9999]) expect(map.tickAt(k * 250_000_000)).toBe(Math.round(k * 400.4));
    // a triplet at 60 bpm, rounded to whole ns as the clock keeps it, is still tick 320
    expect(map.tickAt(0) + new TempoMap([]).tickAt(333_333_333)).toBe(320);
  });

  it('puts a change that falls between ticks on the nearest, and counts on from its exact place', () => {
    // 1 ms at 60 bpm is 0.96 ticks: a change at 1 ms is on tick 1, and 1 s at 120 after it ends at 0.96 + 1920
    const map = new TempoMap([{ ns: 1_000_000, bpm: 120 }]);
    expect(map.tempos()[1]).toEqual({ ticks: 1, bpm: 120 });
    expect(map.exactTickAt(1_001_000_000)).toBeCloseTo(1920.96, 9);
    expect(map.tickAt(1_001_000_000)).toBe(1921);
  });

  it('keeps one tempo for changes at one time (the last) and none for a change to the tempo in force', () => {
    const map = new TempoMap([
      { ns: 0, bpm: 90 },
      { ns: S, bpm: 90 },
      { ns: 2 * S, bpm: 120 },
      { ns: 2 * S, bpm: 150 },
    ]);
    expect(map.tempos()).toEqual([
      { ticks: 0, bpm: 90 },
      { ticks: 2880, bpm: 150 },
    ]);
  });
});
