/**
 * `drum NAME`: a hit that is a voice of its task, takes no time and rings for
 * its own length. Scripts run in a session; what a user sees (events, errors)
 * is read, and what they hear is rendered to WAV and analysed.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { bandFraction, channelOf, detectOnsets, parseWav, powerSpectrum, rmsOf } from '../../support/audio';
import { play } from '../../support/core/session';

const RATE = 48000;
const at = (s: number) => Math.round(s * RATE);

/** Run the script to its end (or `until`) and render it as the CLI's --wav does: stereo. */
function render(lines: string[], until?: number) {
  const h = play(lines);
  h.run(until);
  if (!h.session.ended) h.session.quit();
  h.run();
  const stream = h.events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
  const { changes, endNs } = changesFromStreamEvents(stream);
  const bytes = renderToWav(changes, endNs ?? h.session.scheduler.nowNanos, { rate: RATE, channels: 2 });
  const wav = parseWav(bytes);
  return { ...h, bytes, wav, left: channelOf(wav, 0), right: channelOf(wav, 1) };
}

describe('drum', () => {
  it('takes no time: the beep after it starts at the same instant, and the hit is a voice of its task that is not a note', () => {
    const h = play(['drum bd; beep C5 0.5', 'drum sd amp=0.3']);
    h.run();
    const first = h.of('notes')[0];
    expect(first.t).toBe(0);
    expect(first.notes).toEqual([60]);
    expect(first.voices!.map((v) => [v.drum ?? v.note, v.level])).toEqual([['bd', 0.1], [60, 0.1]]);
    // the snare comes after the beep's half second, at its own level
    const snare = h.of('notes').find((e) => e.voices!.some((v) => v.drum === 'sd'))!;
    expect(snare.t).toBe(0.5);
    expect(snare.voices!.find((v) => v.drum === 'sd')!.level).toBe(0.3);
  });

  it('plays a script of hits at their times (onsets 0.25 s apart) and the last hit rings whole after the script ends', () => {
    const r = render(['repeat 4 drum bd; wait 0.25', 'drum oh']);
    const onsets = detectOnsets(r.left, RATE).map((k) => k / RATE);
    expect(onsets.length).toBeGreaterThanOrEqual(5);
    expect(onsets.slice(0, 5).map((t) => Math.round(t * 100) / 100)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // the open hat at 1 s is heard for its length (0.6 s), though the script ended at once
    expect(r.wav.frames / RATE).toBeGreaterThanOrEqual(1.59);
    expect(rmsOf(r.left, at(1.3), at(1.4))).toBeGreaterThan(1e-4);
  });

  it('is cut when its task is cancelled: a loop of open hats stops at the cancel', () => {
    const r = render(['loop drum oh; wait 1 &', 'wait 0.1', 'cancel t1']);
    expect(rmsOf(r.left, at(0.05), at(0.09))).toBeGreaterThan(1e-3);
    expect(rmsOf(r.left, at(0.11), at(0.5))).toBe(0);
  });

  it('renders the same bytes every time (its noise is seeded)', () => {
    const lines = ['drum sd; wait 0.25; drum hh; drum cp pan=0.5', 'wait 0.25', 'drum oh rate=1.5'];
    expect(Buffer.from(render(lines).bytes).equals(Buffer.from(render(lines).bytes))).toBe(true);
  });

  it('rate= plays it higher and shorter; pan= moves it to one side', () => {
    const r = render(['drum hh pan=-1', 'wait 0.5', 'drum bd rate=2']);
    // the hat hard left: all in the left channel
    expect(rmsOf(r.right, 0, at(0.1))).toBe(0);
    expect(rmsOf(r.left, 0, at(0.1))).toBeGreaterThan(1e-3);
    // the kick at rate 2 is 0.3 s long (the render ends with it, 0.3 s after the script), and centred
    expect(Math.abs(r.wav.frames / RATE - 0.8)).toBeLessThan(0.002);
    expect(rmsOf(r.left, at(0.5), at(0.8))).toBe(rmsOf(r.right, at(0.5), at(0.8)));
    const low = bandFraction(powerSpectrum(r.left, RATE, at(0.5), at(0.3)), 0, 300);
    expect(low).toBeGreaterThan(0.6);
  });

  it('reports an unknown drum and bad options where they are written, with the nearest name', () => {
    const h = play(['drum bdd', 'drum sd amp=2', 'drum hh pan=3 rate=9', 'drum', 'drum cb loud=1']);
    h.run();
    expect(h.diagnostics().map((d) => `${d.line}:${d.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`)).toEqual([
      '1:6 unknown drum "bdd": expected one of bd, sd, hh, oh, cp, lt, mt, ht, rim, cb (did you mean "bd"?)',
      '2:9 expected a level 0..1, found "2"',
      '3:9 expected a pan -1..1 (left .. right), found "3"',
      '3:15 expected a rate 0.25..4 (2: an octave up, twice as fast), found "9"',
      expect.stringMatching(/^4:5 missing argument: expected a drum/),
      '5:9 unknown drum option "loud=1": expected amp=, pan= or rate= (usage: drum NAME [amp=A] [pan=P] [rate=R])',
    ]);
    expect(h.of('notes')).toEqual([]);
  });

  it('takes amp and pan from the task (amp 0.5, pan 1) as a note does', () => {
    const h = play(['amp 0.5', 'pan 1', 'drum cb']);
    h.run();
    const voice = h.of('notes')[0].voices![0];
    expect([voice.drum, voice.level, voice.pan]).toEqual(['cb', 0.5, 1]);
  });
});
