import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rebuildAt } from '../../../src/core/debug/replay';
import { compareMoment } from '../../../src/core/debug/replay-check';
import type { Session } from '../../../src/core/session/session';
import { secondsToNs } from '../../../src/core/time';
import { liveRig } from '../../support/debug/live-rig';

/** Lines a generated session types: tempo, chance, loops, spawned notes, cues, a line that fails. */
const LINES = [
  'bpm 120',
  'bpm 75',
  'seed 5',
  'beep choose(C4,E4,G4) 0.5',
  'beep E5 1 &',
  'live a beep rand(60,72) 0.25',
  'live b drum bd; wait 0.5',
  'live a beep G3 0.5; wait 0.25',
  'chord 0.75 C4 E4 G4',
  'wait 0.3; cue go',
  'sync go; beep A4 0.25',
  'repeat 3 beep D5 0.125',
  'cancel t1',
  'beep X9 1',
];

type Action =
  | { kind: 'line'; line: number }
  | { kind: 'script'; line: number; other: number }
  | { kind: 'stop'; what: 'terminal' | 'script' }
  | { kind: 'interrupt' }
  | { kind: 'stop-all' }
  | { kind: 'panic' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('line' as const), line: fc.nat(LINES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('script' as const), line: fc.nat(LINES.length - 1), other: fc.nat(LINES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const), what: fc.constantFrom('terminal' as const, 'script' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'interrupt' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stop-all' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'panic' as const }) },
);

/** Play `steps` (each after a gap of wall ms) on the live rig, as a user in the app would, then run to the end. */
async function play(steps: { gapMs: number; lateMs: number; action: Action }[]) {
  const rig = liveRig();
  let terminal: ReturnType<Session['openSource']> | null = null;
  let ms = 0;
  for (const { gapMs, lateMs, action } of steps) {
    ms += gapMs;
    await rig.at(ms, (e) => {
      switch (action.kind) {
        case 'line':
          terminal ??= e.openSource('terminal');
          terminal.pushLine(LINES[action.line]);
          return;
        case 'script':
          e.loadScript('lesson.txt', `${LINES[action.line]}\n${LINES[action.other]}`);
          return;
        case 'stop':
          e.stopSource(action.what === 'terminal' ? 'terminal' : 'lesson.txt');
          if (action.what === 'terminal') terminal = null;
          return;
        case 'interrupt':
          e.interruptSource('terminal');
          return;
        case 'stop-all':
          e.stopAll();
          terminal = null;
          return;
        case 'panic':
          e.panic();
          terminal = null;
      }
    }, lateMs);
  }
  await rig.to(ms + 1500);
  rig.stop();
  return { rig, endMs: ms + 1500 };
}

describe('replay from here, property', () => {
  it('rebuilt at a random moment T of a generated session (inputs at odd times, some while the host is late), the session equals the original at T', async () => {
    // Some inputs come while the host is late with its timers (work due before them has not run yet).
    const step = fc.record({ gapMs: fc.double({ min: 0, max: 700, noNaN: true }), lateMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 60, noNaN: true })), action });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), async (steps, where) => {
        const { rig, endMs } = await play(steps);
        // A moment the original has reached (the app refuses one after the present): the rig's driver may stand short of endMs.
        // A moment the original has reached (the app refuses one after the present): the rig's driver may stand short of endMs.
        const atNs = Math.min(secondsToNs(Math.round(where * endMs * 1e3) / 1e6), rig.session.scheduler.nowNanos);
        const rebuilt = rebuildAt(rig.log.inputs, atNs);
        expect(compareMoment(rig.events, rebuilt.events, rebuilt.session.snapshot(), atNs)).toEqual([]);
      }),
      { numRuns: 40, ...(process.env.REPLAY_SEED ? { seed: Number(process.env.REPLAY_SEED), path: process.env.REPLAY_PATH, endOnFailure: true } : {}) },
    );
  });
});
