import type { StreamEvent } from '../stream/stream';
import { DEFAULT_RATE, DEMO_RATE } from './format';
import { Synth, type SynthChange, type SynthOptions } from './synth';
import { HOST_IS_LITTLE_ENDIAN, WAV_HEADER_BYTES, encodeWav, wavHeader } from './wav';

export type RenderOptions = Omit<SynthOptions, 'startNs'>;

/** A FrequencyStream's events as the changes and end time the renderers take. */
export function changesFromStreamEvents(events: readonly StreamEvent[]): { changes: SynthChange[]; endNs: number | null } {
  const changes: SynthChange[] = [];
  let endNs: number | null = null;
  for (const e of events) {
    if (e.type === 'notes') changes.push(e.voices === undefined ? { ns: e.ns, freqs: e.freqs } : { ns: e.ns, freqs: e.freqs, voices: e.voices });
    else if (endNs === null) endNs = e.ns;
  }
  return { changes, endNs };
}

function feed(changes: readonly SynthChange[], endNs: number, options: RenderOptions, defaultRate: number): Synth {
  const synth = new Synth({ ...options, rate: options.rate ?? defaultRate });
  for (const c of changes) synth.change(c.ns, c.freqs, c.voices);
  synth.end(endNs);
  return synth;
}

/** Render the whole stream to 16-bit signed samples (default 48000 Hz, mono; stereo frames interleaved with `channels: 2`). */
export function renderToS16(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Int16Array {
  const synth = feed(changes, endNs, options, DEFAULT_RATE);
  const out = new Int16Array((synth.length ?? 0) * synth.channels);
  synth.render(out.length, out);
  return out;
}

/**
 * Render the whole stream as a 16-bit WAV file (default 48000 Hz; 44100 works
 * too), mono, or stereo with `channels: 2` (not with `exact`, the demo's
 * arithmetic). The length is the end sample plus the default release's tail
 * (none with `exact`), or the end of the last drum hit if that is later.
 */
export function renderToWav(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Uint8Array {
  const synth = feed(changes, endNs, options, DEFAULT_RATE);
  const values = (synth.length ?? 0) * synth.channels;
  if (!HOST_IS_LITTLE_ENDIAN) {
    const samples = new Int16Array(values);
    synth.render(synth.length ?? 0, samples);
    return encodeWav(samples, synth.rate, synth.channels);
  }
  // Render straight into the file's data chunk (offset 44 is 2-byte aligned).
  const file = new Uint8Array(WAV_HEADER_BYTES + values * 2);
  file.set(wavHeader({ rate: synth.rate, bits: 16, channels: synth.channels }, values * 2), 0);
  synth.render(synth.length ?? 0, new Int16Array(file.buffer, WAV_HEADER_BYTES, values));
  return file;
}

/**
 * Render the whole stream in the demo's raw format: unsigned 8-bit mono, 8000
 * Hz unless `rate` says otherwise, what play.sh pipes into sox. With
 * `exact: true` it is the demo's arithmetic bit for bit (exact.ts).
 */
export function renderToPcm8(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Uint8Array {
  const synth = feed(changes, endNs, options, DEMO_RATE);
  const out = new Uint8Array(synth.length ?? 0);
  synth.render(out.length, out);
  return out;
}
