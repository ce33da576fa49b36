import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { chanceNumber } from '../../../src/core/commands/option-values';
import { defineCommand, INVALID } from '../../../src/core/language/command';
import { play } from '../../support/core/session';

/** Each voice started: its level and timbre. */
function voices(lines: string[]) {
  const h = play(lines);
  const started: { level: number | undefined; timbre: string | undefined }[] = [];
  const stream = h.session.stream;
  const add = stream.add.bind(stream);
  stream.add = ((note: number, owner: number | undefined, options?: { level?: number; timbre?: string }) => {
    started.push({ level: options?.level, timbre: options?.timbre });
    return add(note, owner, options as never);
  }) as typeof stream.add;
  h.run();
  return { h, started };
}

describe('chance in note options', () => {
  it('amp=rand(LOW,HIGH) draws a level in range for each note, the same with the same seed', () => {
    const run = () => voices(['seed 3', 'repeat 50 beep C5 0.1 amp=rand(0.05,0.2)']);
    const { h, started } = run();
    expect(h.diagnostics()).toEqual([]);
    const levels = started.map((v) => v.level!);
    expect(levels.length).toBe(50);
    for (const level of levels) {
      expect(level).toBeGreaterThanOrEqual(0.05);
      expect(level).toBeLessThanOrEqual(0.2);
    }
    expect(new Set(levels).size).toBeGreaterThan(10);
    expect(levels).toEqual(run().started.map((v) => v.level));
    expect(voices(['seed 4', 'repeat 50 beep C5 0.1 amp=rand(0.05,0.2)']).started.map((v) => v.level)).not.toEqual(levels);
  });

  it('synth=choose(saw,square) picks one of the timbres; tick takes them in turn', () => {
    const { h, started } = voices(['seed 2', 'repeat 30 beep C5 0.1 synth=choose(saw,square)']);
    expect(h.diagnostics()).toEqual([]);
    expect(new Set(started.map((v) => v.timbre))).toEqual(new Set(['sawtooth', 'square']));
    expect(voices(['repeat 4 chord 0.1 C5 synth=tick(sine,fm,am)']).started.map((v) => v.timbre)).toEqual(['sine', 'fm', 'am', 'sine']);
  });

  it('a phrase parameter is a value too, and chance in a seq option is drawn for each of its notes', () => {
    expect(voices(['def soft LEVEL: beep C5 0.1 amp=LEVEL', 'soft 0.3']).started.map((v) => v.level)).toEqual([0.3]);
    const { started } = voices(['seq 0.1 C5*32 amp=choose(0.1,0.3)']);
    expect(started.length).toBe(32);
    expect(new Set(started.map((v) => v.level))).toEqual(new Set([0.1, 0.3]));
  });

  it('draws from the same chance as notes: the notes after it follow the seed', () => {
    const notes = (line: string) => {
      const h = play(['seed 5', line, 'repeat 6 beep choose(60,62,64,65,67) 0.1']);
      h.run();
      return h.of('notes').map((e) => e.notes.join(','));
    };
    expect(notes('beep C5 0.1 amp=rand(0.05,0.2)')).not.toEqual(notes('beep C5 0.1 amp=0.1'));
    expect(notes('beep C5 0.1 amp=rand(0.05,0.2)')).toEqual(notes('beep C5 0.1 amp=choose(0.05,0.2)'));
  });

  it.each([
    ['beep C5 amp=rand(0.5,2)', 'expected a value 0..1, found rand(0.5,2) ='],
    ['beep C5 amp=choose(1,2)', 'expected a value 0..1, found choose(1,2) ='],
  ])('%s out of range is a located error when it runs', (line, message) => {
    const h = play(['seed 1', `repeat 20 ${line}`]);
    h.run();
    // at the value, after "repeat 20 beep C5 amp="
    expect(h.diagnostics()[0]).toMatchObject({ line: 2, col: 23, endCol: 23 + line.length - 12, message: expect.stringContaining(message) });
  });

  it.each([
    ['beep C5 amp=1+1', 13, 16, 'expected a level 0..1, found "1+1"'],
    ['beep C5 amp=rand(0.1)', 13, 22, 'rand takes two values, the lowest and the highest: found 1'],
    ['beep C5 synth=choose(saw,nope)', 26, 30, 'unknown timbre "nope": expected one of sine, triangle, square, sawtooth, fm, am, noise'],
    ['beep C5 synth=rand(saw,square)', 15, 31, 'expected a name, choose(A,B) or tick(A,B), found "rand(saw,square)"'],
  ])('%s is a located error', (line, col, endCol, message) => {
    const h = play([line]);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col, endCol, message });
  });

  it('a command of another family reads a number in its own range the same way (an effect\'s cutoff=rand(400,2000))', () => {
    const cutoff = defineCommand({
      name: 'cutoff',
      usage: 'cutoff HZ',
      summary: 'says a cutoff in 20..20000',
      parse(r, ctx) {
        const token = r.word('a cutoff');
        return token === undefined ? INVALID : chanceNumber(r, ctx, token, token.text, 'a cutoff', 20, 20000);
      },
      *run(hz, ctx) {
        ctx.output(String(hz));
      },
    });
    const commands = builtinCommands.with(cutoff);
    const h = play(['seed 8', 'repeat 20 cutoff rand(400,2000)'], { commands });
    h.run();
    const said = h.outputs().map(Number);
    expect(said.length).toBe(20);
    for (const hz of said) expect(hz >= 400 && hz <= 2000).toBe(true);
    const bad = play(['repeat 3 cutoff choose(10,30000)', 'cutoff 30000+1'], { commands });
    bad.run();
    expect(bad.diagnostics().map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      '2:8 expected a cutoff 20..20000, found "30000+1"',
      expect.stringMatching(/^1:17 expected a value 20\.\.20000, found choose\(10,30000\) = (10|30000)$/),
    ]);
  });
});
