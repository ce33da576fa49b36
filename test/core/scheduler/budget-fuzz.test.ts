import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { sampleAt, secondsToNs } from '../../../src/core/time';
import { renderSteps } from '../../../src/node/export/render-limit';
import { StreamingRender } from '../../../src/node/cli/streaming-render';
import { hostRig } from '../../support/scheduler/host-rig';

// Small budgets so that each explosion trips in milliseconds; the rules are the same as at the defaults.
const LIMITS = { maxTasks: 300, maxResumptionsPerInstant: 2_000, maxResumptionsPerSecond: 8_000, maxCommandsPerResumption: 500 };

const duration = fc.constantFrom('0', '0.000000001', '0.001', '0.01', '0.1', '0.5');
const note = fc.constantFrom('60', '64', 'C5');
const simple: fc.Arbitrary<string> = fc.oneof(
  note.map((n) => `add ${n}`),
  note.map((n) => `remove ${n}`),
  fc.tuple(note, duration).map(([n, d]) => `beep ${n} ${d}`),
  duration.map((d) => `wait ${d}`),
  duration.map((d) => `block ${d}`),
  fc.constant('panic'),
  fc.constant('stop'),
  fc.constantFrom('amp 0.5', 'env 0.01 0.1 0.5 0.1', 'synth square', 'beep 60 0.1 amp=0.2 synth=fm', 'chord 0.1 60 64 env=0,0,1,0'),
  duration.map((d) => `offload ${d}`),
  fc.constantFrom('tasks', 'cue a', 'sync a', 'fail oops', 'cancel t1', 'cancel t2', 'bpm 120'),
);
/** Commands that take commands, nested a few deep: where explosions come from. */
const command: fc.Arbitrary<string> = fc.letrec<{ cmd: string }>((tie) => ({
  cmd: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simple,
    fc.tuple(fc.constantFrom('1', '10', '1000', '1000000'), tie('cmd')).map(([n, c]) => `repeat ${n} ${c}`),
    tie('cmd').map((c) => `spawn ${c}`),
    tie('cmd').map((c) => `loop ${c}`),
    fc.tuple(tie('cmd'), tie('cmd')).map(([a, b]) => `eval ${a}; ${b}`),
    fc.tuple(fc.constantFrom('gather', 'race', 'settle', 'group'), tie('cmd'), tie('cmd')).map(([g, a, b]) => `${g} ${a} | ${b}`),
    fc.tuple(duration, tie('cmd')).map(([d, c]) => `timeout ${d} ${c}`),
    fc.tuple(fc.constantFrom('x', 'y'), tie('cmd')).map(([name, c]) => `live ${name} ${c}; wait 0.1`),
    tie('cmd').map((c) => `${c} &`),
  ),
})).cmd;
/** A script: some lines, and maybe a doubling def of a few levels (2^levels zero-time calls). */
const script = fc
  .tuple(fc.array(command, { minLength: 1, maxLength: 5 }), fc.option(fc.integer({ min: 2, max: 14 })))
  .map(([lines, levels]) => {
    if (levels === null) return lines;
    const defs = Array.from({ length: levels }, (_, i) => (i === 0 ? 'def q1 beep 60 0' : `def q${i + 1} q${i}; q${i}`));
    return [...defs, `q${levels}`, ...lines];
  });

describe('generated scripts under the budgets', () => {
  it('always end or fail with located errors on the virtual clock (an offline render), never hang', () => {
    fc.assert(
      fc.property(script, (lines) => {
        const session = new Session({ limits: LIMITS });
        const located: boolean[] = [];
        const messages: string[] = [];
        session.subscribe((e) => {
          if (e.type !== 'diagnostic') return;
          located.push(e.diagnostic.line >= 1 && e.diagnostic.col >= 1);
          messages.push(e.diagnostic.message);
        });
        session.loadScript('gen.txt', lines.join('\n'));
        const before = session.scheduler.resumptions;
        session.scheduler.runUntilIdle(20);
        // What can still run after 20 s is what waits: loops of waits under the budget, never a runaway.
        const work = session.scheduler.resumptions - before;
        expect(work).toBeLessThanOrEqual(20 * LIMITS.maxResumptionsPerSecond + 21 * LIMITS.maxResumptionsPerInstant);
        expect(located.every(Boolean)).toBe(true);
        expect(messages.filter((m) => m.includes('internal error'))).toEqual([]);
        session.panic();
        session.scheduler.runUntilIdle();
        expect(session.scheduler.liveTasks).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('on the real clock the host always gets its turn, and a panic then stops everything', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (lines) => {
        const rig = hostRig({ limits: LIMITS });
        await rig.start(lines.join('\n'));
        await rig.run(30);
        expect(rig.worstStallMs).toBeLessThan(100);
        await rig.act(() => rig.session.panic());
        await rig.run(5);
        expect(rig.session.scheduler.liveTasks).toBe(0);
        expect(rig.errors().filter((m) => m.includes('internal error'))).toEqual([]);
        rig.driver.stop();
      }),
      { numRuns: 60 },
    );
  });
});

describe('generated scripts through the offline render loop', () => {
  // What the CLI's --wav/--raw --offline do (src/node/cli/main.ts): step the virtual clock with renderSteps
  // and render the stream as it goes. Tasks that wake inside a `block`, offloads and waits are in the mix.
  // The deadline is a count of steps: each step runs at least one resumption or moves time, so a render
  // within the budgets takes fewer; a loop that spins without progress goes over it and fails the run.
  /** The longest release the generated scripts set (`env 0.01 0.1 0.5 0.1`). */
  const LONGEST_RELEASE_S = 0.1;
  const MAX_STEPS = 2 * (20 * LIMITS.maxResumptionsPerSecond + 21 * LIMITS.maxResumptionsPerInstant) + 1_000;

  it('always ends within the deadline, and renders audio exactly as long as the script played', async () => {
    await fc.assert(
      fc.asyncProperty(script, fc.boolean(), async (lines, exact) => {
        const session = new Session({ limits: LIMITS });
        // --exact: the notes are the demo's one set.
        if (exact) session.stream.useDemoSet();
        const written = { wav: 0, raw: 0 };
        const wav = new StreamingRender({ rate: 8000, exact: false }, (n) => new Int16Array(n), (s) => void (written.wav += s.length));
        const raw = new StreamingRender({ rate: 8000, exact: true }, (n) => new Uint8Array(n), (s) => void (written.raw += s.length));
        session.subscribe((e) => {
          if (e.type !== 'notes' && e.type !== 'stream-end') return;
          wav.push(e);
          raw.push(e);
        });
        session.loadScript('gen.txt', lines.join('\n'));
        let steps = 0;
        const step = await renderSteps(session, secondsToNs(20), async (now) => {
          await wav.renderBefore(now);
          await raw.renderBefore(now);
          return ++steps <= MAX_STEPS;
        });
        expect(steps).toBeLessThanOrEqual(MAX_STEPS);
        if (step === 'over-limit') session.scheduler.runUntilIdle(20);
        if (!session.ended) session.quit();
        const end = session.scheduler.nowNanos;
        await wav.finish(end);
        await raw.finish(end);
        // The demo's arithmetic stops at the end; the voices' render adds a few ms of fade-out, or, where an
        // envelope set a release, lets that release ring on to its end (issue 19: tails are not cut).
        expect(written.raw).toBe(sampleAt(end, 8000));
        expect(written.wav).toBeGreaterThanOrEqual(written.raw);
        const release = lines.some((line) => /\benv\b/.test(line)) ? LONGEST_RELEASE_S : 0;
        expect(written.wav).toBeLessThanOrEqual(written.raw + (0.01 + release) * 8000);
      }),
      { numRuns: 100 },
    );
  });
});
