/**
 * The offline render's loop (the CLI's --wav/--events/--trace/--raw --offline
 * and the app's Export all step the virtual clock with stepWithin). Each loop
 * here is driven a bounded number of steps, so a render that never ends fails
 * the test instead of hanging it.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import type { SessionEvent } from '../../../src/core/session/api';
import { RenderStalled, stepWithin, type Step } from '../../../src/node/export/render-limit';
import { secondsToNs } from '../../../src/core/time';

/** Step a fresh session of `text` at most `maxSteps` times: how it ended, where, and what it printed and played. */
function render(text: string, limitSeconds = 600, maxSteps = 10_000) {
  const session = new Session();
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript('s.txt', text);
  let step: Step = 'stepped';
  let steps = 0;
  while (step === 'stepped' && steps < maxSteps) {
    step = stepWithin(session, secondsToNs(limitSeconds));
    steps++;
  }
  return { step, end: session.scheduler.now, events };
}

describe('an offline render whose task wakes inside a block', () => {
  it.each([
    ['race wait 1 | block 2', 2],
    ['wait 1 &\nblock 2', 2],
    ['beep 60 0.5 &\nblock 2\nbeep 64 0.5', 2.5],
  ])('ends (%j), at the block’s end or the last note', (text, end) => {
    const run = render(text);
    expect(run.step).toBe('idle');
    expect(run.end).toBe(end);
  });

  it('wakes the task late, when the block ends, and plays what comes after', () => {
    // The melody's note due at 1 s starts when the block lets go, at 2 s, and the melody goes on from there.
    const run = render('spawn eval wait 1; beep 72 0.5\nblock 2\nwait 1');
    expect(run.step).toBe('idle');
    const starts = run.events.filter((e) => e.type === 'notes' && e.notes.includes(72)).map((e) => e.t);
    expect(starts).toEqual([2]);
    expect(run.events.some((e) => e.type === 'loop-lag' && e.late === 1)).toBe(true);
  });

  it('stops at the limit even when the block crosses it', () => {
    const run = render('wait 9 &\nwait 5\nblock 10\nloop beep 60 1', 10);
    expect(run.step).toBe('over-limit');
    expect(run.end).toBe(15);
  });
});

describe('a render step that makes no progress', () => {
  it('ends with an error instead of spinning', () => {
    // A scheduler that has work, but does nothing when asked to run it.
    const stuck = {
      scheduler: {
        idle: false,
        nowNanos: 2e9,
        resumptions: 0,
        work: 0,
        hasReady: false,
        liveTasks: 1,
        nextTimerNs: () => 1e9,
        runUntilIdleNs: () => {},
      },
    } as unknown as Session;
    expect(() => stepWithin(stuck, 600e9)).toThrow(RenderStalled);
    expect(() => stepWithin(stuck, 600e9)).toThrow(/no progress at 2 s/);
  });
});
