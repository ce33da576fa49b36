import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('def', () => {
  it('names a phrase for the lines after it; its parts keep the def line\'s columns', () => {
    const p = play(['def riff beep 72 0.25; beep 74 0.25', 'riff', 'repeat 2 riff', 'def boom beep 60 0.25; riff; fail bang', 'boom']);
    p.run();
    expect(p.notes()).toEqual(['0:72', '0.25:74', '0.5:72', '0.75:74', '1:72', '1.25:74', '1.5:60', '1.75:72', '2:74', '2.25:']);
    expect(p.task('riff').pos).toMatchObject({ line: 2, col: 1 });
    // Calling a phrase from a phrase is awaiting it: a task inside the caller's, placed where the call is written.
    const boom = p.task('boom');
    expect(p.created('riff').find((e) => e.parent === boom.id)).toMatchObject({ pos: { line: 4, col: 24 } });
    expect(p.diagnostics()).toMatchObject([{ line: 4, col: 30, message: 'bang' }]);
  });

  it('runs the ;-parts of a body in one task, so nothing comes between them', () => {
    const p = play(['gather add 76; block 0.1; remove 76 | add 72; block 0.1; remove 72']);
    p.run();
    // One thread: the second part's hands-on note starts when the first's ends.
    expect(p.notes()).toEqual(['0:76', '0.1:72', '0.2:']);
  });

  it('a phrase used before its def is a located error; a def may not shadow a built-in', () => {
    const p = play(['riff', 'def riff beep 72 0.25', 'def chord beep 60', 'def 9x beep 60', 'riff']);
    p.run();
    expect(p.diagnostics().map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 1, expect.stringMatching(/^unknown command "riff"/)],
      [3, 5, '"chord" is a built-in command: a def may not shadow it'],
      [4, 5, 'bad phrase name "9x": expected letters, digits, _ or -, starting with a letter'],
    ]);
    expect(p.notes()).toEqual(['0:72', '0.25:']);
  });

  it('keeps definitions per session, and per source in it (another source writes s.txt/riff)', () => {
    const a = play(['def riff beep 72 0.25']);
    const b = play(['riff']);
    a.run();
    b.run();
    expect(b.diagnostics()).toHaveLength(1);
    a.load(['s.txt/riff'], 'term');
    a.run();
    expect(a.diagnostics()).toEqual([]);
    a.load(['riff'], 'term');
    a.run();
    expect(a.diagnostics()).toHaveLength(1);
    expect(a.diagnostics()[0]).toMatchObject({ source: 'term', line: 1, col: 1 });
    expect(a.diagnostics()[0].message).toMatch(/^unknown command "riff"/);
  });
});
