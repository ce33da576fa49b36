import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandTable, defineCommand, INVALID } from '../../../src/core/language/command';
import { builtinCommands } from '../../../src/core/commands';
import { play } from '../../support/core/session';

/** Every change of the sounding notes in exact ns: `ns:notes`. */
function notesNs(h: ReturnType<typeof play>): string[] {
  return h.of('notes').map((e) => `${e.ns}:${e.notes.join(',')}`);
}

/** The steps a pattern stated, `index:hit@t`. */
function steps(h: ReturnType<typeof play>): string[] {
  return h.of('step').map((e) => `${e.index}${e.hit ? 'x' : '.'}@${e.t}`);
}

describe('seq STEP ITEM ...', () => {
  it('plays its items one after another, STEP beats each, on exact times', () => {
    const h = play(['seq 0.25 C5 E5 G5', 'beep C6 0.5']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual(['0:60', '250000000:64', '500000000:67', '750000000:72', '1250000000:']);
  });

  it('_ is a rest; [A B] shares a step; A*2 plays A twice in its step', () => {
    const h = play(['seq 1 C5 _ [E5 G5] A5*2 [C5 [D5 E5]]']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual([
      '0:60',
      '1000000000:', // the rest
      '2000000000:64',
      '2500000000:67',
      '3000000000:69',
      '3500000000:69', // the second A5: a note that ends and starts again at one instant is struck again
      '4000000000:60',
      '4500000000:62',
      '4750000000:64',
      '5000000000:',
    ]);
  });

  it('a step of thirds lands on exact nanoseconds, and the grid never drifts at bpm 90', () => {
    const h = play(['bpm 90', 'seq 1 [C5 E5 G5] [C5 E5 G5] [C5 E5 G5]', 'beep C6 1']);
    h.run();
    // a beat is 2/3 s; a third of it 2/9 s = 222222222.2 ns: each onset is the exact time rounded once
    const onsets = h.of('notes').map((e) => e.ns);
    expect(onsets).toEqual([0, 222222222, 444444444, 666666667, 888888889, 1111111111, 1333333333, 1555555556, 1777777778, 2000000000, 2666666667]);
  });

  it('sounds exactly as the same notes written out as beeps and waits, at any tempo', () => {
    for (const bpm of ['60', '90', '137']) {
      const seq = play([`bpm ${bpm}`, 'repeat 3 seq 0.125 C4 [E4 G4] _ C5*2', 'euclid 3 8 0.125 beep C3 0.0625']);
      const beeps = play([
        `bpm ${bpm}`,
        'repeat 3 beep C4 0.125; beep E4 0.0625; beep G4 0.0625; wait 0.125; beep C5 0.0625; beep C5 0.0625',
        'beep C3 0.0625; wait 0.3125; beep C3 0.0625; wait 0.3125; beep C3 0.0625; wait 0.1875',
      ]);
      seq.run();
      beeps.run();
      expect(notesNs(seq)).toEqual(notesNs(beeps));
    }
  });

  it('a chord by name is the notes of its step', () => {
    const h = play(['seq 0.5 E3:minor C4:maj7']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual(['0:40,43,47', '500000000:48,52,55,59', '1000000000:']);
  });

  it('with scale=ROOT:NAME its whole numbers are degrees of the scale, as Strudel\'s n("0 2 4").scale("C:major")', () => {
    // C3 is 36 in the demo's numbers: C major's degrees 0 2 4 6 are C3 E3 G3 B3; 7 is the octave, -1 the B below.
    const h = play(['seq 0.5 0 2 [4 6] 7 -1 _ E5 scale=C3:major']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual(['0:36', '500000000:40', '1000000000:43', '1250000000:47', '1500000000:48', '2000000000:35', '2500000000:', '3000000000:64', '3500000000:']);
    const penta = play(['seq 0.5 0 1 2 3 4 5 scale=E3:minor_pentatonic']);
    penta.run();
    expect(notesNs(penta).map((n) => n.split(':')[1])).toEqual(['40', '43', '45', '47', '50', '52', '']);
    // without scale= a number is still a note
    const plain = play(['seq 0.5 2']);
    plain.run();
    expect(notesNs(plain)).toEqual(['0:2', '500000000:']);
  });

  it('a degree in a phrase follows the root it is given when it runs', () => {
    const h = play(['def up ROOT: seq 0.5 0 2 4 scale=ROOT:major', 'up C4', 'up A3']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h).map((n) => n.split(':')[1])).toEqual(['48', '52', '55', '45', '49', '52', '']);
  });

  it('a bad scale= is a located error', () => {
    const line = 'seq 0.5 0 2 scale=C3:majr';
    const h = play([line]);
    h.run();
    const [d] = h.diagnostics();
    expect(d.message).toMatch(/unknown scale "majr": did you mean major\?/);
    expect(line.slice(d.col - 1, (d.endCol ?? d.col + 1) - 1)).toBe('majr');
    const far = play(['seq 0.5 200 scale=C3:major']);
    far.run();
    expect(far.diagnostics()[0].message).toMatch(/expected a degree -128..128 of the scale, found "200"/);
    const shape = play(['seq 0.5 0 scale=major']);
    shape.run();
    expect(shape.diagnostics()[0].message).toMatch(/expected scale=ROOT:NAME/);
  });

  it("is one task: its notes are that task's voices, and each step is a fact the timeline draws", () => {
    const h = play(['seq 0.5 C5 _ [E5 G5]']);
    h.run();
    const task = h.task('seq 0.5 C5 _ [E5 G5]');
    expect(h.of('task-created').filter((e) => e.parent === task.id)).toEqual([]);
    const voices = h.session.stream;
    expect(voices.voices).toEqual([]);
    expect(steps(h)).toEqual(['0x@0', '1.@0.5', '2x@1']);
    expect(h.of('step').every((e) => e.taskId === task.id)).toBe(true);
  });

  it('takes chance and a tick in its items, drawn again each time it plays, the same with the same seed', () => {
    const once = () => {
      const h = play(['seed 7', 'repeat 4 seq 0.25 choose(C5,E5,G5) tick(C4,D4)*2']);
      h.run();
      return notesNs(h);
    };
    const first = once();
    expect(first).toEqual(once());
    const notes = first.map((x) => x.split(':')[1]).filter((x) => x !== '');
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect([60, 64, 67, 48, 50]).toContain(Number(n));
    // the tick counts on across its two places and the passes: C4 D4 C4 D4 ...
    const ticks = first.filter((x) => /:(48|50)$/.test(x)).map((x) => x.split(':')[1]);
    expect(ticks.slice(0, 4)).toEqual(['48', '50', '48', '50']);
  });

  it('takes note options, and a phrase parameter in its items', () => {
    const h = play(['def riff ROOT: seq 0.25 ROOT ROOT+7 ROOT:minor', 'riff C4']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual(['0:48', '250000000:55', '500000000:48,51,55', '750000000:']);
    const loud = play(['seq 0.25 C5 E5 amp=0.4']);
    loud.run();
    expect(loud.diagnostics()).toEqual([]);
  });

  it('with the built-in drum, a drum name is a hit, a voice of the pattern\'s task at its step', () => {
    const h = play(['seq 0.25 bd _ [sd hh] C5']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    const first = new Map<number, string>();
    for (const e of h.of('notes')) for (const v of e.voices ?? []) if (v.drum !== undefined && !first.has(v.id)) first.set(v.id, `${e.ns}:${v.drum}`);
    expect([...first.values()]).toEqual(['0:bd', '500000000:sd', '625000000:hh']);
  });

  it('without a drum command, a drum name is a located error', () => {
    const h = play(['seq 0.25 C5 bd'], { commands: new CommandTable(builtinCommands.commands.filter((c) => c.name !== 'drum')) });
    h.run();
    expect(h.diagnostics()).toEqual([
      expect.objectContaining({ line: 1, col: 13, endCol: 15, message: 'expected a note (C4, 60), a chord by name (E3:minor), _ (a rest) or [A B], found "bd"' }),
    ]);
  });

  it('with a drum command, a drum name is that command, run at its step', () => {
    const drum = defineCommand({
      name: 'drum',
      usage: 'drum NAME',
      summary: 'a stand-in drum: says its name',
      parse(r) {
        const word = r.word('a drum name');
        if (word === undefined) return INVALID;
        if (!['bd', 'sd', 'hh'].includes(word.text)) {
          r.error(word, { message: `unknown drum "${word.text}"`, found: word.text });
          return INVALID;
        }
        return word.text;
      },
      *run(name, ctx) {
        ctx.output(`${name}@${ctx.scheduler.nowNanos}`);
      },
    });
    const h = play(['seq 0.5 bd [hh hh] sd C5'], { commands: builtinCommands.with(drum) });
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(h.outputs()).toEqual(['bd@0', 'hh@500000000', 'hh@750000000', 'sd@1000000000']);
    expect(notesNs(h)).toEqual(['1500000000:60', '2000000000:']);
    const bad = play(['seq 0.5 bd xx'], { commands: builtinCommands.with(drum) });
    bad.run();
    expect(bad.diagnostics()).toEqual([expect.objectContaining({ line: 1, col: 12, endCol: 14, message: 'unknown drum "xx"' })]);
  });

  it.each([
    ['seq', 4, 5, 'missing argument: expected a step in beats, found end of line'],
    ['seq 0.25', 9, 10, 'missing argument: expected the items of the pattern: notes, _ (a rest), [A B], A*2, found end of line'],
    ['seq 0 C5', 5, 6, 'expected a step of more than 0 beats, found "0"'],
    ['seq x C5', 5, 6, 'expected a step in beats, found "x"'],
    ['seq 0.25 [C5 E5', 10, 11, 'unclosed "[": expected "]" before the end of the line'],
    ['seq 0.25 C5]', 12, 13, 'unexpected "]": expected a note, "_", "[" or a drum name'],
    ['seq 0.25 []', 10, 11, 'empty "[]": expected items inside the brackets'],
    ['seq 0.25 C5*0', 12, 14, 'expected a count 1..64 after "*", found "*0"'],
    ['seq 0.25 *2', 10, 12, 'expected an item before "*2"'],
    ['seq 0.25 C5 H5', 13, 15, 'expected a note: a number 0..127 or a name like C5, F#3, Eb4, found "H5"'],
    ['seq 0.25 E3:minr', 13, 17, 'unknown chord "minr": did you mean minor?'],
    ['seq 0.25 C5 loud=1', 13, 19, 'unknown note option "loud": expected amp=, env=, synth=, pan=, fx= or scale='],
    ['seq 0.25 [[[[[[[[[C5]]]]]]]]]', 18, 19, 'brackets nested too deep: at most 8'],
    ['seq 0.25 [C5*64*64 C5]', 10, 19, 'pattern too long: more than 4096 notes and rests'],
  ])('%s is a located error', (line, col, endCol, message) => {
    const h = play([line]);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col, endCol, message });
  });
});

describe('euclid K N STEP CMD', () => {
  it('3 of 8 runs CMD on steps 0, 3 and 6, and takes the 8 steps', () => {
    const h = play(['euclid 3 8 0.25 beep C5 0.125', 'beep C6 0.25']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(notesNs(h)).toEqual(['0:60', '125000000:', '750000000:60', '875000000:', '1500000000:60', '1625000000:', '2000000000:72', '2250000000:']);
    expect(steps(h)).toEqual(['0x@0', '1.@0.25', '2.@0.5', '3x@0.75', '4.@1', '5.@1.25', '6x@1.5', '7.@1.75']);
  });

  it('keeps to its grid: a command longer than its gap makes only its own next onset late', () => {
    const h = play(['euclid 4 8 0.25 beep C5 0.625']);
    h.run();
    // onsets on 0, 2, 4, 6 (0.5 s apart); each beep lasts 0.625: the next starts as it ends, then the grid again
    const starts = h.of('notes').filter((e) => e.notes.length > 0).map((e) => e.ns);
    expect(starts).toEqual([0, 625000000, 1250000000, 1875000000]);
  });

  it('at bpm 90 a bar of 16 sixteenths ends exactly 4 beats on', () => {
    const h = play(['bpm 90', 'euclid 5 16 0.25 beep C5 0.125', 'beep C6 1']);
    h.run();
    expect(h.of('notes').at(-2)!.ns).toBe(2666666667);
  });

  it.each([
    ['euclid 9 8 0.25 beep C5', 8, 9, 'expected at most N = 8 hits, found 9'],
    ['euclid 3 0 0.25 beep C5', 10, 11, 'expected a number of steps N 1..1024, found "0"'],
    ['euclid 3 8 0 beep C5', 12, 13, 'expected a step of more than 0 beats, found "0"'],
    ['euclid 3 8 0.25', 16, 17, 'missing argument: expected a command, found end of line'],
    ['euclid x 8 0.25 beep C5', 8, 9, 'expected a number of hits K 0..1024, found "x"'],
  ])('%s is a located error', (line, col, endCol, message) => {
    const h = play([line]);
    h.run();
    expect(h.diagnostics()[0]).toMatchObject({ line: 1, col, endCol, message });
  });
});

describe('bad patterns', () => {
  const word = fc.oneof(
    fc.constantFrom('C5', '_', '~', '[', ']', '*2', '*', 'E3:minor', 'E3:', ':minor', 'bd', 'choose(C5,E5)', 'X', '0', '-1', 'C5*3', '[C5', 'E5]', 'amp=2', 'amp=rand(0,2)', 'synth=choose(saw,nope)', 'scale=C3:major', 'scale=x', '300'),
    fc.string({ maxLength: 6 }).filter((s) => !/[\s;|&#]/.test(s) && s !== ''),
  );
  it('never throw, and every error is located on the line', () => {
    fc.assert(
      fc.property(fc.constantFrom('seq', 'seq 0.25', 'euclid 3 8 0.25 beep', 'chord 1', 'beep'), fc.array(word, { maxLength: 6 }), (head, words) => {
        const line = [head, ...words].join(' ');
        const h = play([line]);
        expect(() => h.run(20_000_000_000)).not.toThrow();
        for (const d of h.diagnostics()) {
          expect(d.line).toBe(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.endCol ?? d.col + 1).toBeLessThanOrEqual(line.length + 2);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
