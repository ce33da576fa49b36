import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('spawn and &', () => {
  it('runs the command in the background, names it t1, t2 ... and goes on at once', () => {
    const p = play(['chord 1 60 64 67 &', 'spawn beep 72 2', 'beep 48 0.5']);
    p.run();
    expect(p.outputs()).toEqual(['[t1] chord 1 60 64 67', '[t2] beep 72 2']);
    // All three start at 0: the lines after a background command do not wait for it.
    expect(p.notes()).toEqual(['0:48,60,64,67,72', '0.5:60,64,67,72', '1:72', '2:']);
    expect(p.task('chord 1 60 64 67')).toMatchObject({ kind: 'spawned', pos: { line: 1, col: 1 } });
    expect(p.task('beep 72 2')).toMatchObject({ kind: 'spawned', pos: { line: 2, col: 7 } });
  });

  it('reads & as its own word, after note names and before comments', () => {
    const p = play(['chord 1 F#4 Bb4&# a comment & not a command', 'beep C5 1']);
    p.run();
    expect(p.diagnostics()).toEqual([]);
    expect(p.outputs()).toEqual(['[t1] chord 1 F#4 Bb4']);
    expect(p.notes()).toEqual(['0:54,58,60', '1:']);
  });

  it('backgrounds one part of a sequence with "A &; B"', () => {
    const p = play(['eval beep 60 2 &; beep 64 1']);
    p.run();
    expect(p.notes()).toEqual(['0:60,64', '1:60', '2:']);
  });

  it('prints a spawn\'s name once per line that runs it, not for every pass of a loop (issue 19)', () => {
    const p = play(['def blip spawn beep 64 0.1', 'repeat 200 spawn beep 60 0.01', 'spawn beep 62 0.1', 'spawn beep 62 0.1', 'loop blip; wait 0.25 &', 'wait 0.9', 'stop']);
    p.run();
    expect(p.diagnostics()).toEqual([]);
    // before, the repeat printed 200 lines and the loop one a pass
    expect(p.outputs().filter((o) => o.startsWith('['))).toEqual(['[t1] beep 60 0.01', '[t201] beep 62 0.1', '[t202] beep 62 0.1', '[t203] loop blip; wait 0.25', '[t204] beep 64 0.1']);
    // every task is still named, for tasks, cancel and the timeline
    expect(p.of('task-named')).toHaveLength(200 + 2 + 1 + 4);
    expect(p.notes()[0]).toBe('0:60,62,64');
  });

  it('prints again when the line runs again, typed or in a phrase called on another line', () => {
    const p = play(['def two spawn beep 60 0.1', 'two', 'two', 'repeat 3 two']);
    p.run();
    expect(p.outputs().filter((o) => o.startsWith('['))).toEqual(['[t1] beep 60 0.1', '[t2] beep 60 0.1', '[t3] beep 60 0.1']);
  });
});
