/**
 * Phrases are scoped as task names are: each source has its own, another
 * source reaches one as `SOURCE/NAME`, and "redefined" is said only where a
 * loop that still plays the phrase takes the new body.
 */
import { describe, expect, it } from 'vitest';
import { harness } from '../../support/core/session';

const REDEFINED = /^redefined /;
/** A session whose every note struck is recorded, in order (what a listener hears, a repeated pitch too). */
function listened(source: string) {
  const h = harness({}, source);
  const struck: number[] = [];
  const add = h.session.stream.add.bind(h.session.stream);
  h.session.stream.add = ((note: number, ...rest: unknown[]) => {
    struck.push(note);
    return (add as (...a: unknown[]) => unknown)(note, ...rest);
  }) as typeof h.session.stream.add;
  return { ...h, struck };
}

describe('phrases per source', () => {
  it('a script played again says nothing about its phrases (no loop plays them)', () => {
    const h = harness({}, 'dinner.txt');
    const text = ['def salmon: beep C5 0.5', 'def rice: beep E5 0.5', 'def beans: beep G5 0.5', 'gather salmon | rice | beans'];
    h.load(text);
    h.run();
    h.load(text);
    h.run();
    h.load(text);
    h.run(0.2);
    h.load(text);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(h.outputs().filter((o) => REDEFINED.test(o))).toEqual([]);
  });

  it("another source's phrase of the same name is its own: the lesson's loop plays on with the lesson's", () => {
    const h = listened('lesson.txt');
    h.load(['def arp: beep C5 0.5', 'live melody arp']);
    h.run(1.2);
    h.load(['def arp: beep C6 0.5', 'arp'], 'scratch');
    h.run(3);
    expect(h.diagnostics()).toEqual([]);
    expect(h.outputs().filter((o) => REDEFINED.test(o))).toEqual([]);
    // the lesson's loop plays C5 on, every half second; C6 is the scratch's one call
    expect(h.struck.filter((n) => n === 72)).toHaveLength(1);
    expect(h.struck.filter((n) => n !== 72)).toEqual([60, 60, 60, 60, 60, 60, 60]);
  });

  it('a phrase of another source is SOURCE/NAME; its bare name there is unknown', () => {
    const h = listened('lesson.txt');
    h.load(['def riff: beep G5 0.25']);
    h.run();
    const term = h.session.openSource('terminal');
    term.pushLine('lesson.txt/riff');
    term.pushLine('riff');
    h.run();
    expect(h.struck).toEqual([67]);
    expect(h.diagnostics().map((d) => `${d.source}:${d.line}: ${d.message.split(':')[0]}`)).toEqual(['terminal:2: unknown command "riff"']);
    expect(h.diagnostics()[0].hint).toBe('did you mean "lesson.txt/riff"?');
  });

  it("SOURCE/NAME plays that source's newest body, and its def reaches the loop that plays it from elsewhere", () => {
    const h = listened('lesson.txt');
    h.load(['def riff: beep G5 0.5']);
    h.run();
    const term = h.session.openSource('terminal');
    term.pushLine('loop lesson.txt/riff');
    h.run(1.2);
    h.load(['def riff: beep A5 0.5']);
    h.run(2.1);
    expect(h.diagnostics()).toEqual([]);
    expect(h.outputs().filter((o) => REDEFINED.test(o))).toEqual(['redefined riff: loops that play it take the new one at their next pass']);
    expect(h.struck.slice(0, 4)).toEqual([67, 67, 67, 69]);
  });

  it('says "redefined" when a loop of its own source plays the phrase, not once that loop is gone', () => {
    const h = listened('s.txt');
    h.load(['def p: beep C5 0.5', 'spawn loop p', 'wait 1.2', 'def p: beep E5 0.5', 'wait 1', 'cancel t1', 'def p: beep G5 0.5', 'p']);
    h.run(10);
    expect(h.outputs().filter((o) => REDEFINED.test(o))).toEqual(['redefined p: loops that play it take the new one at their next pass']);
    expect(h.struck).toEqual([60, 60, 60, 64, 64, 67]);
  });
});

describe('help def', () => {
  it('says a phrase is its source\'s, and how another source runs it', () => {
    const h = harness({}, 'terminal');
    h.load(['help def']);
    h.run();
    expect(h.outputs().join('\n')).toContain('another source: SOURCE/NAME');
  });
});
