import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session, type SessionEvent } from '../../../src/core/session';

const commandsTxt = readFileSync(new URL('../../../resources/commands.txt', import.meta.url), 'utf8');

function record(session: Session): SessionEvent[] {
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  return events;
}

/** Reads the chords back out of the notes events: each span where a set of notes besides 60 sounds. */
function chordsOf(events: SessionEvent[]): { start: number; durationNs: number; notes: number[] }[] {
  const chords: { start: number; durationNs: number; notes: number[] }[] = [];
  let open: { start: number; ns: number; notes: number[] } | null = null;
  for (const e of events) {
    if (e.type !== 'notes') continue;
    const others = e.notes.filter((n) => n !== 60);
    if (open !== null) chords.push({ start: open.start, durationNs: e.ns - open.ns, notes: open.notes });
    open = others.length > 0 ? { start: e.t, ns: e.ns, notes: others } : null;
  }
  return chords;
}

describe('the demo commands.txt on the virtual clock', () => {
  it('plays SPEC.md\'s schedule at exact logical times', () => {
    const session = new Session();
    const events = record(session);
    const loaded = session.loadScript('commands.txt', commandsTxt);
    expect(loaded.diagnostics).toEqual([]);
    session.scheduler.runUntilIdle();

    const notes = events.filter((e) => e.type === 'notes');
    expect(notes[0]).toMatchObject({ t: 0, notes: [60] });
    const chords = chordsOf(events);
    expect(chords.map((c) => c.start)).toEqual([2.0, 3.0, 3.4, 3.75, 4.85, 5.25, 5.6, 6.7, 7.1, 7.45]);
    // Exact: the difference of two exact logical times in ns.
    expect(chords.map((c) => c.durationNs / 1e9)).toEqual([0.5, 0.4, 0.35, 0.6, 0.4, 0.35, 0.6, 0.4, 0.35, 0.6]);
    const ends = notes.filter((e) => e.type === 'notes').map((e) => e.type === 'notes' && e.ns);
    expect(ends).toContain(10_050_000_000);
    expect(chords.map((c) => c.notes.join(' '))).toEqual([
      '72 75 79', '72 75 79', '70 74 77', '72 75 79', '72 75 79', '70 74 77', '72 75 79', '72 75 79', '70 74 77', '68 72 75',
    ]);

    // 60 sounds from 0 until the end; its removal and the quit are at 10.05.
    const last = notes[notes.length - 1];
    expect(last).toMatchObject({ t: 10.05, notes: [] });
    expect(notes.slice(0, -1).every((e) => e.type === 'notes' && e.notes.includes(60))).toBe(true);
    const ended = events.find((e) => e.type === 'session-ended');
    expect(ended).toMatchObject({ t: 10.05 });
    expect(events.find((e) => e.type === 'stream-end')).toMatchObject({ t: 10.05 });
    expect(events.find((e) => e.type === 'source-ended')).toMatchObject({ source: 'commands.txt', reason: 'quit', t: 10.05 });
    expect(session.ended).toBe(true);
    expect(session.scheduler.now).toBe(10.05);
    expect(session.snapshot().tasks).toEqual([]);
  });

  it('gives the chord start times as exact ns sums (no float drift)', () => {
    const session = new Session();
    const events = record(session);
    session.loadScript('commands.txt', commandsTxt);
    session.scheduler.runUntilIdle();
    const ns = events.flatMap((e) => (e.type === 'notes' ? [e.ns] : []));
    expect(ns).toEqual([
      0, 2_000_000_000, 2_500_000_000, 3_000_000_000, 3_400_000_000, 3_750_000_000, 4_350_000_000, 4_850_000_000,
      5_250_000_000, 5_600_000_000, 6_200_000_000, 6_700_000_000, 7_100_000_000, 7_450_000_000, 8_050_000_000,
      10_050_000_000,
    ]);
  });

  it('plays the same lines typed into a source one by one', () => {
    const session = new Session();
    const events = record(session);
    const stdin = session.openSource('stdin');
    for (const line of commandsTxt.split('\n')) stdin.pushLine(line);
    stdin.end();
    session.scheduler.runUntilIdle();
    expect(chordsOf(events).map((c) => c.start)).toEqual([2.0, 3.0, 3.4, 3.75, 4.85, 5.25, 5.6, 6.7, 7.1, 7.45]);
    expect(events.find((e) => e.type === 'session-ended')).toMatchObject({ t: 10.05 });
  });
});
