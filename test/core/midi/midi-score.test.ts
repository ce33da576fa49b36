import { describe, expect, it } from 'vitest';
import { DRUM_CHANNEL, midiScore, velocityOf } from '../../../src/core/midi/midi-score';
import type { Player } from '../../../src/core/midi/players';
import type { Score, ScoreNote } from '../../../src/core/midi/score';

const MS = 1_000_000;
const source: Player = { kind: 'source', source: 's.txt', name: 's.txt' };

function note(startMs: number, endMs: number, n = 60, extra: Partial<ScoreNote> = {}): ScoreNote {
  return { player: source, note: n, level: 0.1, startNs: startMs * MS, endNs: endMs * MS, drum: null, pos: null, ...extra };
}

function score(notes: ScoreNote[]): Score {
  return { tempos: [], players: [...new Set(notes.map((n) => n.player))], notes, endNs: Math.max(...notes.map((n) => n.endNs)) };
}

describe('midiScore: a score as MIDI sees it', () => {
  it('writes corotone’s note N as MIDI’s N + 12 (60, C5 at 523 Hz, is MIDI’s 72)', () => {
    expect(midiScore(score([note(0, 500)])).tracks[0].notes).toEqual([{ midi: 72, ticks: 0, durationTicks: 480, velocity: 64 }]);
  });

  it('takes velocity from the level by decibels: 1 is 127, the default 0.1 is 64, 0.01 and below are 1', () => {
    expect([1, 0.5, 0.1, 0.03, 0.01, 0.001, 0].map(velocityOf)).toEqual([127, 108, 64, 30, 1, 1, 1]);
  });

  it('strikes a pitch again when a second voice of it starts on the same track, and ends it with the last', () => {
    // a gather of beep 60 1 and, half a second later, beep 60 1: two notes, the first cut where the second starts
    const notes = midiScore(score([note(0, 1000), note(500, 1500)])).tracks[0].notes;
    expect(notes.map((n) => [n.ticks, n.ticks + n.durationTicks])).toEqual([
      [0, 480],
      [480, 1440],
    ]);
    // started on one tick they are one note, as long as the longer
    const together = midiScore(score([note(0, 1000), note(0, 2000)])).tracks[0].notes;
    expect(together.map((n) => [n.ticks, n.ticks + n.durationTicks])).toEqual([[0, 1920]]);
  });

  it('gives a note shorter than half a tick one tick, and a note struck on that tick again is the same note', () => {
    const notes = midiScore(score([note(0, 0.1), note(0.2, 0.3)])).tracks[0].notes;
    expect(notes.map((n) => [n.ticks, n.durationTicks])).toEqual([[0, 1]]);
  });

  it('gives each track a channel of its own, skipping channel 10 (the drums’), and drum voices go there', () => {
    const players: Player[] = Array.from({ length: 12 }, (_, i) => ({ kind: 'task', source: 's.txt', name: `t${i + 1}` }));
    const notes = players.map((p, i) => note(i * 10, i * 10 + 5, 60, { player: p }));
    notes.push(note(0, 100, 60, { player: players[0], drum: 36 }));
    const tracks = midiScore(score(notes)).tracks;
    expect(tracks.map((t) => [t.name, t.channel])).toEqual([
      ...players.map((p, i) => [p.name, [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12][i]]),
      ['t1 drums', DRUM_CHANNEL],
    ]);
    expect(tracks.at(-1)!.notes[0].midi).toBe(36);
  });

  it('names the tracks of live loops and tasks SOURCE/NAME when several sources play', () => {
    const a: Player = { kind: 'live', source: 'a.txt', name: 'drums' };
    const b: Player = { kind: 'source', source: 'b.txt', name: 'b.txt' };
    expect(midiScore(score([note(0, 10, 60, { player: a }), note(0, 10, 60, { player: b })])).tracks.map((t) => t.name)).toEqual(['a.txt/drums', 'b.txt']);
  });

  it('leaves out notes above 115 (MIDI’s 127) and lists them', () => {
    const out = midiScore(score([note(0, 10, 115), note(0, 10, 116)]));
    expect(out.tracks[0].notes.map((n) => n.midi)).toEqual([127]);
    expect(out.leftOut).toEqual([{ note: 116, startNs: 0, track: 's.txt', pos: null }]);
  });
});
