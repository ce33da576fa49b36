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
});
