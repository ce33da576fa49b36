/**
 * `sample PATH`: an audio file as a voice of its task. The samples are put in
 * the session's bank as a host's loader would (sample-load.ts), made here by
 * code (a tone of a known pitch); what a user hears is rendered and analysed.
 */
import { describe, expect, it } from 'vitest';
import { samplesOf } from '../../../src/core/commands/sample-load';
import type { SessionConfig } from '../../../src/core/session/session';
import type { StreamEvent } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { channelOf, dominantFrequencies, parseWav, rmsOf } from '../../support/audio';
import { harness } from '../../support/core/session';

const RATE = 48000;
const FILE_RATE = 22050;
const at = (s: number) => Math.round(s * RATE);

/** `seconds` of a sine at each of `hz` in turn (equal parts), at 0.5, as a decoder gives it. */
function tones(seconds: number, ...hz: number[]) {
  const n = Math.round(seconds * FILE_RATE);
  const data = new Float32Array(n);
  const part = n / hz.length;
  for (let i = 0; i < n; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * hz[Math.min(hz.length - 1, Math.floor(i / part))] * i) / FILE_RATE);
  return { sampleRate: FILE_RATE, channelData: [data] };
}

/** A session whose bank holds `a.wav` (0.4 s of A4) and `ab.wav` (0.2 s of A4, then 0.2 s of E5). */
function withSamples(lines: string[], config: SessionConfig = {}) {
  const h = harness(config);
  const { bank } = samplesOf(h.session);
  bank.add('s.txt', 'a.wav', 'a.wav', tones(0.4, 440));
  bank.add('s.txt', 'ab.wav', 'ab.wav', tones(0.4, 440, 660));
  h.load(lines);
  return { h, bank };
}

function render(lines: string[], until?: number) {
  const { h, bank } = withSamples(lines);
  h.run(until);
  if (!h.session.ended) h.session.quit();
  h.run();
  const stream = h.events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
  const { changes, endNs } = changesFromStreamEvents(stream);
  const bytes = renderToWav(changes, endNs ?? h.session.scheduler.nowNanos, { rate: RATE, channels: 2, samples: bank });
  const wav = parseWav(bytes);
  return { ...h, bytes, wav, left: channelOf(wav, 0) };
}

/** The strongest frequency (Hz) of `s` seconds from `from`. */
function pitch(x: Float32Array, from: number, s: number): number {
  return dominantFrequencies(x, RATE, at(from), at(s))[0].freq;
}

/** The last moment (s) the render is above -60 dBFS, in 10 ms windows. */
function soundsUntil(x: Float32Array): number {
  const w = at(0.01);
  let last = 0;
  for (let k = 0; k + w <= x.length; k += w) if (rmsOf(x, k, k + w) > 1e-3) last = (k + w) / RATE;
  return last;
}

describe('sample', () => {
  it('takes no time: the beep after it starts at once; its voice is not a note', () => {
    const { h } = withSamples(['sample a.wav; beep C5 0.5']);
    h.run();
    const first = h.of('notes')[0];
    expect(first.t).toBe(0);
    expect(first.notes).toEqual([60]);
    expect(first.voices!.map((v) => v.sample?.id ?? v.note)).toEqual(['a.wav', 60]);
    expect(h.diagnostics()).toEqual([]);
  });

  it('sounds the file at its pitch and for its length', () => {
    const r = render(['sample a.wav']);
    expect(pitch(r.left, 0.05, 0.3)).toBeCloseTo(440, -1);
    expect(soundsUntil(r.left)).toBeCloseTo(0.4, 1);
  });

  it('rate=2 is an octave up in half the time; rate=0.5 an octave down in twice the time', () => {
    const up = render(['sample a.wav rate=2']);
    expect(pitch(up.left, 0.02, 0.15)).toBeCloseTo(880, -1);
    expect(soundsUntil(up.left)).toBeCloseTo(0.2, 1);
    const down = render(['sample a.wav rate=0.5']);
    expect(pitch(down.left, 0.1, 0.5)).toBeCloseTo(220, -1);
    expect(soundsUntil(down.left)).toBeCloseTo(0.8, 1);
  });

  it('start= and end= play a part of the file: its second half is E5 alone, its first A4 alone', () => {
    const second = render(['sample ab.wav start=0.5']);
    expect(pitch(second.left, 0.02, 0.15)).toBeCloseTo(660, -1);
    expect(soundsUntil(second.left)).toBeCloseTo(0.2, 1);
    const first = render(['sample ab.wav end=0.5']);
    expect(pitch(first.left, 0.02, 0.15)).toBeCloseTo(440, -1);
    expect(soundsUntil(first.left)).toBeCloseTo(0.2, 1);
  });

  it('loop plays the file round and round until its task is cancelled (here by race)', () => {
    const r = render(['race sample a.wav loop | wait 1.5', 'beep C6 0.1']);
    expect(rmsOf(r.left, at(0.5), at(1.4))).toBeGreaterThan(0.01);
    expect(pitch(r.left, 0.6, 0.8)).toBeCloseTo(440, -1);
    // after the race, the C6 beep alone (1046 Hz), then silence
    expect(pitch(r.left, 1.52, 0.06)).toBeCloseTo(1046.5, -1);
    expect(soundsUntil(r.left)).toBeCloseTo(1.6, 1);
  });

  it('renders the same bytes every time', () => {
    const lines = ['sample a.wav pan=-0.5; wait 0.1; sample ab.wav rate=1.5 start=0.25 amp=0.3'];
    expect(Buffer.from(render(lines).bytes).equals(Buffer.from(render(lines).bytes))).toBe(true);
  });

  it('a sample the session has not loaded is a located error where the line runs, and the script goes on', () => {
    const { h } = withSamples(['beep C5 0.1', '  sample missing.wav', 'beep D5 0.1']);
    h.run();
    const [d] = h.diagnostics();
    expect(d).toMatchObject({ source: 's.txt', line: 2, col: 3, found: 'missing.wav', expected: 'an audio file this session has loaded' });
    expect(h.notes()).toContain('0.1:62');
  });

  it('bad options are located parse errors that say what was expected', () => {
    const cases: [string, number, string][] = [
      ['sample a.wav start=2', 14, 'start=0..1'],
      ['sample a.wav rate=9', 14, 'a rate 0.25..4'],
      ['sample a.wav speed=2', 14, 'amp=A, pan=P, rate=R, start=S, end=E or loop'],
      ['sample a.wav start=0.6 end=0.5', 24, 'start < end'],
      ['sample', 7, 'the path of an audio file (WAV, FLAC, OGG or MP3)'],
    ];
    for (const [line, col, expected] of cases) {
      const h = harness();
      const result = h.load([line]);
      expect(result.diagnostics, line).toHaveLength(1);
      expect(result.diagnostics[0], line).toMatchObject({ line: 1, col, expected });
    }
  });
});
