import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandFraction, channelOf, parseWav, powerSpectrum, rmsOf, strongestIn } from '../support/audio';
import { runCli } from '../support/run-cli';

// The lesson "From Sonic Pi and Strudel", rendered as a user renders it
// (corotone FILE --wav --events) and listened to: the facts a listener
// notices are read from the WAV, the times they happen from the events.

const LESSON = 'resources/examples/from-sonic-pi-and-strudel.txt';

interface Event {
  type: string;
  t: number;
  id?: number;
  name?: string;
  kind?: string;
  woke?: number[];
  voices?: { id: number; owner: number; note: number; drum?: string; sample?: { id: string }; onset: number }[];
}

let events: Event[] = [];
let left: Float32Array = new Float32Array();
let rate = 48_000;

beforeAll(async () => {
  const wavPath = join(mkdtempSync(join(tmpdir(), 'corotone-lesson-')), 'lesson.wav');
  const run = await runCli([LESSON, '--wav', wavPath, '--events']);
  expect(run.code).toBe(0);
  events = run.stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Event);
  const wav = parseWav(new Uint8Array(readFileSync(wavPath)));
  rate = wav.rate;
  left = channelOf(wav, 0);
}, 120_000);

/** The line task of the lesson named `name`: when it started and ended. */
function line(name: string) {
  const created = events.find((e) => e.type === 'task-created' && e.kind === 'line' && e.name === name);
  if (created === undefined) throw new Error(`no line ${name}`);
  const ended = events.find((e) => e.id === created.id && /^task-(done|cancelled|failed)$/.test(e.type))!;
  return { id: created.id!, start: created.t, end: ended.t };
}

/** The RMS of the WAV's left channel over [from, to) seconds. */
const rms = (from: number, to: number) => rmsOf(left, Math.round(from * rate), Math.round(to * rate));
/** How much louder the 30 ms after t are than the 30 ms before: a hit starts there when well above 1. */
const rise = (t: number) => rms(t, t + 0.03) / Math.max(1e-6, rms(t - 0.03, t));

/** The share of the 50 ms after t that lies below 180 Hz (a kick's sweep; E4 is 330 Hz). */
const lowShare = (t: number) => bandFraction(powerSpectrum(left, rate, Math.round(t * rate), Math.round(0.05 * rate)), 20, 180);

describe('from-sonic-pi-and-strudel.txt, heard', () => {
  it('bd(3,8): the kick starts on steps 0, 3 and 6 of each 8, and on no other step', () => {
    const euclid = line('repeat 2 euclid 3 8 0.25 drum bd');
    expect(euclid.end - euclid.start).toBe(4);
    const hits: number[] = [];
    for (let step = 0; step < 16; step++) if (rise(euclid.start + step * 0.25) > 3) hits.push(step);
    expect(hits).toEqual([0, 3, 6, 8, 11, 14]);
  });

  it('sync :foo: each kick of the second loop starts on a pass (a cue) of the first, and you hear it there', () => {
    const cues = events.filter((e) => e.type === 'cue' && e.name === 'foo');
    const kicks = new Map<number, number>();
    for (const e of events) for (const v of e.voices ?? []) if (v.drum === 'bd' && !kicks.has(v.id) && e.t < cues.at(-1)!.t + 1) kicks.set(v.id, e.t);
    const kickTimes = [...kicks.values()].filter((t) => t < cues.at(-1)!.t + 0.5);
    expect(cues.length).toBeGreaterThanOrEqual(3);
    expect(kickTimes).toEqual(cues.map((c) => c.t));
    // the first loop passes every 0.4 s and the kick sleeps 1 s between: it waits for every third pass
    for (let i = 1; i < kickTimes.length; i++) expect(kickTimes[i] - kickTimes[i - 1]).toBeCloseTo(1.2, 9);
    // E4 starts again on every pass: the kick is the low end under it, there and not on the passes between
    const stop = events.find((e) => e.type === 'task-created' && e.kind === 'line' && e.name === 'stop')!.t;
    for (const t of kickTimes) {
      expect(lowShare(t)).toBeGreaterThan(0.3);
      if (t + 0.85 < stop) expect(lowShare(t + 0.8)).toBeLessThan(0.03);
    }
  });

  it('.lpf(800): the sawtooth bass has almost no energy above 1.6 kHz, where the unfiltered one of the stack has some', () => {
    const filtered = line('repeat 2 seq 0.5 C2 C2 Eb2 G1 synth=sawtooth fx=lpf:800 fx=reverb:0.5');
    const stack = line('seq 2 C3:major A2:minor');
    const spectrum = (from: number, to: number) => powerSpectrum(left, rate, Math.round(from * rate), Math.round((to - from) * rate));
    const above = bandFraction(spectrum(filtered.start + 0.05, filtered.end), 1600, rate / 2);
    // the stack's bass alone: its second beat, after the kick's tail (G2 under C major)
    const raw = bandFraction(spectrum(stack.start + 1.6, stack.start + 1.95), 1600, rate / 2);
    expect(above).toBeLessThan(raw / 5);
    expect(above).toBeLessThan(0.005);
  });

  it('with_fx :reverb around a sample: the plip file (E6 and B6) sounds at its line, and still rings in the room after its 0.2 s', () => {
    const plip = line('sample ../samples/plip.wav');
    const voice = events.find((e) => e.type === 'notes' && e.t === plip.start)?.voices?.find((v) => v.sample !== undefined);
    expect(voice?.sample?.id).toMatch(/plip\.wav$/);
    const window = (from: number, s: number) => powerSpectrum(left, rate, Math.round(from * rate), Math.round(s * rate));
    const spectrum = window(plip.start + 0.005, 0.08);
    // its partials: E6 is 1319 Hz, B6 1976 Hz; before it, D3 and its room have next to nothing there
    expect(Math.abs(strongestIn(spectrum, 1200, 1450) - 1318.5)).toBeLessThanOrEqual(2 * spectrum.binHz);
    const before = bandFraction(window(plip.start - 0.1, 0.08), 1200, 2100);
    expect(bandFraction(spectrum, 1200, 2100)).toBeGreaterThan(10 * before);
    // the file is 0.2 s long; the room's tail of it is heard after it, until D4 comes
    expect(bandFraction(window(plip.start + 0.3, 0.15), 1200, 2100)).toBeGreaterThan(3 * before);
  });
});
