import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinCommands, helpText, MAX_BLOCK_SECONDS } from '../../../src/core/commands';
import { Session } from '../../../src/core/session';
import {
  formatDiagnostic,
  parseDurationNs,
  parseLine,
  parseNote,
  parseScript,
  tokenize,
  type ParsedLine,
} from '../../../src/core/language';
import type { Diagnostic } from '../../../src/core/session';

function errorsOf(line: string): Diagnostic[] {
  const parsed = parseLine(line, 'song.txt', 3, builtinCommands);
  if (parsed.kind !== 'error') throw new Error(`expected an error for ${JSON.stringify(line)}, got ${parsed.kind}`);
  return parsed.diagnostics;
}

function only(line: string): Diagnostic {
  const diagnostics = errorsOf(line);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0];
}

function argsOf(line: string): unknown {
  const parsed = parseLine(line, 'song.txt', 1, builtinCommands);
  if (parsed.kind !== 'command') throw new Error(`${JSON.stringify(line)} did not parse: ${JSON.stringify(parsed)}`);
  return parsed.invocation.args;
}

describe('tokenize', () => {
  it('splits on whitespace with 1-based columns, # begins a comment only at the start of a word', () => {
    expect(tokenize('  chord\t0.5 F#4 Eb4 # a chord').map((t) => [t.text, t.col])).toEqual([
      ['chord', 3],
      ['0.5', 9],
      ['F#4', 13],
      ['Eb4', 17],
    ]);
    expect(tokenize('# whole line')).toEqual([]);
    expect(tokenize('add 60#no comment')).toMatchObject([{ text: 'add' }, { text: '60#no' }, { text: 'comment' }]);
  });

  it('makes ; a word of its own', () => {
    expect(tokenize('eval add 60;wait 1 ; remove 60').map((t) => t.text)).toEqual(['eval', 'add', '60', ';', 'wait', '1', ';', 'remove', '60']);
  });
});

describe('notes', () => {
  it('reads numbers and scientific pitch names with the demo\'s numbering', () => {
    const cases: [string, number][] = [
      ['0', 0], ['127', 127], ['60', 60], ['C0', 0], ['A4', 57], ['C5', 60], ['c5', 60], ['F#3', 42],
      ['Eb4', 51], ['Bb2', 34], ['B#4', 60], ['Cb5', 59], ['G9', 115], ['G10', 127], ['e♭4', 51], ['F♯3', 42], ['-0', 0], ['+60', 60], ['0060', 60],
    ];
    for (const [text, note] of cases) expect([text, parseNote(text)]).toEqual([text, { ok: true, note }]);
  });

  it('refuses notes outside 0..127 and words that are not notes', () => {
    expect(parseNote('128')).toMatchObject({ ok: false, problem: 'out-of-range' });
    expect(parseNote('-1')).toMatchObject({ ok: false, problem: 'out-of-range' });
    expect(parseNote('Cb0')).toMatchObject({ ok: false, problem: 'out-of-range', value: -1 });
    expect(parseNote('G#10')).toMatchObject({ ok: false, problem: 'out-of-range', value: 128 });
    expect(parseNote('60.5')).toMatchObject({ ok: false, problem: 'not-whole' });
    expect(parseNote('Cx4')).toMatchObject({ ok: false, problem: 'bad-name' });
    expect(parseNote('H4')).toMatchObject({ ok: false, problem: 'not-a-note' });
    expect(parseNote('EB4')).toMatchObject({ ok: false });
  });
});

describe('durations', () => {
  it('reads decimals exactly into nanoseconds', () => {
    const cases: [string, number][] = [
      ['2', 2e9], ['0.5', 5e8], ['.25', 2.5e8], ['3.', 3e9], ['0.35', 350_000_000], ['0.1', 100_000_000],
      ['1e-3', 1_000_000], ['2.5E2', 250e9], ['0', 0], ['-0', 0], ['+1.5', 1.5e9], ['0.0000000015', 2],
      ['0.0000000004', 0], ['1e-999999999', 0], ['007.25', 7.25e9],
    ];
    for (const [text, ns] of cases) expect([text, parseDurationNs(text)]).toEqual([text, { ok: true, ns }]);
  });

  it('names the problem with a bad duration', () => {
    expect(parseDurationNs('-0.5')).toEqual({ ok: false, problem: 'negative' });
    expect(parseDurationNs('inf')).toEqual({ ok: false, problem: 'not-finite' });
    expect(parseDurationNs('NaN')).toEqual({ ok: false, problem: 'not-finite' });
    expect(parseDurationNs('1e999')).toEqual({ ok: false, problem: 'not-finite' });
    expect(parseDurationNs('1e7')).toEqual({ ok: false, problem: 'too-long' });
    expect(parseDurationNs('x')).toEqual({ ok: false, problem: 'not-a-number' });
    expect(parseDurationNs('1.2.3')).toEqual({ ok: false, problem: 'not-a-number' });
    expect(parseDurationNs('.')).toEqual({ ok: false, problem: 'not-a-number' });
  });

  it('is the decimal in ns, rounded half up, for any digits and exponent (checked against exact integer arithmetic)', () => {
    /** The decimal times 10^9, rounded half up, in BigInt: what parseDurationNs must give. */
    const exactNs = (digits: string, fraction: string, exponent: number): bigint => {
      const whole = BigInt(digits + fraction);
      const shift = exponent - fraction.length + 9;
      if (shift >= 0) return whole * 10n ** BigInt(shift);
      const divisor = 10n ** BigInt(-shift);
      return whole / divisor + (2n * (whole % divisor) >= divisor ? 1n : 0n);
    };
    const digitString = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(
      fc.property(digitString(20), fc.option(digitString(20)), fc.option(fc.integer({ min: -14, max: 12 })), (digits, fraction, exponent) => {
        const text = `${digits}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent}`}`;
        const ns = exactNs(digits, fraction ?? '', exponent ?? 0);
        const expected = ns > BigInt(Number.MAX_SAFE_INTEGER) ? { ok: false, problem: 'too-long' } : { ok: true, ns: Number(ns) };
        expect([text, parseDurationNs(text)]).toEqual([text, expected]);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the nearest nanosecond of the decimal for any short decimal', () => {
    fc.assert(
      fc.property(fc.nat(999_999), fc.nat(999_999_999), (whole, frac) => {
        const text = `${whole}.${String(frac).padStart(9, '0')}`;
        expect(parseDurationNs(text)).toEqual({ ok: true, ns: whole * 1e9 + frac });
      }),
    );
  });
});

describe('parseLine', () => {
  it('parses every demo command', () => {
    expect(argsOf('add 60')).toEqual({ note: 60, options: {} });
    // Durations are beats, known in ns only when the command runs (at the source's bpm): billionths of a beat here.
    const beats = (d: unknown) => (d as { expr: unknown }).expr;
    const optioned = argsOf('beep C5 0.5 amp=0.3 synth=square env=0.01,0.1,0.5,0.2') as { ns: unknown; notes: number[]; options: unknown };
    expect([beats(optioned.ns), optioned.notes, optioned.options]).toEqual([
      { kind: 'number', units: 500_000_000 },
      [60],
      { level: 0.3, timbre: 'square', envelope: { attack: 0.01, decay: 0.1, sustain: 0.5, release: 0.2 } },
    ]);
    expect(argsOf('remove C5')).toBe(60);
    const chord = argsOf('chord 0.35 70 74 77') as { ns: unknown; notes: number[]; options: unknown };
    expect([beats(chord.ns), chord.notes, chord.options]).toEqual([{ kind: 'number', units: 350_000_000 }, [70, 74, 77], {}]);
    const beep = argsOf('beep A4') as { ns: unknown; notes: number[]; options: unknown };
    expect([beats(beep.ns), beep.notes, beep.options]).toEqual([{ kind: 'number', units: 500_000_000 }, [57], {}]);
    expect(beats((argsOf('beep 60 .25') as { ns: unknown }).ns)).toEqual({ kind: 'number', units: 250_000_000 });
    expect(beats(argsOf('wait 2'))).toEqual({ kind: 'number', units: 2e9 });
    expect(beats(argsOf('wait 250ms'))).toEqual({ kind: 'absolute', ns: 250_000_000 });
    expect(argsOf('quit')).toBeUndefined();
    expect(parseLine('exit', 's', 1, builtinCommands)).toMatchObject({ kind: 'command', invocation: { spec: { name: 'quit' } } });
    expect(parseLine('   # just a comment', 's', 1, builtinCommands)).toEqual({ kind: 'empty', line: 1 });
    expect(parseLine('', 's', 1, builtinCommands)).toEqual({ kind: 'empty', line: 1 });
  });

  it('names the line\'s text and position without its comment or indentation', () => {
    expect(parseLine('  chord 1 F#4 Bb4   # the tonic', 'a.txt', 9, builtinCommands)).toMatchObject({
      kind: 'command',
      text: 'chord 1 F#4 Bb4',
      pos: { source: 'a.txt', line: 9, col: 3 },
    });
  });

  it('splits eval into parts that keep their own columns', () => {
    const parsed = parseLine('eval add 60; wait 0.5;beep C5 1', 'a.txt', 2, builtinCommands) as Extract<ParsedLine, { kind: 'command' }>;
    const parts = parsed.invocation.args as { text: string; pos: { col: number } }[];
    expect(parts.map((p) => [p.text, p.pos.col])).toEqual([['add 60', 6], ['wait 0.5', 14], ['beep C5 1', 23]]);
  });

  it('suggests the nearest command for an unknown one', () => {
    const d = only('  chrod 0.5 72 75 79');
    expect(d).toMatchObject({ source: 'song.txt', line: 3, col: 3, endCol: 8, found: 'chrod', hint: 'did you mean "chord"?' });
    expect(d.message).toBe('unknown command "chrod"');
    expect(only('wiat 1').hint).toBe('did you mean "wait"?');
    expect(only('ad 60').hint).toBe('did you mean "add"?');
    expect(only('xylophone 60').hint).toBe('type "help" for the list of commands');
  });

  it('reports a missing argument just past the last word, with the usage', () => {
    expect(only('wait')).toMatchObject({ col: 5, found: 'end of line', expected: 'a duration in seconds', hint: 'usage: wait S' });
    const d = only('chord 0.5');
    expect(d).toMatchObject({ col: 10, hint: 'usage: chord S N1 N2 ...' });
    expect(d.message).toBe('missing argument: expected at least one note, or a chord by name like E3:minor, found end of line');
    expect(only('chord')).toMatchObject({ col: 6, message: 'missing argument: expected a duration in seconds, found end of line' });
  });

  it('reports extra arguments at the first extra word', () => {
    expect(only('add 60 62')).toMatchObject({ col: 8, found: '62', expected: 'end of line', hint: 'usage: add N' });
    expect(only('quit now').message).toBe('too many arguments: expected end of line, found "now"');
  });

  it('reports a bad duration at its column, saying what was expected', () => {
    expect(only('wait soon')).toMatchObject({ col: 6, endCol: 10, found: 'soon', message: 'expected a duration in seconds, found "soon"' });
    expect(only('wait -1')).toMatchObject({ col: 6, message: 'negative duration: expected a duration in seconds (0 or more), found "-1"' });
    expect(only('chord inf 60')).toMatchObject({ col: 7, message: 'expected a finite duration in seconds, found "inf"' });
    expect(only('beep 60 NaN')).toMatchObject({ col: 9, message: 'expected a finite duration in seconds, found "NaN"' });
  });

  it('reports bad notes at their columns, all of them at once', () => {
    const ds = errorsOf('chord 0.5 72 200 H4 Cx4 C#4');
    expect(ds.map((d) => [d.col, d.found])).toEqual([[14, '200'], [18, 'H4'], [21, 'Cx4']]);
    expect(ds[0].message).toMatch(/^note out of range: expected a note 0\.\.127 .*, found "200"$/);
    expect(ds[1].message).toBe('expected a note: a number 0..127 or a name like C5, F#3, Eb4, found "H4"');
    expect(ds[2].message).toBe('bad note name: expected a name like C5, F#3 or Eb4, found "Cx4"');
    expect(only('add G#10').message).toMatch(/note out of range: .*found "G#10" \(128\)/);
  });

  it('reports errors inside eval at their own columns', () => {
    const ds = errorsOf('eval add 60; chrod 1 60; wait x');
    expect(ds.map((d) => [d.col, d.found])).toEqual([[14, 'chrod'], [31, 'x']]);
    expect(only('eval')).toMatchObject({ col: 5, expected: 'a command' });
    expect(only('eval ; ;')).toMatchObject({ expected: 'a command' });
  });

  it('reads ; at the top level of a line as eval does (the demo reads every line so), and refuses | there with a hint', () => {
    const parsed = parseLine('beep C5 0.2; beep E5 0.2', 'song.txt', 3, builtinCommands) as Extract<ParsedLine, { kind: 'command' }>;
    expect(parsed.kind).toBe('command');
    expect(parsed.invocation.spec.name).toBe('eval');
    expect(parsed.invocation.text).toBe('beep C5 0.2; beep E5 0.2');
    expect((parsed.invocation.args as { text: string; pos: { col: number } }[]).map((p) => [p.text, p.pos.col])).toEqual([['beep C5 0.2', 1], ['beep E5 0.2', 14]]);
    // a command that takes commands keeps the whole line: the loop loops both
    const loop = parseLine('loop beep 60; wait 1', 'song.txt', 3, builtinCommands) as Extract<ParsedLine, { kind: 'command' }>;
    expect(loop.invocation.spec.name).toBe('loop');
    // errors in the parts are located in the line
    expect(errorsOf('beep 60; chrod 1 60').map((d) => [d.col, d.found])).toEqual([[10, 'chrod']]);
    expect(only('add 60 | add 64')).toMatchObject({ col: 8, found: '|', hint: 'to run commands together, write "gather add 60 | add 64" (or group, settle, race)' });
  });

  it('accepts help with or without a command, and suggests for a misspelt one', () => {
    expect(argsOf('help')).toBeNull();
    expect(argsOf('help chord')).toBe('chord');
    expect(argsOf('help EXIT')).toBe('quit');
    expect(only('help chrod')).toMatchObject({ col: 6, hint: 'did you mean "chord"?' });
  });

  it('never throws and locates every problem inside the line (any text)', () => {
    const word = fc.oneof(
      fc.constantFrom('add', 'remove', 'chord', 'beep', 'wait', 'eval', 'quit', 'exit', 'help', ';', '#', 'F#4', 'Eb4', '60', '0.5', '-1', 'inf', '1e999'),
      // The voice commands and note options, good and bad.
      fc.constantFrom('amp', 'env', 'synth', 'square', 'fm', 'amp=0.3', 'amp=2', 'amp=', 'env=0.1,0,1,0.1', 'env=1,2', 'synth=am', 'synth=x', 'x=1', '=', '0.3', 'fx', 'reverb', 'res=4', 'fx=lpf:800', 'fx=delay:0.25:0.5', 'fx=', 'fx=x:1', 'fx=lpf:800:'),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    const line = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(word, { maxLength: 8 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(line, (text) => {
        const parsed = parseLine(text, 'p.txt', 7, builtinCommands);
        if (parsed.kind === 'error') {
          expect(parsed.diagnostics.length).toBeGreaterThan(0);
          for (const d of parsed.diagnostics) {
            expect(d).toMatchObject({ source: 'p.txt', line: 7 });
            expect(d.col).toBeGreaterThanOrEqual(1);
            expect(d.col).toBeLessThanOrEqual(text.length + 1);
            expect(d.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseScript', () => {
  it('finds every error in a script at once, without running anything', () => {
    const text = 'add 60\nchrod 1 60\n\n# fine\nwait -2\r\nbeep 60 1 2\nwa\0it\nquit\n';
    const { diagnostics, lines } = parseScript(text, 'bad.txt', builtinCommands.fork());
    expect(diagnostics.map((d) => `${d.line}:${d.col}`)).toEqual(['2:1', '5:6', '6:11', '7:3']);
    expect(lines.map((l) => l.kind)).toEqual(['command', 'error', 'empty', 'empty', 'error', 'error', 'error', 'command']);
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col: error: message, then the hint', () => {
    const d = only('  chrod 0.5 72');
    expect(formatDiagnostic(d)).toBe(
      'song.txt:3:3: error: unknown command "chrod"\n  hint: did you mean "chord"?',
    );
  });

  it('shows the line with a caret under the error when given its text', () => {
    const line = 'chord 0.5 72 x';
    const d = errorsOf(line)[0];
    expect(formatDiagnostic(d, { lineText: line }).split('\n').slice(1)).toEqual(['  chord 0.5 72 x', '               ^']);
  });
});

describe('help', () => {
  it('lists every command with its usage and summary', () => {
    const text = helpText(builtinCommands);
    for (const spec of builtinCommands.commands) {
      expect(text).toContain(spec.usage);
      expect(text).toContain(spec.summary);
    }
    expect(helpText(builtinCommands, 'exit').split('\n')[0]).toBe('quit  end this source: stop reading it, cancel its tasks, stop their notes (the CLI: end the session, as the demo does) (also: exit)');
  });
});

describe('limits of a line', () => {
  it('a command followed by a thousand & is a located error, not a stack overflow', () => {
    const line = `beep 60 0.01${' &'.repeat(1000)}`;
    const ds = errorsOf(line);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ source: 'song.txt', line: 3, message: expect.stringMatching(/^too deeply nested: more than \d+ commands inside one another$/) });
    expect(ds[0]).toMatchObject({ found: '&' });
    expect(ds[0].col).toBeGreaterThan(13);
    // so is any nesting that deep, and a shallow one still parses
    expect(errorsOf(`${'spawn '.repeat(5000)}beep 60`)[0].message).toMatch(/too deeply nested/);
    expect(parseLine('beep 60 0.01 & &', 'song.txt', 3, builtinCommands).kind).toBe('command');
  });

  it('refuses a block longer than MAX_BLOCK_SECONDS when the line is read, saying the limit', () => {
    expect(MAX_BLOCK_SECONDS).toBe(60);
    expect(only('block 9007199')).toMatchObject({ col: 7, endCol: 14, found: '9007199', expected: 'at most 60 seconds', message: 'block too long: expected at most 60 seconds, found "9007199"' });
    expect(only('spawn block 61')).toMatchObject({ col: 13, found: '61' });
    expect(parseLine('block 60', 'song.txt', 3, builtinCommands).kind).toBe('command');
    const session = new Session();
    expect(session.check('long.txt', 'beep 60\nblock 9007199\n').map((d) => `${d.line}:${d.col}`)).toEqual(['2:7']);
  });
});
