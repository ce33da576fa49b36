/** The score a session's events make (src/core/midi/score.ts): what a MIDI file of it holds. */
import { describe, expect, it } from 'vitest';
import { samplesOf } from '../../../src/core/commands/sample-load';
import { ScoreRecorder } from '../../../src/core/midi/score';
import { harness } from '../../support/core/session';

describe('ScoreRecorder', () => {
  it('leaves a sample out (an audio file has no MIDI form) and keeps the notes and drums around it', () => {
    const h = harness();
    samplesOf(h.session).bank.add('s.txt', 'x.wav', 'x.wav', { sampleRate: 1000, channelData: [new Float32Array(500).fill(0.5)] });
    const recorder = new ScoreRecorder();
    h.session.subscribe((e) => recorder.onEvent(e));
    h.load(['sample x.wav; drum bd; beep C5 1']);
    h.run();
    const notes = recorder.finish().notes;
    expect(notes.map((n) => [n.note, n.drum])).toEqual([
      [48, 36],
      [60, null],
    ]);
  });
});
