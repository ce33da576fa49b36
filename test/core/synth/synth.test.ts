import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { DEFAULT_LEVEL, FrequencyStream, type StreamEvent } from '../../../src/core/stream';
import {
  Synth,
  changesFromStreamEvents,
  phaseCycles,
  renderToPcm8,
  renderToS16,
  renderToWav,
} from '../../../src/core/synth';
import { secondsToNs } from '../../../src/core/time';
import { detectNotes, parseWav, stepsAroundChanges } from '../../support/audio';
import { CHORD_DURATIONS, CHORD_NOTES, CHORD_STARTS, DEMO_END_NS, DEMO_END_S, demoChanges, demoSegments, type Change } from '../../support/synth/demo-schedule';

/** SPEC's formula written out plainly: the active set from the schedule in seconds, k from 0. */
function referencePcm8(changes: Change[], endS: number): Uint8Array {
  const rate = 8000;
  const out = new Uint8Array(Math.round(endS * rate));
  const starts = changes.map((c) => Math.round((c.ns / 1e9) * rate));
  let current = 0;
  for (let k = 0; k < out.length; k++) {
    while (current + 1 < changes.length && starts[current + 1] <= k) current++;
    const freqs = k >= starts[0] ? changes[current].freqs : [];
    const n = freqs.length;
    if (n === 0) {
      out[k] = 127;
      continue;
    }
    let sum = 0;
    for (const f of freqs) sum += Math.sin((2 * Math.PI * f * k) / 8000);
    out[k] = Math.floor(127 + 0.8 * 127 * (1 / n) * sum);
  }
  return out;
}

/** Index of the first differing element, -1 if equal (toEqual on big typed arrays is slow). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The demo's commands.txt played through a FrequencyStream by the scheduler (no owners: the demo's set). */
function demoThroughStream(): StreamEvent[] {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  scheduler.spawn(
    (function* () {
      stream.add(60);
      let t = 0;
      for (let i = 0; i < CHORD_STARTS.length; i++) {
        // Waits as in commands.txt: a chord starts when the previous one ends or after a wait.
        const gap = Math.round((CHORD_STARTS[i] - t) * 1000) / 1000;
        if (gap > 0) yield* sleep(gap);
        for (const n of CHORD_NOTES[i]) stream.add(n);
        yield* sleep(CHORD_DURATIONS[i]);
        for (const n of CHORD_NOTES[i]) stream.remove(n);
        t = CHORD_STARTS[i] + CHORD_DURATIONS[i];
      }
      yield* sleep(2);
      stream.remove(60);
      stream.end();
    })(),
    { name: 'demo' },
  );
  scheduler.runUntilIdle();
  return events;
}

const hz = (...notes: number[]): number[] => notes.map((n) => 16.35 * 2 ** (n / 12));

describe('exact mode', () => {
  it("equals the demo's own arithmetic (numpy's samples) bit for bit on the demo script, k = 2500 ... included", () => {
    // Written by scripts/exact-fixture.py: c = 2*pi/8000 first, sin((k*c)*f), the notes in the order added.
    const expected = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/commands-exact.u8', import.meta.url))));
    const { changes, endNs } = changesFromStreamEvents(demoThroughStream());
    const pcm = renderToPcm8(changes, endNs!, { exact: true });
    expect(pcm.length).toBe(expected.length);
    const mismatches: number[] = [];
    for (let k = 0; k < pcm.length; k++) if (pcm[k] !== expected[k]) mismatches.push(k);
    expect(mismatches).toEqual([]);
    // SPEC's formula written the plain way floors differently at these samples: the order matters.
    const plain = referencePcm8(demoChanges(), DEMO_END_S);
    expect([2500, 5000, 10000, 20000, 52500, 65000, 80000].filter((k) => plain[k] !== expected[k]).length).toBeGreaterThan(0);
  });

  it('writes 127 in silence, so a gap keeps its length', () => {
    const changes: Change[] = [
      { ns: secondsToNs(0.25), notes: [57], freqs: hz(57) },
      { ns: secondsToNs(0.5), notes: [], freqs: [] },
      { ns: secondsToNs(1), notes: [60, 64], freqs: hz(60, 64) },
    ];
    const pcm = renderToPcm8(changes, secondsToNs(1.5), { exact: true });
    expect(pcm.length).toBe(12000);
    expect(pcm.subarray(0, 2000).every((v) => v === 127)).toBe(true);
    expect(pcm.subarray(4000, 8000).every((v) => v === 127)).toBe(true);
    expect(pcm.subarray(2000, 4000).some((v) => v !== 127)).toBe(true);
    expect(firstDifference(pcm, referencePcm8(changes, 1.5))).toBe(-1);
  });

  it('writes 0 in silence in 16-bit', () => {
    const samples = renderToS16([{ ns: secondsToNs(0.5), freqs: hz(57) }], secondsToNs(1));
    expect(samples.subarray(0, 24000).every((v) => v === 0)).toBe(true);
    expect(samples.subarray(24000, 48000).some((v) => v !== 0)).toBe(true);
  });
});

describe('declicking', () => {
  const changeSamples = [...demoSegments().slice(1).map((s) => Math.round(s.from * 48000)), Math.round(DEMO_END_S * 48000)];
  const radius = 240; // 5 ms: the 3 ms fade and a margin

  it("shows the demo's jumps at changes when exact (so this measure can fail)", () => {
    const samples = parseWav(renderToWav(demoChanges(), DEMO_END_NS, { exact: true })).samples;
    const steps = stepsAroundChanges(samples, changeSamples.slice(0, -1), radius);
    expect(Math.max(...steps.atChanges)).toBeGreaterThan(4 * steps.elsewhere);
    const clicks = steps.atChanges.filter((s, i) => s > 1.5 * steps.local[i]);
    expect(clicks.length).toBeGreaterThan(steps.atChanges.length / 2);
  });

  it("shows the demo's jumps in its own 8-bit format when exact", () => {
    const pcm = renderToPcm8(demoChanges(), DEMO_END_NS, { exact: true });
    const steps = stepsAroundChanges(pcm, changeSamples.slice(0, -1).map((k) => k / 6), 40);
    expect(Math.max(...steps.atChanges)).toBeGreaterThan(100); // levels of 255
    expect(Math.max(...steps.atChanges)).toBeGreaterThan(1.5 * steps.elsewhere);
  });

  it("makes no step at a change larger than the signal's own steps", () => {
    const samples = parseWav(renderToWav(demoChanges(), DEMO_END_NS)).samples;
    const steps = stepsAroundChanges(samples, changeSamples, radius);
    expect(Math.max(...steps.atChanges)).toBeLessThanOrEqual(steps.elsewhere);
    // Near each change: at most the neighbouring sound's own step plus the ramp's
    // slope (1/144 of the 1.6 peak-to-peak range per sample at 48 kHz).
    steps.atChanges.forEach((s, i) => expect(s).toBeLessThanOrEqual(steps.local[i] + 1.6 / 144));
  });

  it('does not click in the 8-bit format either', () => {
    const pcm = renderToPcm8(demoChanges(), DEMO_END_NS);
    const steps = stepsAroundChanges(pcm, changeSamples.map((k) => k / 6), 40);
    expect(Math.max(...steps.atChanges)).toBeLessThanOrEqual(steps.elsewhere);
  });

  it('fades on smoothly when changes come faster than a fade', () => {
    const changes = [0, 1, 1.0005, 1.001, 1.002, 1.0021, 1.5].map((t, i) => ({
      ns: secondsToNs(t),
      freqs: hz(...[[60], [60, 64], [67], [], [72, 76, 79], [60], [64, 67]][i]),
    }));
    const samples = Float32Array.from(renderToS16(changes, secondsToNs(2)), (v) => v / 32768);
    const steps = stepsAroundChanges(samples, [48000, 72000], 300);
    expect(Math.max(...steps.atChanges)).toBeLessThanOrEqual(steps.elsewhere + 1.6 / 144);
    expect(Math.max(...samples.map(Math.abs))).toBeLessThanOrEqual(0.8);
  });

  it('starts each fade at the change sample, not before', () => {
    const change = 48000 + 77;
    const synth = new Synth();
    synth.change(0, hz(60));
    synth.change(secondsToNs(change / 48000), hz(72));
    const out = new Float32Array(change + 200);
    synth.render(out.length, out);
    const f = hz(60)[0];
    for (const k of [change - 2, change - 1]) expect(out[k]).toBeCloseTo(DEFAULT_LEVEL * Math.sin((2 * Math.PI * f * k) / 48000), 6);
    const g = hz(72)[0];
    // From the change on the output leaves the old note, and after 144 samples it is the new one alone.
    const old = (k: number): number => DEFAULT_LEVEL * Math.sin((2 * Math.PI * f * k) / 48000);
    expect(Math.abs(out[change + 1] - old(change + 1))).toBeGreaterThan(1e-4);
    for (const k of [change + 143, change + 150, change + 199]) {
      expect(out[k]).toBeCloseTo(DEFAULT_LEVEL * Math.sin((2 * Math.PI * g * k) / 48000), 6);
    }
  });
});

describe('phase continuity', () => {
  it('keeps every note on sin(2 pi f k / rate) across blocks and changes (no restart)', () => {
    const synth = new Synth({ rate: 48000 });
    synth.change(0, hz(60));
    synth.change(secondsToNs(0.3), hz(60, 67));
    synth.change(secondsToNs(0.7), hz(60));
    synth.change(secondsToNs(1.1), hz(60, 67));
    synth.end(secondsToNs(2));
    // the length is found by rendering: the render ends once the tails are silent
    const all = new Float32Array(3 * 48000);
    const out = all.subarray(0, synth.renderToEnd(all.length, all));
    expect(out.length).toBe(synth.length);
    const [c, g] = hz(60, 67);
    const expected = (k: number): number => {
      const t = k / 48000;
      const both = t >= 0.3 && t < 0.7 ? true : t >= 1.1;
      const s = Math.sin((2 * Math.PI * c * k) / 48000);
      // Each note keeps its own level whoever joins it.
      return both ? DEFAULT_LEVEL * (s + Math.sin((2 * Math.PI * g * k) / 48000)) : DEFAULT_LEVEL * s;
    };
    let worst = 0;
    for (let k = 0; k < out.length; k++) {
      const t = k / 48000;
      if ([0, 0.3, 0.7, 1.1].some((c) => t >= c && t < c + 0.004) || t >= 2) continue; // the fades
      worst = Math.max(worst, Math.abs(out[k] - expected(k)));
    }
    expect(worst).toBeLessThan(1e-6); // float32 rounding; a phase slip would be ~1e-2 or more
  });

  it('stays exact for an hour: the phase at k is taken exactly, not from a growing sum', () => {
    const f = hz(127)[0];
    const k = 3600 * 48000 + 12345;
    const x = (f * k) / 48000; // ~1e9 cycles: a plain double keeps ~1e-7 of a cycle
    expect(Math.abs(phaseCycles(f, k, 48000) - (x - Math.floor(x)))).toBeLessThan(1e-6);
    // And agrees with exact rational arithmetic: f is a double, so f * 2^40 is an integer (f < 2^15).
    expect(Number.isInteger(f * 2 ** 40)).toBe(true);
    const numerator = BigInt(f * 2 ** 40) * BigInt(k);
    const denominator = 48000n * 2n ** 40n;
    const frac = Number(numerator % denominator) / Number(denominator);
    expect(Math.abs(phaseCycles(f, k, 48000) - frac)).toBeLessThan(1e-11);
  });

  it('renders the same samples however the calls are split, and however late the changes are fed', () => {
    // The demo's first changes, plus changes closer together than a fade, five notes at once.
    const changes = [
      ...demoChanges().slice(0, 6),
      ...[4, 4.001, 4.0015, 4.1].map((t, i) => ({ ns: secondsToNs(t), freqs: hz(...[[60, 64, 67, 71, 74], [61], [60, 62, 64], [50, 60, 70, 80]][i]) })),
    ];
    const endNs = secondsToNs(4.5);
    const rate = 44100;
    const whole = new Synth({ rate });
    for (const c of changes) whole.change(c.ns, c.freqs);
    whole.end(endNs);
    // Floats show a difference in the last bits that 16-bit rounding could hide.
    const all = new Float32Array(5 * rate);
    const expected = all.slice(0, whole.renderToEnd(all.length, all));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        const synth = new Synth({ rate });
        const out = new Float32Array(expected.length);
        let next = 0;
        let i = 0;
        while (!synth.done) {
          // Feed each change just before the render that reaches it, as a live stream would.
          const to = Math.min(out.length, synth.position + sizes[i++ % sizes.length]);
          while (next < changes.length && Math.round((changes[next].ns / 1e9) * rate) < to) {
            synth.change(changes[next].ns, changes[next].freqs);
            next++;
          }
          if (next === changes.length && Math.round(4.5 * rate) < to) synth.end(endNs);
          synth.render(to, out, synth.position);
        }
        expect(synth.lateChanges).toBe(0);
        expect(firstDifference(out, expected)).toBe(-1);
      }),
      { numRuns: 25 },
    );
  });

  it('applies a change that arrives after its sample was rendered at once, and counts it', () => {
    const synth = new Synth({ rate: 8000 });
    const out = new Uint8Array(8000);
    synth.render(4000, out);
    synth.change(secondsToNs(0.25), hz(57));
    synth.render(8000, out, 4000);
    expect(synth.lateChanges).toBe(1);
    expect(out.subarray(0, 4000).every((v) => v === 127)).toBe(true);
    expect(detectNotes(Float32Array.from(out, (v) => (v - 128) / 128), 8000, 4100, 400).notes).toEqual([57]);
  });
});

describe('fed by the frequency stream', () => {
  it('renders what a FrequencyStream publishes while the scheduler plays the demo', () => {
    const events = demoThroughStream();
    const { changes, endNs } = changesFromStreamEvents(events);
    expect(endNs).toBe(DEMO_END_NS);
    const live = renderToWav(changes, endNs!);
    const fromSpec = renderToWav(
      demoChanges().map((c) => ({ ns: c.ns, freqs: c.freqs })),
      DEMO_END_NS,
    );
    expect(live.length).toBe(fromSpec.length);
    expect(firstDifference(live, fromSpec)).toBe(-1);
    // The same events pushed one by one into a Synth, as the live output does.
    const synth = new Synth();
    for (const e of events) synth.push(e);
    const all = new Int16Array(11 * 48000);
    const pushed = all.subarray(0, synth.renderToEnd(all.length, all));
    expect(synth.done).toBe(true);
    expect(firstDifference(pushed, new Int16Array(fromSpec.buffer.slice(44)))).toBe(-1);
  });
});

describe('options', () => {
  it('rejects a crossfade over 5 ms and a bad rate', () => {
    expect(() => new Synth({ crossfadeMs: 6 })).toThrow(RangeError);
    expect(() => new Synth({ rate: 0 })).toThrow(RangeError);
    expect(() => new Synth({ rate: 44100.5 })).toThrow(RangeError);
  });

  it('refuses to render past the end of the caller array', () => {
    const synth = new Synth();
    expect(() => synth.render(10, new Int16Array(5))).toThrow(RangeError);
  });
});
