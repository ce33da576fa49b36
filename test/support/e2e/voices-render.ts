/**
 * One script of voices, rendered twice: by the core synth in Node (what a WAV
 * render is) and by the app's own scheduler and Tone.js player in Chromium's
 * OfflineAudioContext (what the app plays). The script drives a real
 * FrequencyStream, so both renders take the events the host would send.
 */
import type { Page } from 'playwright-core';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { FrequencyStream, type StreamEvent } from '../../../src/core/stream';
import { Synth } from '../../../src/core/synth';
import type { SampleBank } from '../../../src/core/synth/sample-bank';
import { interleavedChannel } from '../audio';

export const RATE = 48000;

export interface ScriptContext {
  stream: FrequencyStream;
  /** Run `body` at logical time `t` seconds. */
  at(t: number, body: () => void): void;
}

/** The stream events of a script; the stream ends at `endAt` seconds. */
export function streamEvents(endAt: number, script: (s: ScriptContext) => void): StreamEvent[] {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const at = (t: number, body: () => void) =>
    void scheduler.spawn((function* () { yield* sleep(t); body(); })(), { name: `at ${t}` });
  script({ stream, at });
  at(endAt, () => stream.end());
  scheduler.runUntilIdle();
  return events;
}

/** The core synth's render (float samples, from logical time 0), `seconds` long. */
export function renderInNode(events: readonly StreamEvent[], seconds: number, options: { timbre?: 'sine' | 'triangle' | 'square' | 'sawtooth' | 'fm' | 'am' } = {}): Float32Array {
  const synth = new Synth({ rate: RATE, timbre: options.timbre });
  for (const e of events) synth.push(e);
  const out = new Float32Array(Math.round(seconds * RATE));
  synth.render(out.length, out);
  return out;
}

/**
 * The app's render in the page, from logical time 0 (the first event at its
 * own time), `seconds` long; `waveform` sets the app's waveform menu first.
 */
export async function renderInPage(page: Page, events: readonly StreamEvent[], seconds: number, waveform?: string, tail = 0.25): Promise<Float32Array> {
  const b64 = await page.evaluate(
    async ({ events, rate, waveform, tail }) => {
      const audio = (globalThis as any).__corotone.audio;
      if (waveform !== undefined) audio.waveform = waveform;
      const lead = events.length > 0 ? events[0].t : 0;
      const samples: Float32Array = await audio.renderEvents(events, { sampleRate: rate, lead, tail });
      const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { events: [...events], rate: RATE, waveform, tail },
  );
  const buf = Buffer.from(b64, 'base64');
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const out = new Float32Array(Math.round(seconds * RATE));
  out.set(all.subarray(0, out.length));
  return out;
}

export const db = (x: number): number => 20 * Math.log10(Math.max(x, 1e-9));

/** RMS of samples [from, to) seconds. */
export function rms(samples: Float32Array, from: number, to: number): number {
  const a = Math.round(from * RATE);
  const b = Math.round(to * RATE);
  let sum = 0;
  for (let i = a; i < b; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / Math.max(1, b - a));
}

export function peak(samples: Float32Array): number {
  let p = 0;
  for (const s of samples) p = Math.max(p, Math.abs(s));
  return p;
}

/** The core synth's stereo render (as --wav makes it): left and right, from logical time 0, `seconds` long. */
export function renderInNodeStereo(events: readonly StreamEvent[], seconds: number, samples?: SampleBank): [Float32Array, Float32Array] {
  const synth = new Synth({ rate: RATE, channels: 2, samples });
  for (const e of events) synth.push(e);
  const frames = Math.round(seconds * RATE);
  const out = new Float32Array(frames * 2);
  synth.render(frames, out);
  return [interleavedChannel(out, 2, 0), interleavedChannel(out, 2, 1)];
}

/** The app's stereo render in the page (its OfflineAudioContext), from logical time 0, `seconds` long. */
export async function renderInPageStereo(page: Page, events: readonly StreamEvent[], seconds: number): Promise<[Float32Array, Float32Array]> {
  const both = await page.evaluate(
    async ({ events, rate }) => {
      const audio = (globalThis as any).__corotone.audio;
      const lead = events.length > 0 ? events[0].t : 0;
      const channels: Float32Array[] = await audio.renderEventsStereo(events, { sampleRate: rate, lead, tail: 0.25 });
      return channels.map((samples) => {
        const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(binary);
      });
    },
    { events: [...events], rate: RATE },
  );
  const [left, right] = both.map((b64) => {
    const buf = Buffer.from(b64, 'base64');
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const out = new Float32Array(Math.round(seconds * RATE));
    out.set(all.subarray(0, out.length));
    return out;
  });
  return [left, right];
}
