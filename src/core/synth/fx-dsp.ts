/**
 * The effects' DSP: one arithmetic for the WAV render (the core synth) and
 * the app, which runs this very code in an AudioWorklet
 * (src/renderer/audio/fx.ts puts `fxKit.toString()` into the worklet), so the
 * two sound the same to the float32 rounding of Web Audio's buffers.
 *
 * Per-sample, pure TypeScript: RBJ-cookbook biquads (lpf/hpf with Q), a delay
 * line with feedback, Jezar's Freeverb (mono: 8 damped combs, 4 allpasses) and
 * a tanh waveshaper. Each effect works on a block in place, one after another:
 * every effect is a state machine sample by sample, so the output does not
 * depend on how a render is split into blocks.
 *
 * Each function below that makes a part (a stage's class, the reverb's inner
 * loop, the chain) is self-contained: nothing from outside its body, not even
 * a constant, since the worklet gets their source text (`fxKitSource`) and
 * has no imports; a part another needs is passed to it (the reverb's loop).
 *
 * Fast without being other arithmetic (issue 19's 10-minute groove): the
 * reverb's 12 lines run in one pass per sample, and filters at the head of
 * two chains run side by side (fx-bus.ts), each value computed as the plain
 * loops compute it, so renders are the same bytes (test/core/synth/fx-dsp.test.ts).
 */
import type { Effect } from '../stream/fx';

/** An effect as the DSP takes it: a delay's TIME in seconds. */
export type DspEffect = Exclude<Effect, { type: 'delay' }> | { type: 'delay'; seconds: number; feedback: number };

export type Block = Float64Array | Float32Array;

export interface FxChain {
  /** Run buf[0 .. n-1] through the chain, in place. */
  process(buf: Block, n: number): void;
  /** The same, from stage `from` on (the stages before it have already run on this block). */
  processFrom(buf: Block, n: number, from: number): void;
  readonly stages: readonly Stage[];
  /** Output samples under SILENCE in a row, up to now. */
  readonly quietSamples: number;
  /** That many quiet samples in a row (and no input) mean the chain has fallen silent for good: its longest memory. */
  readonly memorySamples: number;
}

/** One effect, working on blocks in place; `memory`: how many samples of its past it can still sound. */
export interface Stage {
  process(buf: Block, n: number): void;
  readonly memory: number;
  /**
   * A filter: this stage on buf and `other` (a filter too) on otherBuf, in
   * one loop. Each is the same arithmetic as its own process, but the two
   * recursions overlap in the processor instead of waiting on one another.
   */
  processBeside?(other: Stage, buf: Block, otherBuf: Block, n: number): void;
}

/** The stages' classes, made by the part functions below. */
export interface StageClasses {
  filter: new (high: boolean, hz: number, q: number, rate: number) => Stage;
  delay: new (seconds: number, feedback: number, rate: number) => Stage;
  reverb: new (room: number, rate: number) => Stage;
  distort: new (amount: number) => Stage;
}

export interface FxKit {
  createChain(effects: readonly DspEffect[], rate: number): FxChain;
  /** The silence threshold of tails: -90 dBFS, about one step of 16-bit audio. */
  SILENCE: number;
}

/** RBJ-cookbook biquads (low- or high-pass, Q), transposed direct form II. */
export function filterStage(): StageClasses['filter'] {
  return class Biquad {
    b0: number;
    b1: number;
    b2: number;
    a1: number;
    a2: number;
    z1 = 0;
    z2 = 0;
    memory: number;
    constructor(high: boolean, hz: number, q: number, rate: number) {
      const f = Math.min(hz, rate * 0.45);
      const w = (2 * Math.PI * f) / rate;
      const cos = Math.cos(w);
      const alpha = Math.sin(w) / (2 * q);
      const a0 = 1 + alpha;
      const edge = high ? (1 + cos) / 2 : (1 - cos) / 2;
      this.b0 = edge / a0;
      this.b1 = (high ? -(1 + cos) : 1 - cos) / a0;
      this.b2 = edge / a0;
      this.a1 = (-2 * cos) / a0;
      this.a2 = (1 - alpha) / a0;
      // a resonant filter rings for about Q cycles of its cutoff
      this.memory = Math.ceil((rate / f) * (q + 1) * 4);
    }
    process(buf: Block, n: number): void {
      const { b0, b1, b2, a1, a2 } = this;
      let z1 = this.z1;
      let z2 = this.z2;
      for (let j = 0; j < n; j++) {
        const x = buf[j];
        const y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        buf[j] = y;
      }
      this.z1 = z1;
      this.z2 = z2;
    }
    processBeside(other: Biquad, buf: Block, otherBuf: Block, n: number): void {
      const { b0, b1, b2, a1, a2 } = this;
      const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = other;
      let z1 = this.z1;
      let z2 = this.z2;
      let w1 = other.z1;
      let w2 = other.z2;
      for (let j = 0; j < n; j++) {
        const x = buf[j];
        const y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        buf[j] = y;
        const u = otherBuf[j];
        const v = c0 * u + w1;
        w1 = c1 * u - d1 * v + w2;
        w2 = c2 * u - d2 * v;
        otherBuf[j] = v;
      }
      this.z1 = z1;
      this.z2 = z2;
      other.z1 = w1;
      other.z2 = w2;
    }
  };
}

/** y = x + echo; the line keeps FEEDBACK * y, so echo k comes k TIMEs late at FEEDBACK^k. */
export function delayStage(): StageClasses['delay'] {
  return class Delay {
    line: Float64Array;
    at = 0;
    feedback: number;
    memory: number;
    constructor(seconds: number, feedback: number, rate: number) {
      this.line = new Float64Array(Math.max(1, Math.round(seconds * rate)));
      this.feedback = feedback;
      this.memory = this.line.length;
    }
    process(buf: Block, n: number): void {
      const line = this.line;
      const fb = this.feedback;
      let at = this.at;
      for (let j = 0; j < n; ) {
        const run = Math.min(n - j, line.length - at);
        for (let r = 0; r < run; r++, j++, at++) {
          const y = buf[j] + line[at];
          line[at] = fb * y;
          buf[j] = y;
        }
        if (at === line.length) at = 0;
      }
      this.at = at;
    }
  };
}

/**
 * A reverb's 12 delay lines (8 combs, then 4 allpasses) and their state, as
 * the reverb's run (`reverbRun`) works on them: one array holds them all
 * (line i is mem[starts[i] .. starts[i] + lengths[i] - 1], read and written
 * at starts[i] + at[i]), so the loop keeps one array in registers, not 12.
 */
export interface ReverbLines {
  mem: Float64Array;
  starts: Int32Array;
  lengths: Int32Array;
  at: Int32Array;
  /** The combs' damping filters' last outputs. */
  stores: Float64Array;
  feedback: number;
}

/** Samples buf[from .. from + run - 1] through every line of a reverb, none of which wraps within the run. */
export type ReverbRun = (lines: ReverbLines, buf: Block, from: number, run: number) => void;

/**
 * Jezar's Freeverb, mono, at its defaults (damp 0.5, wet 1, the dry sound
 * kept), ROOM its room size; `runLines` is `reverbRun()`'s.
 */
export function reverbStage(runLines: ReverbRun): StageClasses['reverb'] {
  return class Reverb implements ReverbLines {
    mem: Float64Array;
    starts = new Int32Array(12);
    lengths: Int32Array;
    at = new Int32Array(12);
    stores = new Float64Array(8);
    feedback: number;
    memory: number;
    constructor(room: number, rate: number) {
      const tune = (n: number) => Math.max(1, Math.round((n * rate) / 44100));
      this.lengths = Int32Array.from([1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617, 556, 441, 341, 225].map(tune));
      let total = 0;
      for (let i = 0; i < 12; i++) {
        this.starts[i] = total;
        total += this.lengths[i];
      }
      this.mem = new Float64Array(total);
      this.feedback = room * 0.28 + 0.7;
      // the longest comb, then every allpass
      this.memory = this.lengths[7] + this.lengths[8] + this.lengths[9] + this.lengths[10] + this.lengths[11];
    }
    /** In runs up to the next wrap of any line, so the run's loop has no branch. */
    process(buf: Block, n: number): void {
      for (let j = 0; j < n; ) {
        let run = n - j;
        for (let i = 0; i < 12; i++) run = Math.min(run, this.lengths[i] - this.at[i]);
        runLines(this, buf, j, run);
        j += run;
      }
    }
  };
}

/**
 * The reverb's inner loop: its 8 combs and 4 allpasses in one pass per
 * sample, the wet sum in a register (not an array walked 12 times). Each
 * value is the same arithmetic in the same order as comb by comb, then
 * allpass by allpass, so the same bits.
 */
export function reverbRun(): ReverbRun {
  return (lines, buf, from, run) => {
    const fb = lines.feedback;
    const m = lines.mem;
    const at = lines.at;
    const st = lines.stores;
    const b = lines.starts;
    const i0 = b[0] + at[0], i1 = b[1] + at[1], i2 = b[2] + at[2], i3 = b[3] + at[3];
    const i4 = b[4] + at[4], i5 = b[5] + at[5], i6 = b[6] + at[6], i7 = b[7] + at[7];
    const q0 = b[8] + at[8], q1 = b[9] + at[9], q2 = b[10] + at[10], q3 = b[11] + at[11];
    let s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5], s6 = st[6], s7 = st[7];
    for (let r = 0, j = from; r < run; r++, j++) {
      const input = buf[j] * 0.015;
      // comb: out = line[at]; store = out * 0.8 + store * 0.2; line[at] = input + store * feedback; wet += out
      let o = m[i0 + r];
      s0 = o * 0.8 + s0 * 0.2;
      m[i0 + r] = input + s0 * fb;
      let x = 0 + o;
      o = m[i1 + r];
      s1 = o * 0.8 + s1 * 0.2;
      m[i1 + r] = input + s1 * fb;
      x += o;
      o = m[i2 + r];
      s2 = o * 0.8 + s2 * 0.2;
      m[i2 + r] = input + s2 * fb;
      x += o;
      o = m[i3 + r];
      s3 = o * 0.8 + s3 * 0.2;
      m[i3 + r] = input + s3 * fb;
      x += o;
      o = m[i4 + r];
      s4 = o * 0.8 + s4 * 0.2;
      m[i4 + r] = input + s4 * fb;
      x += o;
      o = m[i5 + r];
      s5 = o * 0.8 + s5 * 0.2;
      m[i5 + r] = input + s5 * fb;
      x += o;
      o = m[i6 + r];
      s6 = o * 0.8 + s6 * 0.2;
      m[i6 + r] = input + s6 * fb;
      x += o;
      o = m[i7 + r];
      s7 = o * 0.8 + s7 * 0.2;
      m[i7 + r] = input + s7 * fb;
      x += o;
      // allpass: held = line[at]; line[at] = x + held * 0.5; x = held - x
      let h = m[q0 + r];
      m[q0 + r] = x + h * 0.5;
      x = h - x;
      h = m[q1 + r];
      m[q1 + r] = x + h * 0.5;
      x = h - x;
      h = m[q2 + r];
      m[q2 + r] = x + h * 0.5;
      x = h - x;
      h = m[q3 + r];
      m[q3 + r] = x + h * 0.5;
      x = h - x;
      buf[j] += x;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    st[4] = s4;
    st[5] = s5;
    st[6] = s6;
    st[7] = s7;
    for (let i = 0; i < 12; i++) at[i] = at[i] + run === lines.lengths[i] ? 0 : at[i] + run;
  };
}

/**
 * A soft clipper, tanh's (3,2) Padé form x(27 + x²)/(27 + 9x²), which meets
 * ±1 with zero slope at |x| = 3 and stays there (a fifth of Math.tanh's cost):
 * driven by g, scaled so that a peak of 0.1 (the default level) stays 0.1.
 * More AMOUNT, more harmonics, not more level.
 */
export function distortStage(): StageClasses['distort'] {
  return class Distort {
    drive: number;
    scale: number;
    memory = 0;
    constructor(amount: number) {
      this.drive = 1 + 99 * amount;
      const x = Math.min(3, 0.1 * this.drive);
      this.scale = 0.1 / ((x * (27 + x * x)) / (27 + 9 * x * x));
    }
    process(buf: Block, n: number): void {
      const g = this.drive;
      const s = this.scale;
      for (let j = 0; j < n; j++) {
        let x = g * buf[j];
        x = x > 3 ? 3 : x < -3 ? -3 : x;
        const x2 = x * x;
        buf[j] = ((x * (27 + x2)) / (27 + 9 * x2)) * s;
      }
    }
  };
}

/** The chain of stages, and the silence threshold. */
export function chainKit(stages: StageClasses): FxKit {
  const SILENCE = Math.pow(10, -90 / 20);
  const stage = (e: DspEffect, rate: number): Stage => {
    switch (e.type) {
      case 'lpf':
      case 'hpf':
        return new stages.filter(e.type === 'hpf', e.hz, e.res, rate);
      case 'delay':
        return new stages.delay(e.seconds, e.feedback, rate);
      case 'reverb':
        return new stages.reverb(e.room, rate);
      case 'distort':
        return new stages.distort(e.amount);
    }
  };
  class Chain implements FxChain {
    stages: Stage[];
    quietSamples = 0;
    memorySamples: number;
    constructor(effects: readonly DspEffect[], rate: number) {
      this.stages = effects.map((e) => stage(e, rate));
      this.memorySamples = this.stages.reduce((sum, s) => sum + s.memory, 0) + Math.round(0.05 * rate);
    }
    process(buf: Block, n: number): void {
      this.processFrom(buf, n, 0);
    }
    processFrom(buf: Block, n: number, from: number): void {
      for (let i = from; i < this.stages.length; i++) this.stages[i].process(buf, n);
      let last = n - 1;
      while (last >= 0 && Math.abs(buf[last]) < SILENCE) last--;
      this.quietSamples = last < 0 ? this.quietSamples + n : n - 1 - last;
    }
  }
  return { createChain: (effects, rate) => new Chain(effects, rate), SILENCE };
}

/** The kit, in this realm. */
export function fxKit(): FxKit {
  return chainKit({ filter: filterStage(), delay: delayStage(), reverb: reverbStage(reverbRun()), distort: distortStage() });
}

/** The kit as source text: an expression that makes it anywhere (the worklet evaluates it). */
export function fxKitSource(): string {
  const parts = { filter: filterStage, delay: delayStage, distort: distortStage };
  const made = Object.entries(parts).map(([name, make]) => `${name}: (${make.toString()})()`);
  made.push(`reverb: (${reverbStage.toString()})((${reverbRun.toString()})())`);
  return `(${chainKit.toString()})({ ${made.join(', ')} })`;
}
