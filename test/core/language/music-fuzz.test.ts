import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { parseLine } from '../../../src/core/language';
import { Session } from '../../../src/core/session/session';

// Fuzz coverage of the musical forms: value words (sums, choose, rand, tick,
// absolute durations, parameters), bpm, seed, cue/sync, live and def with parameters.

const atom = fc.oneof(
  fc.constantFrom('C5', 'E5', 'G5', '48', '60', '0.25', '.5', '1', '250ms', '1.5s', 'ROOT', 'X', 'Eb4', 'F#3', '', '(', ')', ','),
  fc.string({ maxLength: 4 }),
);
const valueWord: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    atom,
    fc.tuple(tie('v'), fc.constantFrom('+', '-'), tie('v')).map(([a, op, b]) => `${a}${op}${b}`),
    fc.tuple(fc.constantFrom('choose', 'rand', 'tick', 'pick'), fc.array(tie('v'), { maxLength: 4 }), fc.constantFrom(',', ', ')).map(([f, args, sep]) => `${f}(${args.join(sep)})`),
  ),
})).v;

describe('value words', () => {
  it('never throw, and every problem is located inside the line', () => {
    fc.assert(
      fc.property(fc.constantFrom('beep', 'wait', 'chord 1', 'add', 'timeout', 'block', 'offload', 'def arp ROOT: beep', 'def w LEN: block'), valueWord, fc.option(valueWord), (cmd, a, b) => {
        const text = `${cmd} ${a}${b === null ? '' : ` ${b}`}`;
        const parsed = parseLine(text, 'f.txt', 2, builtinCommands.fork());
        if (parsed.kind === 'error') {
          for (const d of parsed.diagnostics) {
            expect(d.line).toBe(2);
            expect(d.col).toBeGreaterThanOrEqual(1);
            expect(d.col).toBeLessThanOrEqual(text.length + 1);
            expect(d.message.length).toBeGreaterThan(0);
            expect(d.message).not.toMatch(/internal error/);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const simple = fc.oneof(
  fc.tuple(valueWord, valueWord).map(([n, d]) => `beep ${n} ${d}`),
  fc.constantFrom('beep choose(C5,E5,G5) rand(0.1,0.3)', 'beep tick(C5, E5) 0.5', 'wait 250ms', 'wait 0.5', 'arp C5', 'arp 48', 'p'),
  fc.integer({ min: 0, max: 400 }).map((n) => `bpm ${n}`),
  fc.integer({ min: 0, max: 9 }).map((n) => `seed ${n}`),
  fc.constantFrom('cue a', 'cue b', 'sync a', 'timeout 1 sync b', 'sync a &'),
  fc.tuple(fc.constantFrom('block', 'offload'), valueWord).map(([cmd, v]) => `${cmd} ${v}`),
);
const line = fc.oneof(
  simple,
  fc.tuple(fc.constantFrom('x', 'y'), simple).map(([name, body]) => `live ${name} ${body}; wait 1`),
  simple.map((body) => `def p: ${body}`),
  simple.map((body) => `spawn ${body}`),
);
const script = fc.array(line, { minLength: 1, maxLength: 8 }).map((lines) => ['def arp ROOT: beep ROOT 0.25; beep ROOT+7 0.25', ...lines]);

describe('generated scripts of musical forms', () => {
  it('run on the virtual clock with located errors only, the same way twice, and a panic ends everything', () => {
    fc.assert(
      fc.property(script, (lines) => {
        const render = () => {
          const session = new Session();
          const events: string[] = [];
          const diagnostics: { line: number; col: number; message: string }[] = [];
          session.subscribe((e) => {
            if (e.type === 'diagnostic') diagnostics.push(e.diagnostic);
            if (e.type === 'notes' || e.type === 'cue' || e.type === 'live-swap' || e.type === 'seed') events.push(JSON.stringify(e));
          });
          session.loadScript('gen.txt', lines.join('\n'));
          session.scheduler.runUntilIdle(12);
          session.panic();
          session.scheduler.runUntilIdle();
          expect(session.scheduler.liveTasks).toBe(0);
          // Checked here, not in the listener, so that fast-check sees a failure and shrinks it.
          for (const d of diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.col).toBeGreaterThanOrEqual(1);
            expect(d.message).not.toMatch(/internal error/);
          }
          return events.join('\n');
        };
        expect(render()).toBe(render());
      }),
      { numRuns: 60 },
    );
  });

  it('n beats at any whole bpm end at exactly round(n * 60 / bpm) s in ns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 300 }), (bpm, n) => {
        const session = new Session();
        const onsets: number[] = [];
        session.subscribe((e) => {
          if (e.type === 'notes' && e.notes.length > 0) onsets.push(e.ns);
        });
        session.loadScript('t.txt', `bpm ${bpm}\nrepeat ${n} wait 1\nbeep C5 1`);
        session.scheduler.runUntilIdle();
        const exact = (BigInt(n) * 60_000_000_000n * 2n + BigInt(bpm)) / (2n * BigInt(bpm));
        expect(onsets).toEqual([Number(exact)]);
      }),
      { numRuns: 60 },
    );
  });
});
