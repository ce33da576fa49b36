import { describe, expect, it } from 'vitest';
import { runExample } from '../support/examples/support';

// The lessons of musical time, checked for what they teach from the event stream.

describe('cue-and-sync.txt', () => {
  const run = runExample('cue-and-sync.txt');
  const cues = run.of('cue');

  it('the count-in takes four beats at bpm 120, then the cue wakes both waiting players on that instant', () => {
    expect(cues.map((c) => [c.t, c.name])).toEqual([[2, 'go'], [4, 'go']]);
    expect(cues[0].woke).toHaveLength(2);
    const woken = run.spans.filter((s) => cues[0].woke.includes(s.id));
    // each sync ends at the cue (the player goes on in the same task)
    for (const s of woken) expect(s.start).toBe(0);
    expect(run.soundingAt(2)).toEqual(expect.arrayContaining([48, 64]));
  });

  it('a player who arrives after a cue waits for the next one', () => {
    expect(cues[1].woke).toHaveLength(1);
    expect(run.notes.find((n) => n.notes.includes(43))?.t).toBe(4);
  });

  it('a sync for a cue that never comes is cancelled by its timeout, located at its line', () => {
    const diagnostics = run.of('diagnostic').map((e) => e.diagnostic);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].message).toBe('timed out: "sync never" ran longer than 1 s and was cancelled');
  });
});

describe('live-loop.txt', () => {
  const run = runExample('live-loop.txt');

  it('swaps the body of the running loop at its next pass boundary: one loop, no gap', () => {
    const swaps = run.of('live-swap');
    expect(swaps.map((s) => [s.t, s.name])).toEqual([[2, 'melody']]);
    const loops = run.spans.filter((s) => s.kind === 'spawned');
    expect(loops.map((s) => s.name)).toEqual(['live melody arp C5', 'live bass synth triangle; sync melody; beep choose(C3,G3,A3) 1']);
    // A4 (57) sounds from the boundary at 2 s on, never before
    expect(run.notes.find((n) => n.notes.includes(57))?.t).toBe(2);
    expect(run.soundingAt(1.9)).toEqual([72]);
  });

  it('lands each bass note on a pass of the melody (a live loop cues its name), in a timbre of its own', () => {
    const bass = [36, 43, 45];
    const voices = new Map<number, { t: number; note: number; timbre?: string }>();
    for (const e of run.of('notes')) for (const v of e.voices ?? []) if (!voices.has(v.id)) voices.set(v.id, { t: e.t, note: v.note, timbre: v.timbre });
    const bassVoices = [...voices.values()].filter((v) => bass.includes(v.note));
    // the melody's passes last a second (four half beats at bpm 120), from 0 on; the bass joins at 3.5 s, stop comes at 7.5 s
    expect(bassVoices.map((v) => v.t)).toEqual([4, 5, 6, 7]);
    expect(new Set(bassVoices.map((v) => v.timbre))).toEqual(new Set(['triangle']));
    expect(new Set([...voices.values()].filter((v) => !bass.includes(v.note)).map((v) => v.timbre))).toEqual(new Set([undefined]));
    expect(run.of('cue').every((c) => c.name === 'melody' && c.woke.length === 1)).toBe(true);
  });

  it('says it swapped, and that the redefined phrase reaches the loop', () => {
    const out = run.of('output').map((e) => e.text);
    expect(out).toContain('live melody (t1): replaced, the new body plays from its next pass');
    expect(out).toContain('redefined arp: loops that play it take the new one at their next pass');
    expect(run.of('diagnostic')).toEqual([]);
  });
});
