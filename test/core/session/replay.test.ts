/**
 * A script played again while it plays (▶ Run on a lesson that is playing, Open
 * of the same file): the old copy stops, and the new one counts its task names
 * from t1 again, so its own `cancel t1` means its own first task.
 */
import { describe, expect, it } from 'vitest';
import { harness } from '../../support/core/session';

// The cancellation lesson's first part, shortened: a loop in the background, cancelled by name.
const lesson = ['loop beep 60 0.25; wait 0.25 &', 'wait 2.5', 'cancel t1', 'beep 72 0.5 &', 'wait 1'];

describe('a script played again while it plays', () => {
  it('counts its names from t1 again, and its cancel t1 cancels its own loop', () => {
    const h = harness({}, 'cancellation.txt');
    h.load(lesson);
    h.run(1); // the first copy's loop (t1) is playing
    h.load(lesson);
    h.run(10); // bounded: a loop nobody cancels plays on for ever
    expect(h.diagnostics().map((d) => d.message)).toEqual([]);
    const named = h.of('task-named').map((e) => e.alias);
    // first copy: t1; the copy played again: t1 (its loop), t2 (the beep)
    expect(named).toEqual(['t1', 't1', 't2']);
    // both loops ended: the old one when the script was played again, the new one by its cancel t1, 2.5 s later
    const loops = h.created('loop beep 60 0.25; wait 0.25');
    expect(loops.map((t) => h.end(t.id))).toEqual(['cancelled@1', 'cancelled@3.5']);
    // nothing plays on after the lesson ends: the last note is off
    expect(h.notes().at(-1)).toMatch(/:$/);
  });

  it('counts from t1 every time, whatever is still ending', () => {
    const h = harness({}, 'cue.txt');
    // a task that takes time to end: its cancellation is delivered when it next runs
    const text = ['spawn loop beep 60 0.5', 'spawn loop beep 64 0.5', 'wait 1', 'cancel t2', 'wait 1'];
    for (let i = 0; i < 3; i++) {
      h.load(text);
      h.run(0.25 + i);
    }
    h.run(10);
    expect(h.diagnostics()).toEqual([]);
    expect(h.of('task-named').map((e) => e.alias)).toEqual(['t1', 't2', 't1', 't2', 't1', 't2']);
    // the last copy's t2 was cancelled by its own cancel t2, a second after it started
    const last = h.created('loop beep 64 0.5').at(-1)!;
    expect(h.end(last.id)).toBe('cancelled@2.25');
  });

  it('keeps a live loop playing (the new copy swaps its body) and counts the other names from t1 past it', () => {
    const h = harness({}, 'live.txt');
    const text = ['live melody beep 60 0.5', 'spawn loop beep 72 1', 'wait 1', 'cancel t2', 'wait 5'];
    h.load(text);
    h.run(2);
    h.load(text);
    h.run(4);
    expect(h.diagnostics()).toEqual([]);
    expect(h.outputs().filter((o) => o.startsWith('live melody'))).toEqual(['live melody (t1): replaced, the new body plays from its next pass']);
    expect(h.of('task-named').map((e) => e.alias)).toEqual(['t1', 't2', 't2']);
    const spawned = h.created('loop beep 72 1');
    expect(spawned.map((t) => h.end(t.id))).toEqual(['cancelled@1', 'cancelled@3']);
  });

  it('leaves a typed source that is still busy counting on', () => {
    const h = harness();
    const term = h.session.openSource('terminal');
    term.pushLine('spawn loop beep 60 1');
    h.run(0.5);
    const again = h.session.openSource('terminal');
    again.pushLine('spawn loop beep 62 1');
    h.run(1);
    expect(h.of('task-named').map((e) => e.alias)).toEqual(['t1', 't2']);
  });
});
