import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/session/api';
import { Session } from '../../../src/core/session/session';
import { TimelineModel } from '../../../src/renderer/timeline/model';
import { samplesOf } from '../../../src/core/commands/sample-load';

/** The piano roll a session's events draw: each bar as note@start-end. */
function roll(lines: string[], until = 10, prepare: (session: Session) => void = () => {}): string[] {
  const session = new Session();
  prepare(session);
  const model = new TimelineModel();
  session.subscribe((e: SessionEvent) => model.apply(e));
  const source = session.openSource('term');
  for (const line of lines) source.pushLine(line);
  session.scheduler.runUntilIdle(until);
  return model.noteBars.map((b) => `${b.note}@${b.start}-${Number.isNaN(b.end) ? '…' : b.end}`);
}

describe('the piano roll draws a bar per voice', () => {
  it('repeat 3 beep 64 0.2: three bars, one for each note heard', () => {
    expect(roll(['repeat 3 beep 64 0.2'])).toEqual(['64@0-0.2', '64@0.2-0.4', '64@0.4-0.6']);
  });

  it('a held note and another task\'s beep of the same pitch: the held bar goes on across the beep', () => {
    expect(roll(['beep C4 2 &', 'wait 0.5', 'beep C4 0.5'])).toEqual(['48@0-2', '48@0.5-1']);
  });

  it('a drum hit is a bar at its drum\'s key as long as it rings (bd 0.6 s, hh at rate 2 0.06 s), or until it is cut', () => {
    expect(roll(['drum bd; beep C5 1', 'drum hh rate=2', 'spawn drum oh; wait 5', 'wait 0.1', 'cancel t1'])).toEqual([
      '48@0-0.6',
      '60@0-1',
      '54@1-1.06',
      '58@1-1.1',
    ]);
  });

  it('a sample is a bar as long as it plays (0.5 s, half that at rate 2), a loop until it is cut', () => {
    const half = { sampleRate: 1000, channelData: [new Float32Array(500).fill(0.5)] };
    const bars = roll(['sample x.wav', 'wait 1', 'sample x.wav rate=2', 'wait 1', 'race sample x.wav loop | wait 1.5'], 10, (session) => {
      samplesOf(session).bank.add('term', 'x.wav', 'x.wav', half);
    });
    expect(bars).toEqual(['60@0-0.5', '60@1-1.25', '60@2-3.5']);
  });

  it('a snapshot\'s notes become the bars of the voices that follow', () => {
    const model = new TimelineModel();
    model.apply({ type: 'notes', t: 0, ns: 0, wall: 0, notes: [60], freqs: [523.25] });
    model.apply({ type: 'notes', t: 1, ns: 1e9, wall: 1, notes: [60], freqs: [523.25], voices: [{ id: 4, owner: 2, note: 60, level: 0.1, onset: 0 }] });
    model.apply({ type: 'notes', t: 2, ns: 2e9, wall: 2, notes: [60], freqs: [523.25], voices: [{ id: 5, owner: 2, note: 60, level: 0.1, onset: 2e9 }] });
    expect(model.noteBars.map((b) => [b.note, b.start, b.end, b.voice])).toEqual([[60, 0, 2, 4], [60, 2, NaN, 5]]);
    expect(model.activeNotes).toEqual([60]);
  });
});
