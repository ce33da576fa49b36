import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_EDGE_S, NoteScheduler, diffVoiceIds, playedVoices, rebaseChanges } from '../../../src/renderer/audio/schedule';
import type { NotesEvent, StreamEndEvent } from '../../../src/core/stream/stream';
import { noteFrequency } from '../../../src/core/stream/notes';

function notes(t: number, list: number[]): NotesEvent {
  return { type: 'notes', t, ns: Math.round(t * 1e9), wall: t, notes: list, freqs: list.map(noteFrequency) };
}
function end(t: number): StreamEndEvent {
  return { type: 'stream-end', t, ns: Math.round(t * 1e9), wall: t };
}

describe('logical time to audio time', () => {
  it('fixes the offset at the first event: it plays one lookahead after it arrived', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const c = s.schedule(notes(2, [60]), 10);
    expect(c.at).toBeCloseTo(10.05, 12);
    expect(s.offset).toBeCloseTo(8.05, 12);
    expect(c.late).toBe(false);
  });

  it('keeps the exact distances between notes whatever the arrival jitter', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const times = [0, 2, 3, 3.4, 3.75, 4.85];
    // arrivals on the audio clock: each event a little late or early, within the lookahead
    const jitter = [0, 0.03, -0.01, 0.045, 0.002, 0.02];
    const changes = times.map((t, i) => s.schedule(notes(t, [60 + i]), 5 + t + jitter[i]));
    for (let i = 1; i < times.length; i++) {
      expect(changes[i].at - changes[0].at).toBeCloseTo(times[i] - times[0], 12);
    }
    expect(s.lateCount).toBe(0);
  });

  it('plays an event that arrives after its time at once and counts it as late', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    s.schedule(notes(0, [60]), 1);
    const late = s.schedule(notes(1, [62]), 2.2); // due at 2.05
    expect(late.late).toBe(true);
    expect(late.at).toBe(2.2);
    expect(late.lateBy).toBeCloseTo(0.15, 12);
    const onTime = s.schedule(notes(2, [64]), 3.01); // due at 3.05
    expect(onTime.late).toBe(false);
    expect(onTime.at).toBeCloseTo(3.05, 12);
    expect(s.lateCount).toBe(1);
  });

  it('after a long stall (late beyond the re-anchor limit) later notes are on time again', () => {
    const s = new NoteScheduler({ lookahead: 0.05, reanchorAfter: 0.5 });
    s.schedule(notes(0, [60]), 0);
    const stalled = s.schedule(notes(1, [61]), 3); // due at 1.05: 1.95 s late
    expect(stalled.late).toBe(true);
    expect(stalled.at).toBe(3);
    const next = s.schedule(notes(1.5, [62]), 3.01);
    expect(next.late).toBe(false);
    expect(next.at - stalled.at).toBeCloseTo(0.5 + 0.05, 12);
    expect(s.lateCount).toBe(1);
  });

  it('a larger lookahead absorbs more jitter', () => {
    const arrivals = [0, 1.08, 2.02];
    const count = (lookahead: number) => {
      const s = new NoteScheduler({ lookahead });
      arrivals.forEach((a, i) => s.schedule(notes(i, [60 + i]), a));
      return s.lateCount;
    };
    expect(count(0.05)).toBe(1);
    expect(count(0.1)).toBe(0);
  });

  it('after a clock reset the next event fixes a new offset', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    s.schedule(notes(0, [60]), 1);
    s.resetClock();
    const c = s.schedule(notes(5, [61]), 100);
    expect(c.at).toBeCloseTo(100.05, 12);
    expect(s.toLogical(100.05)).toBeCloseTo(5, 12);
  });

  it('the stream end silences', () => {
    const s = new NoteScheduler();
    s.schedule(notes(0, [60]), 0);
    const c = s.schedule(end(10.05), 10);
    expect(c.end).toBe(true);
    expect(c.notes).toEqual([]);
    expect(c.voices).toEqual([]);
  });
});

describe('mixing', () => {
  it('keeps each voice at its own level however many sound (no 0.8/N)', () => {
    const s = new NoteScheduler();
    const one = s.schedule(notes(0, [60]), 0).voices!;
    const four = s.schedule(notes(1, [60, 72, 75, 79]), 1).voices!;
    expect(one.map((v) => v.level)).toEqual([0.1]);
    expect(four.map((v) => v.level)).toEqual([0.1, 0.1, 0.1, 0.1]);
  });

  it('starts only new voices, releases only ended ones', () => {
    const s = new NoteScheduler();
    const a = s.schedule(notes(0, [60]), 0).voices!;
    const b = s.schedule(notes(1, [60, 72, 75]), 1).voices!;
    const up = diffVoiceIds(a, b, 1);
    expect(up.start.map((x) => x.voice.note)).toEqual([72, 75]);
    expect(up.release).toEqual([]);
    const down = diffVoiceIds(b, a, 2);
    expect(down.start).toEqual([]);
    expect(down.release.map((r) => r.id).sort()).toEqual(b.filter((v) => v.note !== 60).map((v) => v.id).sort());
  });

  it('rebasing recorded changes keeps their distances', () => {
    const s = new NoteScheduler();
    const list = [s.schedule(notes(0, [60]), 7), s.schedule(notes(2, [60, 72]), 9), s.schedule(notes(2.5, [60]), 9.4)];
    const rebased = rebaseChanges(list, 0.1);
    expect(rebased[0].at).toBeCloseTo(0.1, 12);
    expect(rebased[1].at - rebased[0].at).toBeCloseTo(2, 12);
    expect(rebased[2].at - rebased[1].at).toBeCloseTo(0.5, 12);
  });
});

describe('speed: logical time played slower than real time', () => {
  it('places a logical second at 1/speed audio seconds once the mapping exists at that speed', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    s.setSpeed(0, 0.5); // before any event: only remembered
    const a = s.schedule(notes(1, [60]), 10);
    const b = s.schedule(notes(2, [62]), 11.9);
    expect(b.at - a.at).toBeCloseTo(2, 12);
    expect(s.toLogical(a.at + 1)).toBeCloseTo(1.5, 12);
  });

  it('re-anchors at the change: notes before it keep the old spacing, after it the new, with no jump at the change', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const first = s.schedule(notes(0, [60]), 5);
    const before = s.schedule(notes(1, [62]), 5.99);
    // the host slows to 1/2 at logical 1.5 (audio 5.05 + 1.5)
    s.setSpeed(1.5, 0.5);
    expect(s.toAudio(1.5)).toBeCloseTo(first.at + 1.5, 12);
    const after = s.schedule(notes(2.5, [64]), 7.5);
    expect(before.at - first.at).toBeCloseTo(1, 12);
    // 1.5 s at speed 1, then 1 s at speed 1/2 = 2 s of audio
    expect(after.at - first.at).toBeCloseTo(1.5 + 2, 12);
    // a late event from before the change (a timer that fired late) is still placed by the old speed
    expect(s.toAudio(1.25)).toBeCloseTo(first.at + 1.25, 12);
    // back to real time at 3.5: continuous again
    const at35 = s.toAudio(3.5)!;
    s.setSpeed(3.5, 1);
    expect(s.toAudio(3.5)).toBeCloseTo(at35, 12);
    expect(s.toAudio(4.5)! - at35).toBeCloseTo(1, 12);
    // and the inverse agrees everywhere
    for (const t of [0.3, 1.5, 2.2, 3.5, 4.1]) expect(s.toLogical(s.toAudio(t)!)).toBeCloseTo(t, 9);
    expect(s.lateCount).toBe(0);
  });

  it('keeps exact relative timing across any sequence of speed changes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.double({ min: 0.01, max: 3, noNaN: true }), speed: fc.constantFrom(0.25, 0.5, 1) }), { minLength: 1, maxLength: 8 }),
        (changes) => {
          const s = new NoteScheduler({ lookahead: 0.1 });
          const start = s.schedule(notes(0, [60]), 1).at;
          let t = 0;
          let audio = start;
          let speed = 1;
          for (const change of changes) {
            t += change.dt;
            audio += change.dt / speed;
            s.setSpeed(t, change.speed);
            speed = change.speed;
            expect(s.toAudio(t)).toBeCloseTo(audio, 6);
          }
          expect(s.toAudio(t + 1)! - audio).toBeCloseTo(1 / speed, 6);
        },
      ),
    );
  });
});

describe('voices on the audio clock', () => {
  const voice = (id: number, note: number, owner = 1) => ({ id, owner, note, level: 0.1, onset: 0 });
  const withVoices = (t: number, voices: ReturnType<typeof voice>[]): NotesEvent => ({
    ...notes(t, [...new Set(voices.map((v) => v.note))].sort((a, b) => a - b)),
    voices,
  });

  it('carries who holds which note, with the defaults filled in', () => {
    const s = new NoteScheduler({ lookahead: 0.05 });
    const c = s.schedule(withVoices(0, [voice(1, 48, 1), voice(2, 48, 2)]), 1);
    expect(c.voices!.map((v) => [v.id, v.note, v.level, v.envelope.release, v.timbre])).toEqual([
      [1, 48, 0.1, 0.003, null],
      [2, 48, 0.1, 0.003, null],
    ]);
    // A sender without voices: one default voice per note, the same id while the note sounds.
    const a = s.schedule(notes(1, [60, 64]), 2).voices!;
    const b = s.schedule(notes(2, [60]), 3).voices!;
    expect(b[0].id).toBe(a[0].id);
  });

  it("keeps one owner's voice when another's of the same pitch ends", () => {
    const before = playedVoices([48], [voice(1, 48, 1), voice(2, 48, 2)]);
    const after = playedVoices([48], [voice(1, 48, 1)]);
    const d = diffVoiceIds(before, after, 5);
    expect(d.start).toEqual([]);
    expect(d.release).toEqual([{ id: 2, at: 5, seconds: 0.003 }]);
  });

  it('re-articulates: the old voice releases within the edge, the new attack begins after it', () => {
    const long = { ...voice(1, 64), envelope: { attack: 0.01, decay: 0, sustain: 1, release: 1 } };
    const d = diffVoiceIds(playedVoices([64], [long]), playedVoices([64], [voice(2, 64)]), 5);
    expect(d.release).toEqual([{ id: 1, at: 5, seconds: DEFAULT_EDGE_S }]);
    expect(d.start.map((s) => [s.voice.id, s.at])).toEqual([[2, 5 + DEFAULT_EDGE_S]]);
    // Another pitch starting at the same time is not delayed.
    const other = diffVoiceIds(playedVoices([64], [long]), playedVoices([65], [voice(2, 65)]), 5);
    expect(other.start[0].at).toBe(5);
    expect(other.release[0].seconds).toBe(1);
  });
});
