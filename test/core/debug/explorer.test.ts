import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, firstDeparture } from '../../../src/core/debug/explorer';
import type { Session } from '../../../src/core/session/session';
import { secondsToNs } from '../../../src/core/time';
import { crowdAtOneInstant, quietScript, quietText, racyScript } from '../../support/debug/scripts';

const loader = (text: string) => (session: Session) => void session.loadScript('s.txt', text);
const run = (text: string, budget = 200) => explore(loader(text), { budget, limitNs: secondsToNs(60) });

describe('the interleaving explorer', () => {
  it('a cue and a sync at one instant: two outcomes, and the other one is the sync run after the cue', () => {
    const result = run('wait 1; sync go; beep C5 1 &\nwait 1; cue go');
    expect(result.outcomes).toHaveLength(2);
    const [fifo, other] = result.outcomes;
    // asyncio's order: the sync is waiting when the cue comes, and C5 (60) sounds at 1 s.
    expect(fifo.outcome.sound).toContainEqual({ t: 1, notes: [60] });
    expect(other.outcome.sound.some((s) => s.notes.includes(60))).toBe(false);
    const part = firstDeparture(other.decisions)!;
    expect(part.t).toBe(1);
    // The line's `wait 1` (a task of its own, as each `;` part of a line is) goes on first, then its `cue go`.
    expect(part.fifo.name).toBe('wait 1; sync go; beep C5 1');
    expect(part.ran.line).toBe(2);
    expect(other.decisions.filter((d) => d.choice !== 0).map((d) => d.ran.name)).toContain('cue go');
  });

  it('a race whose parts end at one instant: the part that loses changes', () => {
    const result = run('race beep C5 1 | beep E5 1');
    expect(result.outcomes.length).toBeGreaterThanOrEqual(2);
    const cancelled = result.outcomes.map((o) => o.outcome.ends.filter((e) => e.state === 'cancelled').map((e) => e.name).join());
    expect(cancelled).toContain('beep E5 1');
    expect(cancelled).toContain('beep C5 1');
  });

  it('cancel t1 at the instant t1 finishes: too late in one order, in time in the other', () => {
    const result = run('beep C4 1 &\nwait 1; cancel t1; beep A4 1');
    expect(result.outcomes).toHaveLength(2);
    const t1 = result.outcomes.map((o) => o.outcome.ends.find((e) => e.name === 'beep C4 1')!.state);
    expect(t1).toEqual(['done', 'cancelled']);
  });

  it('tasks that only sleep and sound their own notes: one run, whatever the number ready at once', () => {
    const text = Array.from({ length: 8 }, (_, i) => `repeat 3 beep ${60 + i} 1 &`).join('\n');
    const result = run(text);
    expect(result.outcomes).toHaveLength(1);
    expect(result.runs).toBe(1);
  });

  it('finds two or more outcomes in scripts it has not seen that hold a same-instant race', () => {
    fc.assert(
      fc.property(racyScript, ({ text }) => {
        expect(run(text).outcomes.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 25 },
    );
  });

  it('finds exactly one outcome in scripts it has not seen with no race', () => {
    fc.assert(
      fc.property(quietScript, (lines) => {
        // several cues and syncs of one name at one instant cannot change the outcome, but the pruning cannot see it: a budget they fit in
        const result = run(quietText(lines), 2000);
        expect(result.outcomes).toHaveLength(1);
        expect(result.unexplored).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('stays within its budget with 12 tasks ready at one instant, and says how many orders were left', () => {
    const result = run(crowdAtOneInstant(12), 30);
    expect(result.runs).toBe(30);
    expect(result.unexplored).toBeGreaterThan(0);
    expect(result.outcomes.length).toBeGreaterThanOrEqual(2);
  });
});
