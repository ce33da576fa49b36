import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('bpm states the tempo as a fact', () => {
  it('a tempo event at the time bpm runs, with its source and the task that ran it (what a MIDI file’s tempo map follows)', () => {
    const h = play(['beep 60 1', 'bpm 97.5', 'wait 1', 'bpm 120']);
    h.run();
    const line = (text: string) => h.task(text).id;
    expect(h.of('tempo').map(({ t, source, bpm, taskId }) => ({ t, source, bpm, taskId }))).toEqual([
      { t: 1, source: 's.txt', bpm: 97.5, taskId: line('bpm 97.5') },
      // a beat at 97.5 bpm, on the clock's whole ns
      { t: Math.round((1 + 60 / 97.5) * 1e9) / 1e9, source: 's.txt', bpm: 120, taskId: line('bpm 120') },
    ]);
  });

  it('says nothing for a bpm it refuses', () => {
    const h = play(['bpm 0', 'bpm fast']);
    h.run();
    expect(h.of('tempo')).toEqual([]);
    expect(h.diagnostics().length).toBe(2);
  });
});
