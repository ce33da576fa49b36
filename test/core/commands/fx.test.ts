/**
 * `fx` and `fx=` as a listener hears them: a script plays in a session, its
 * notes are rendered to a WAV file as `--wav` does, and the sound is judged
 * from the audio alone (harmonics, RMS in windows, length), against the same
 * script without the effect.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { goertzelAmplitude, parseWav } from '../../support/audio';
import { play } from '../../support/core/session';

const RATE = 48000;
const A2 = 110;
const A3 = 220;
const A4 = 440;

/** The WAV file a script renders to (the session ends when the script does). */
function wavOf(lines: string[]): Uint8Array {
  const h = play(lines);
  h.run();
  expect(h.diagnostics()).toEqual([]);
  if (!h.session.ended) h.session.quit();
  const events = h.events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
  const { changes, endNs } = changesFromStreamEvents(events);
  return renderToWav(changes, endNs ?? h.session.scheduler.nowNanos, { rate: RATE });
}

const render = (lines: string[]): Float32Array => parseWav(wavOf(lines)).samples;
const db = (x: number): number => 20 * Math.log10(Math.max(x, 1e-12));

/** Amplitude of `freq` over [from, to) seconds. */
const amp = (samples: Float32Array, freq: number, from: number, to: number): number =>
  goertzelAmplitude(samples, RATE, Math.round(from * RATE), Math.round((to - from) * RATE), freq);

function rms(samples: Float32Array, from: number, to: number): number {
  const a = Math.round(from * RATE);
  const b = Math.min(samples.length, Math.round(to * RATE));
  let sum = 0;
  for (let k = a; k < b; k++) sum += samples[k] * samples[k];
  return Math.sqrt(sum / Math.max(1, b - a));
}

describe('filters', () => {
  it('lpf 800 takes the harmonics above its cutoff out of a sawtooth and keeps those below', () => {
    const dry = render(['synth sawtooth', 'beep A3 1']);
    const wet = render(['synth sawtooth', 'fx lpf 800', 'beep A3 1']);
    const drop = (f: number) => db(amp(dry, f, 0.2, 0.8)) - db(amp(wet, f, 0.2, 0.8));
    expect(Math.abs(drop(A3))).toBeLessThan(1);
    // 12 dB an octave: 14 dB at 1760 Hz (2.2 times the cutoff), 26 dB at 3520, 38 dB at 7040
    expect(drop(A3 * 8)).toBeGreaterThan(10);
    expect(drop(A3 * 16)).toBeGreaterThan(20);
    expect(drop(A3 * 32)).toBeGreaterThan(30);
  });

  it('hpf 2000 takes the fundamental out and keeps the high harmonics', () => {
    const dry = render(['synth sawtooth', 'beep A3 1']);
    const wet = render(['synth sawtooth', 'fx hpf 2000', 'beep A3 1']);
    const drop = (f: number) => db(amp(dry, f, 0.2, 0.8)) - db(amp(wet, f, 0.2, 0.8));
    expect(drop(A3)).toBeGreaterThan(30);
    expect(Math.abs(drop(A3 * 32))).toBeLessThan(1);
  });

  it('res= raises the harmonics at the cutoff (a resonant peak)', () => {
    const plain = render(['synth sawtooth', 'fx lpf 990', 'beep A2 1']);
    const peaked = render(['synth sawtooth', 'fx lpf 990 res=8', 'beep A2 1']);
    expect(db(amp(peaked, A2 * 9, 0.2, 0.8)) - db(amp(plain, A2 * 9, 0.2, 0.8))).toBeGreaterThan(12);
    expect(Math.abs(db(amp(peaked, A2, 0.2, 0.8)) - db(amp(plain, A2, 0.2, 0.8)))).toBeLessThan(1);
  });

  it('takes the effect as a note option (fx=lpf:800), for that note alone', () => {
    const samples = render(['synth sawtooth', 'beep A3 0.5 fx=lpf:800', 'beep A3 0.5']);
    const high = (from: number) => db(amp(samples, A3 * 32, from, from + 0.3));
    expect(high(0.6) - high(0.1)).toBeGreaterThan(30);
  });
});

describe('delay', () => {
  it('repeats a note TIME later at FEEDBACK of its level, and again at FEEDBACK squared', () => {
    const samples = render(['fx delay 0.25 0.5', 'beep A4 0.1']);
    const level = (t: number) => amp(samples, A4, t + 0.02, t + 0.08);
    expect(db(level(0.25)) - db(level(0))).toBeCloseTo(db(0.5), 0);
    expect(db(level(0.5)) - db(level(0))).toBeCloseTo(db(0.25), 0);
    // silence between the echoes
    expect(db(rms(samples, 0.12, 0.24))).toBeLessThan(-80);
  });

  it('reads TIME in beats at the tempo, or in ms', () => {
    for (const lines of [['bpm 120', 'fx delay 0.5 0.5', 'beep A4 0.1'], ['bpm 120', 'fx delay 250ms 0.5', 'beep A4 0.1']]) {
      const samples = render(lines);
      expect(db(amp(samples, A4, 0.27, 0.33)) - db(amp(samples, A4, 0.02, 0.08)), lines.join('; ')).toBeCloseTo(db(0.5), 0);
    }
  });
});

describe('reverb, distort', () => {
  it('reverb rings on after the note, fading, and the render waits for it', () => {
    const samples = render(['fx reverb 0.8', 'beep A4 0.2']);
    const windows = [0.3, 0.6, 0.9].map((t) => db(rms(samples, t, t + 0.1)));
    expect(windows[0]).toBeGreaterThan(-50);
    expect(windows[1]).toBeLessThan(windows[0] - 3);
    expect(windows[2]).toBeLessThan(windows[1] - 3);
    expect(samples.length / RATE).toBeGreaterThan(1);
    const dry = render(['beep A4 0.2']);
    expect(dry.length / RATE).toBeLessThan(0.21);
  });

  it('distort adds harmonics to a sine, and keeps its level', () => {
    const dry = render(['beep A4 1']);
    const wet = render(['fx distort 0.5', 'beep A4 1']);
    const third = (s: Float32Array) => db(amp(s, A4 * 3, 0.2, 0.8)) - db(amp(s, A4, 0.2, 0.8));
    expect(third(dry)).toBeLessThan(-60);
    expect(third(wet)).toBeGreaterThan(-20);
    expect(Math.abs(db(rms(wet, 0.2, 0.8)) - db(rms(dry, 0.2, 0.8)))).toBeLessThan(3);
  });
});

describe('tails', () => {
  it('renders a note with a 1 s release at least 1 s past its end', () => {
    const samples = render(['env 0.01 0 1 1', 'beep A4 0.5']);
    expect(samples.length / RATE).toBeGreaterThanOrEqual(1.5);
    // the release is heard, falling
    expect(db(rms(samples, 0.9, 1.0))).toBeGreaterThan(-40);
    expect(rms(samples, 1.3, 1.4)).toBeLessThan(rms(samples, 0.9, 1.0));
  });

  it('renders the same bytes twice', () => {
    const script = ['synth sawtooth', 'fx lpf 1200 res=2', 'fx distort 0.3', 'fx delay 0.2 0.4', 'fx reverb 0.6', 'beep A3 0.3', 'beep C4 0.3 fx=hpf:300'];
    const a = wavOf(script);
    const b = wavOf(script);
    expect(a.length).toBeGreaterThan(RATE);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('the chain', () => {
  it('publishes each voice\'s chain; fx off empties it; a spawned task inherits it', () => {
    const h = play(['fx lpf 800', 'fx reverb 0.5', 'beep A4 0.1', 'beep B4 0.1 &', 'wait 0.1', 'fx off', 'beep C5 0.1']);
    h.run();
    const chains = h.of('notes').flatMap((e) => e.voices ?? []).map((v) => (v.fx ?? []).map((e) => e.type).join('+'));
    expect(chains).toEqual(['lpf+reverb', 'lpf+reverb', '']);
    expect(h.of('notes')[0].voices![0].fx).toEqual([
      { type: 'lpf', hz: 800, res: Math.SQRT1_2 },
      { type: 'reverb', room: 0.5 },
    ]);
  });

  it('changes the effect of a kind in its place: a loop that sets its cutoff each pass keeps one filter', () => {
    const h = play(['fx distort 0.2', 'fx reverb 0.5', 'repeat 12 fx lpf 500+rand(0,1000); beep A3 0.1', 'beep A3 0.1 fx=lpf:300 fx=lpf:400']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    const chains = h.of('notes').flatMap((e) => e.voices ?? []).map((v) => (v.fx ?? []).map((e) => e.type).join('+'));
    expect(chains).toEqual([...Array.from({ length: 12 }, () => 'distort+reverb+lpf'), 'lpf']);
    expect(h.of('notes').at(-2)!.voices![0].fx).toEqual([{ type: 'lpf', hz: 400, res: Math.SQRT1_2 }]);
    // chance drawn each pass
    const cutoffs = h.of('notes').slice(0, 12).flatMap((e) => e.voices ?? []).map((v) => v.fx!.find((e) => e.type === 'lpf')!);
    for (const lpf of cutoffs) expect(lpf.type === 'lpf' && lpf.hz >= 500 && lpf.hz <= 1500).toBe(true);
    expect(new Set(cutoffs.map((e) => (e.type === 'lpf' ? e.hz : 0))).size).toBeGreaterThan(5);
  });

  it('answers a bad effect and too many chains with a located error', () => {
    const cases: [string[], RegExp][] = [
      [['fx wobble 3'], /unknown effect "wobble"/],
      [['fx lpf 5'], /cutoff in Hz 20\.\.20000, found "5"/],
      [['fx delay 0.25 1.5'], /FEEDBACK 0\.\.0\.95/],
      [['beep A4 0.1 fx=lpf:abc'], /cutoff in Hz/],
      [['beep A4 0.1 fx=delay:5:0.5'], /a delay TIME is more than 0 and at most 4 s/],
      [Array.from({ length: 17 }, (_, i) => `add ${40 + i} fx=lpf:${500 + i}`), /too many effect chains at once/],
      [['fx lpf rand(5,10)'], /fx: an lpf cutoff \(Hz\) is 20\.\.20000, not [5-9]/],
      [['beep A4 0.1 fx=distort:rand(2,3)'], /a distort AMOUNT is 0\.\.1, not 2/],
      [['fx reverb rand(0.1'], /expected "," or "\)"/],
    ];
    for (const [lines, message] of cases) {
      const h = play(lines);
      h.run();
      const d = h.diagnostics();
      expect(d.length, lines.join('; ')).toBe(1);
      expect(d[0].message).toMatch(message);
      expect(d[0].line).toBe(lines.length > 1 ? lines.length : 1);
      expect(d[0].col).toBeGreaterThan(0);
    }
  });
});
