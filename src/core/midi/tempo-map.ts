/**
 * Logical time to MIDI ticks, through the tempo changes of a script: 960
 * ticks a beat, a beat 60/bpm seconds. Every tick is computed from the exact
 * logical time (integer ns) with exact arithmetic (BigInt) and rounded once,
 * so a note's tick never drifts however long the music (a sum of rounded
 * ticks would: 250 ms at bpm 100.1 is 400.4 ticks).
 */
import type { SourcePosition } from '../scheduler/events';
import { UNITS_PER_ONE } from '../time';

export const TICKS_PER_BEAT = 960;
/** The tempo before any `bpm` (the language's default). */
export const START_BPM = 60;

/** A `bpm` that ran: from logical time `ns` on, `bpm` beats a minute. */
export interface TempoChange {
  ns: number;
  bpm: number;
  /** Where the `bpm` that made it is written, if known. */
  pos?: SourcePosition | null;
}

/** A tempo event of the file: at tick `ticks`, `bpm` beats a minute. */
export interface TickTempo {
  ticks: number;
  bpm: number;
}

/**
 * ticks = ns × bpm / 60 / 1e9 × 960; with bpm held in billionths (as `bpm`
 * parses it, exactly), ticks × DENOMINATOR = ns × bpm-billionths.
 */
const DENOMINATOR = (60n * BigInt(UNITS_PER_ONE) * BigInt(UNITS_PER_ONE)) / BigInt(TICKS_PER_BEAT);

interface Segment {
  ns: number;
  /** bpm in billionths. */
  units: bigint;
  /** The exact tick the segment starts at, times DENOMINATOR. */
  at: bigint;
  bpm: number;
}

export class TempoMap {
  private readonly segments: Segment[] = [];

  /** `changes` in the order they ran (times never go back); one before time 0 or none means 60 bpm from the start. */
  constructor(changes: readonly TempoChange[]) {
    let current: Segment = { ns: 0, units: bpmUnits(START_BPM), at: 0n, bpm: START_BPM };
    for (const change of changes) {
      const ns = Math.max(0, change.ns);
      const units = bpmUnits(change.bpm);
      if (ns === current.ns) {
        current = { ...current, units, bpm: change.bpm };
        continue;
      }
      if (units === current.units) continue;
      this.segments.push(current);
      current = { ns, units, at: current.at + BigInt(ns - current.ns) * current.units, bpm: change.bpm };
    }
    this.segments.push(current);
  }

  /** The tick of logical time `ns`: the nearest to its exact place (a half rounds up). */
  tickAt(ns: number): number {
    return roundTicks(this.exactAt(ns));
  }

  /** The exact tick of `ns`, as a plain number (for tests and reports). */
  exactTickAt(ns: number): number {
    const scaled = this.exactAt(ns);
    const whole = scaled / DENOMINATOR;
    return Number(whole) + Number(scaled - whole * DENOMINATOR) / Number(DENOMINATOR);
  }

  /** The tempo events of the file: each change at the tick nearest its exact place. */
  tempos(): TickTempo[] {
    return this.segments.map((s) => ({ ticks: roundTicks(s.at), bpm: s.bpm }));
  }

  private exactAt(ns: number): bigint {
    const segment = this.segmentAt(ns);
    return segment.at + BigInt(Math.max(0, ns - segment.ns)) * segment.units;
  }

  /** The last segment that starts at or before `ns` (binary search: a script may change tempo often). */
  private segmentAt(ns: number): Segment {
    const s = this.segments;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid].ns <= ns) lo = mid;
      else hi = mid - 1;
    }
    return s[lo];
  }
}

function bpmUnits(bpm: number): bigint {
  return BigInt(Math.round(bpm * UNITS_PER_ONE));
}

function roundTicks(scaled: bigint): number {
  return Number((2n * scaled + DENOMINATOR) / (2n * DENOMINATOR));
}
