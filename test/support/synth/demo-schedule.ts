/**
 * The demo's commands.txt as the stream's change events, written from SPEC.md's
 * schedule (not from corotone's interpreter): add 60 at 0, ten chords, remove 60
 * and quit at 10.05.
 */
import { noteFrequency } from '../../../src/core/stream/notes';
import { secondsToNs } from '../../../src/core/time';

export const CHORD_STARTS = [2.0, 3.0, 3.4, 3.75, 4.85, 5.25, 5.6, 6.7, 7.1, 7.45];
export const CHORD_DURATIONS = [0.5, 0.4, 0.35, 0.6, 0.4, 0.35, 0.6, 0.4, 0.35, 0.6];
const A = [72, 75, 79];
const B = [70, 74, 77];
const C = [68, 72, 75];
export const CHORD_NOTES = [A, A, B, A, A, B, A, A, B, C];
export const DEMO_END_S = 10.05;

/** A span of constant sound: notes sounding from `from` to `to` seconds. */
export interface Segment {
  from: number;
  to: number;
  notes: number[];
}

/** The demo's segments, in order, from 0 to 10.05. */
export function demoSegments(): Segment[] {
  const marks = new Map<number, number[]>();
  marks.set(0, [60]);
  CHORD_STARTS.forEach((start, i) => {
    const end = Math.round((start + CHORD_DURATIONS[i]) * 1000) / 1000;
    marks.set(start, [60, ...CHORD_NOTES[i]]);
    // A chord that ends when the next begins is replaced by it at the same instant.
    if (!CHORD_STARTS.includes(end)) marks.set(end, [60]);
  });
  const times = [...marks.keys()].sort((a, b) => a - b);
  return times.map((t, i) => ({ from: t, to: times[i + 1] ?? DEMO_END_S, notes: marks.get(t)! }));
}

export interface Change {
  ns: number;
  notes: number[];
  freqs: number[];
}

/** The change events (as a FrequencyStream would publish them), shifted by `offsetS`. */
export function demoChanges(offsetS = 0): Change[] {
  return demoSegments().map((s) => ({
    ns: secondsToNs(offsetS + s.from),
    notes: s.notes,
    freqs: s.notes.map(noteFrequency),
  }));
}

export const DEMO_END_NS = secondsToNs(DEMO_END_S);
