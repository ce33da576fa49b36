import { describe, expect, it } from 'vitest';
import { NoteScheduler } from '../../../src/renderer/audio/schedule';
import type { StreamEvent } from '../../../src/core/stream/stream';

const notes = (t: number, ns: number[]): StreamEvent => ({ type: 'notes', t, ns: Math.round(t * 1e9), wall: t, notes: ns, freqs: ns.map(() => 440) });

describe('the audio clock mapping after a silence (issue 10: no late events at a human pace)', () => {
  it('a phrase after a silence whose trip is longer than the first one by more than the lookahead is not late', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    // first line: its events arrive at once (a fast trip)
    s.schedule(notes(1, [60]), 10);
    s.schedule(notes(1.1, []), 10.1);
    // the next line, 0.5 s later, comes back 80 ms slower (a busy page, a batch of events)
    const change = s.schedule(notes(1.6, [62]), 10.6 + 0.08);
    expect(change.late).toBe(false);
    expect(change.at).toBeCloseTo(10.68 + 0.05, 9);
    expect(s.lateCount).toBe(0);
  });

  it('a slow first trip does not add its delay to every later phrase', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    s.schedule(notes(1, [60]), 10 + 0.3);
    s.schedule(notes(1.1, []), 10.4);
    const change = s.schedule(notes(2, [62]), 11.0);
    expect(change.at - 11.0).toBeCloseTo(0.05, 9);
  });

  it('while notes sound, events keep their exact distances whatever their trips', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const a = s.schedule(notes(1, [60]), 10);
    const b = s.schedule(notes(1.2, [60, 64]), 10.2 + 0.03);
    const c = s.schedule(notes(1.25, [64]), 10.25 - 0.01);
    expect(b.at - a.at).toBeCloseTo(0.2, 9);
    expect(c.at - a.at).toBeCloseTo(0.25, 9);
  });

  it('a short rest inside a phrase keeps the rhythm: the mapping stays when it leaves enough lookahead', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const a = s.schedule(notes(1, [60]), 10);
    s.schedule(notes(1.1, []), 10.1);
    // 0.5 s of rest, a trip 10 ms longer: the old mapping still leaves 40 ms, so it is kept
    const b = s.schedule(notes(1.6, [60]), 10.6 + 0.01);
    expect(b.at - a.at).toBeCloseTo(0.6, 9);
  });

  it('a mapping left slow by a stall comes back to the lookahead within a few phrases, keeping the order of notes', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    // the first line's events came 0.6 s late (the page was busy); later trips are quick
    s.schedule(notes(1, [60]), 10.6);
    s.schedule(notes(1.05, []), 10.6);
    const ats: number[] = [];
    const latency: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const t = 1 + 0.5 * k;
      const arrival = 10 + 0.5 * k;
      const on = s.schedule(notes(t, [60 + k]), arrival);
      const off = s.schedule(notes(t + 0.05, []), arrival);
      ats.push(on.at, off.at);
      latency.push(on.at - arrival);
    }
    expect(latency[latency.length - 1]).toBeCloseTo(0.05, 6);
    for (let i = 1; i < ats.length; i++) expect(ats[i]).toBeGreaterThan(ats[i - 1]);
    expect(s.lateCount).toBe(0);
  });
});
