import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { parseLine, tokenize, type ParsedLine } from '../../../src/core/language';
import { Session } from '../../../src/core/session';

function errors(line: string) {
  const parsed = parseLine(line, 'p.txt', 1, builtinCommands);
  if (parsed.kind !== 'error') throw new Error(`expected an error for ${JSON.stringify(line)}`);
  return parsed.diagnostics.map((d) => ({ col: d.col, message: d.message, hint: d.hint }));
}

function command(line: string) {
  const parsed = parseLine(line, 'p.txt', 1, builtinCommands) as Extract<ParsedLine, { kind: 'command' }>;
  if (parsed.kind !== 'command') throw new Error(`${JSON.stringify(line)} did not parse: ${JSON.stringify(parsed)}`);
  return parsed.invocation;
}

describe('separators', () => {
  it('makes |, & and ; words of their own, keeps # inside note names and starts a comment after a separator', () => {
    expect(tokenize('gather beep F#4|beep Eb4 1&#x|y').map((t) => [t.text, t.col])).toEqual([
      ['gather', 1],
      ['beep', 8],
      ['F#4', 13],
      ['|', 16],
      ['beep', 17],
      ['Eb4', 22],
      ['1', 26],
      ['&', 27],
    ]);
  });

  it('reads gather\'s parts with their own columns, a part may be a sequence', () => {
    const gather = command('gather beep 60 1|eval wait 1; beep 62 ;beep 64 | chord 1 F#4 Bb4');
    const parts = gather.args as { text: string; pos: { col: number } }[];
    expect(parts.map((p) => [p.text, p.pos.col])).toEqual([
      ['beep 60 1', 8],
      ['eval wait 1; beep 62 ;beep 64', 18],
      ['chord 1 F#4 Bb4', 50],
    ]);
  });

  it('a body runs to the end of the line, and belongs to the innermost command that takes one', () => {
    const spawn = command('spawn loop beep 60; wait 1');
    const loop = spawn.args as { spec: { name: string }; text: string; args: { text: string } };
    expect(loop.spec.name).toBe('loop');
    expect(loop.args.text).toBe('beep 60; wait 1');
    const background = command('loop beep 60; wait 1 &');
    expect(background.spec.name).toBe('spawn');
    expect((background.args as { text: string }).text).toBe('loop beep 60; wait 1');
  });

  it('locates separators where they do not belong, with a hint', () => {
    expect(errors('add 60 | add 62')).toEqual([
      { col: 8, message: 'unexpected "|": expected the arguments of add only', hint: 'to run commands together, write "gather add 60 | add 62" (or group, settle, race)' },
    ]);
    expect(errors('chord 1 60 & wait 1')).toEqual([
      { col: 12, message: 'unexpected "&": expected the arguments of chord only', hint: 'a "&" goes at the end of a command, to run it in the background' },
    ]);
    expect(errors('&')).toMatchObject([{ col: 1, message: 'expected a command, found "&"' }]);
    expect(errors('gather | beep 60')).toMatchObject([{ col: 8, message: 'expected a command before "|", found "|"' }]);
    expect(errors('gather beep 60 |')).toMatchObject([{ col: 16, message: 'expected a command after "|", found end of line' }]);
    expect(errors('race beep 60 | chrod 1 60')).toMatchObject([{ col: 16, hint: 'did you mean "chord"?' }]);
    expect(errors('gather')).toMatchObject([{ col: 7, message: 'missing argument: expected commands separated by "|", found end of line' }]);
    expect(errors('loop')).toMatchObject([{ col: 5, message: 'missing argument: expected a command, found end of line' }]);
    expect(errors('repeat x beep 60')).toMatchObject([{ col: 8, message: 'expected a count 0..1000000, found "x"' }]);
    expect(errors('timeout beep 60')).toMatchObject([{ col: 9 }]);
  });
});

const words = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('spawn', 'gather', 'settle', 'race', 'timeout', 'repeat', 'loop', 'tasks', 'cancel', 'stop', 'block', 'offload', 'fail', 'def', 'riff', 'eval', 'beep', 'chord', 'wait', 'add', 'remove', 'help', 'amp', 'env', 'synth', 'panic', 'quit') },
  { weight: 4, arbitrary: fc.constantFrom('|', '&', ';', '#', '|#', '&;', 'F#4', 'Eb4', '60', '0', '0.5', '1', '2', 't1', '3', '-1', 'x', 'a/t1', 'amp=0.5', 'env=0,0,1,0', 'synth=square', 'square', 'amp=9') },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);
const line = fc.oneof(
  fc.array(words, { maxLength: 9 }).map((w) => w.join(' ')),
  fc.array(words, { maxLength: 9 }).map((w) => w.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Lines that hold notes in every way a task can, and end tasks in every way. */
const holding = fc.constantFrom(
  'add 60', 'spawn add 62; wait 30', 'loop add 64', 'chord 30 60 64 &', 'beep 67 30 amp=0.5 &', 'loop beep 60 0.25 &',
  'gather add 70 | wait 40', 'timeout 1 add 72; wait 5', 'spawn add 74; wait 0.5; fail x', 'race add 76; wait 9 | wait 1',
  'settle add 77; fail y | wait 2', 'spawn repeat 3 add 78; wait 1', 'wait 1', 'repeat 3 beep 60 0.1', 'amp 0.5', 'remove 60',
  'stop', 'cancel t1', 'cancel p.txt/t1', 'quit',
);

describe('any line', () => {
  it('parses without throwing, every problem located inside the line', () => {
    fc.assert(
      fc.property(line, (text) => {
        const parsed = parseLine(text, 'p.txt', 4, builtinCommands);
        if (parsed.kind === 'error') {
          expect(parsed.diagnostics.length).toBeGreaterThan(0);
          for (const d of parsed.diagnostics) {
            expect(d).toMatchObject({ source: 'p.txt', line: 4 });
            expect(d.col).toBeGreaterThanOrEqual(1);
            expect(d.col).toBeLessThanOrEqual(text.length + 1);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves no note sounding once every task has ended, however they end (stopped, failed, run out)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(line, holding), { maxLength: 6 }), fc.array(holding, { maxLength: 5 }), (lines, typed) => {
        const session = new Session();
        session.loadScript('p.txt', ['def riff beep 60 0.5', ...lines].join('\n'));
        const terminal = session.openSource('term');
        for (const text of typed) terminal.pushLine(text);
        session.scheduler.runUntilIdle(20);
        // Not panic (which silences by itself): stop ends the tasks, and their voices must go with them.
        session.stopAll();
        session.scheduler.runUntilIdle(21);
        expect(session.scheduler.liveTasks).toBe(0);
        expect(session.stream.notes).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('runs without throwing or hanging, and panic leaves silence', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const session = new Session();
        session.loadScript('p.txt', ['def riff beep 60 0.5', ...lines].join('\n'));
        session.scheduler.runUntilIdle(20);
        session.panic();
        session.scheduler.runUntilIdle(21);
        expect(session.stream.notes).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
