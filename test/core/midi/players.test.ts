import { describe, expect, it } from 'vitest';
import { ScoreRecorder } from '../../../src/core/midi/score';
import { play } from '../../support/core/session';

describe('Players: who plays a voice', () => {
  it('is the live loop a voice is played in (named after the loop), a named task, or else the source', () => {
    const h = play(['beep 60 0.5', 'live melody beep 62 0.5', 'spawn beep 64 0.5', 'wait 1.2', 'stop']);
    // what the script's loading said, then what it plays
    const recorder = new ScoreRecorder();
    for (const e of h.events) recorder.onEvent(e);
    h.session.subscribe((e) => recorder.onEvent(e));
    h.run(60);
    const score = recorder.finish();
    const by = (name: string) => score.notes.filter((n) => n.player.name === name).map((n) => n.note);
    expect(by('s.txt')).toEqual([60]);
    expect(by('melody')).toEqual([62, 62, 62]);
    expect(by('t2')).toEqual([64]);
    expect(score.players.map((p) => [p.kind, p.name])).toEqual([
      ['source', 's.txt'],
      ['live', 'melody'],
      ['task', 't2'],
    ]);
  });
});
