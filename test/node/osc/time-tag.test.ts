import fc from 'fast-check';
import { fromBuffer, toBuffer } from 'osc-min';
import { describe, expect, it } from 'vitest';
import { timeTagOfUnixNs, unixNsOfTimeTag } from '../../../src/node/osc/time-tag';

describe('OSC time tags from Unix ns', () => {
  it('counts seconds from 1900 and a 2^-32 fraction: 1970 is 2,208,988,800 s, half a second is 2^31', () => {
    expect(timeTagOfUnixNs(0n)).toEqual([2_208_988_800, 0]);
    expect(timeTagOfUnixNs(500_000_000n)).toEqual([2_208_988_800, 2 ** 31]);
    expect(timeTagOfUnixNs(999_999_999n)).toEqual([2_208_988_800, 2 ** 32 - 4]);
  });

  it('keeps a time of today to the nanosecond through a bundle written and read back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1_700_000_000_000_000_000n, max: 2_000_000_000_000_000_000n }), (ns) => {
        const packet = fromBuffer(toBuffer({ timetag: timeTagOfUnixNs(ns), elements: [{ address: '/x', args: [] }] }));
        expect(packet.oscType).toBe('bundle');
        const back = unixNsOfTimeTag((packet as { timetag: [number, number] }).timetag);
        expect(back - ns <= 1n && ns - back <= 1n).toBe(true);
      }),
    );
  });
});
