import { describe, expect, it } from 'vitest';
import { defineSessionSlice, SessionState } from '../../../src/core/session/state';
import { play } from '../../support/core/session';

describe('per-session state', () => {
  it('makes a slice the first time a session reads it, once, and lists it', () => {
    const counter = defineSessionSlice('counter', () => ({ hits: new Map<string, number>(), label: 'x' }));
    const state = new SessionState();
    expect(state.describe()).toEqual({});
    const holder = { state };
    const first = counter.of(holder);
    first.hits.set('a', 1);
    expect(counter.of(holder)).toBe(first);
    expect(state.describe()).toEqual({ counter: { hits: 1, label: 'x' } });
  });

  it('gives each session its own slice: a fresh state starts from nothing', () => {
    const counter = defineSessionSlice('counter', () => ({ hits: new Set<string>() }));
    const one = { state: new SessionState() };
    const two = { state: new SessionState() };
    counter.of(one).hits.add('a');
    expect(counter.of(two).hits.size).toBe(0);
    expect(two.state.describe()).toEqual({ counter: { hits: 0 } });
  });

  it("lists what a session's command families hold while a script plays, and lets it go when they end", () => {
    const h = play([
      'bpm 120',
      'amp 0.2',
      'def riff beep C5 0.25',
      'live drums riff; wait 0.5',
      'spawn sync go',
      'add 60',
      'wait 1',
    ]);
    h.run(0.9);
    const playing = h.session.state.describe();
    expect(playing.live).toMatchObject({ loops: 1 });
    expect(playing.sync).toEqual({ waiters: 1 });
    expect(playing.phrases).toMatchObject({ current: 1 });
    // the tempo and the voice are the tasks' own (issue 19); music holds a source's chance
    expect(playing['task-settings']).toEqual({ byTask: 'weak', tempos: true, version: 2 });
    h.run(1.5);
    expect(h.session.state.describe().notes).toEqual({ added: 1 });
    h.session.stopAll();
    h.run(3);
    const stopped = h.session.state.describe();
    expect(stopped.live).toMatchObject({ loops: 0 });
    expect(stopped.phrases).toMatchObject({ calls: 0 });
    expect(stopped.repeat).toEqual({ blockedByLoop: 0 });
  });

  it('holds a cue name only while a sync waits for it (woken, timed out or stopped)', () => {
    const h = play(['spawn sync a', 'spawn timeout 0.5 sync b', 'spawn sync c', 'wait 1', 'cue a']);
    h.run(0.75);
    expect(h.session.state.describe().sync).toEqual({ waiters: 2 });
    h.run(2);
    expect(h.session.state.describe().sync).toEqual({ waiters: 1 });
    h.session.stopAll();
    h.run(3);
    expect(h.session.state.describe().sync).toEqual({ waiters: 0 });
  });

  it('keeps two sessions apart: a cue in one wakes no sync in the other', () => {
    const waiting = play(['sync go', 'beep C5 0.25']);
    const cueing = play(['wait 0.5', 'cue go']);
    waiting.run(1);
    cueing.run(1);
    expect(cueing.of('cue')[0].woke).toEqual([]);
    expect(waiting.notes()).toEqual([]);
    expect(waiting.session.state.describe().sync).toEqual({ waiters: 1 });
  });
});
