import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LOOKAHEAD, INPUT_WINDOW, NoteScheduler } from '../../../src/renderer/audio/schedule';
import type { StreamEvent } from '../../../src/core/stream/stream';

const notes = (t: number, ns: number[]): StreamEvent => ({ type: 'notes', t, ns: Math.round(t * 1e9), wall: t, notes: ns, freqs: ns.map(() => 440) });

describe('a typed line is heard one input lookahead after its note arrives (issue 18, item 17)', () => {
  it("the first note of the session, after a line was sent, gets the input lookahead", () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.02 });
    s.expectInput(9.98);
    const on = s.schedule(notes(1, [60]), 10);
    expect(on.at - on.arrived!).toBeCloseTo(0.02, 9);
    // the line's later events keep their distance from its first note
    const off = s.schedule(notes(1.05, []), 10.05);
    expect(off.at - on.at).toBeCloseTo(0.05, 9);
    expect(s.lateCount).toBe(0);
  });

  it('after a rest, a typed note is placed afresh even where a script phrase would keep the mapping', () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.02 });
    s.schedule(notes(1, [60]), 10);
    s.schedule(notes(1.1, []), 10.1);
    // 0.5 s of rest, the same trip: the old mapping would place it 50 ms on, within the band a script keeps
    s.expectInput(10.59);
    const typed = s.schedule(notes(1.6, [62]), 10.6);
    expect(typed.at - 10.6).toBeCloseTo(0.02, 9);
  });

  it("a script's phrase after a typed line's gets the full lookahead back", () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.02 });
    s.expectInput(9.99);
    s.schedule(notes(1, [60]), 10);
    s.schedule(notes(1.05, []), 10.05);
    const script = s.schedule(notes(2, [64]), 11);
    expect(script.at - 11).toBeCloseTo(0.05, 9);
  });

  it('only a note that starts sound from silence, and only soon after the line was sent, counts as input', () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.02 });
    s.schedule(notes(1, [60]), 10);
    // while a script's note sounds, a typed note joins its mapping
    s.expectInput(10.1);
    const joined = s.schedule(notes(1.2, [60, 62]), 10.2);
    expect(joined.at - 10.2).toBeCloseTo(0.05, 9);
    s.schedule(notes(1.3, []), 10.3);
    // a line sent long before (it made no sound) does not make a later script phrase input
    s.expectInput(10.3);
    const later = s.schedule(notes(2.3 + INPUT_WINDOW, [64]), 11.3 + INPUT_WINDOW);
    expect(later.at - later.arrived!).toBeCloseTo(0.05, 9);
  });

  it('a lookahead set below the input lookahead is used for typed notes too', () => {
    const s = new NoteScheduler({ lookahead: 0.01, inputLookahead: 0.02 });
    s.expectInput(10);
    const on = s.schedule(notes(1, [60]), 10);
    expect(on.at - 10).toBeCloseTo(0.01, 9);
  });
});

describe('typed lines in quick succession', () => {
  it('a typed note after a rest shorter than a script phrase needs is placed afresh too, after the rest began', () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.02 });
    s.expectInput(9.99);
    s.schedule(notes(1, [60]), 10);
    const off = s.schedule(notes(1.05, []), 10.05);
    // ½×-speed typing: the next line 0.2 logical s later, its trip 15 ms quicker than the first
    s.expectInput(10.18);
    const next = s.schedule(notes(1.2, [62]), 10.185);
    expect(next.at - 10.185).toBeCloseTo(0.02, 9);
    expect(next.at).toBeGreaterThan(off.at);
  });
});

describe('the default input lookahead', () => {
  it('by default a typed note sounds one input lookahead after it arrives, a third of the script lookahead', () => {
    const s = new NoteScheduler();
    s.expectInput(9.99);
    const on = s.schedule(notes(1, [60]), 10);
    expect(on.at - 10).toBeCloseTo(DEFAULT_INPUT_LOOKAHEAD, 9);
    expect(on.at - 10).toBeLessThanOrEqual(s.lookahead / 3);
  });
});

describe('a script that starts while a typed line sounds', () => {
  it('is late at most once: the first event the typed mapping places too late gives the mapping the full lookahead', () => {
    const s = new NoteScheduler({ lookahead: 0.05, inputLookahead: 0.015 });
    s.expectInput(9.99);
    // a typed loop: its note sounds from t = 1 (heard at 10.015)
    s.schedule(notes(1, [72]), 10);
    // a lesson starts at t = 1.1 while it sounds; its events come 30 ms slower than the typed note's trip
    const first = s.schedule(notes(1.1, [60, 72]), 10.13);
    expect(first.late).toBe(true);
    const rest = [1.2, 1.35, 1.5, 1.7].map((t, i) => s.schedule(notes(t, i % 2 === 0 ? [64, 72] : [67]), 10.13 + (t - 1.1)));
    expect(rest.every((c) => !c.late)).toBe(true);
    expect(s.lateCount).toBe(1);
    // and they keep their exact distances from the first
    expect(rest.map((c) => +(c.at - first.at).toFixed(9))).toEqual([0.1, 0.25, 0.4, 0.6]);
  });
});
