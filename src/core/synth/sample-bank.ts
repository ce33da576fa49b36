/**
 * The audio files a session has decoded (`sample PATH`), kept once each: a
 * host decodes a file (src/node/samples, or a file dropped on the app) and
 * adds it here before a line that plays it runs, so the core never waits for
 * a file and a render is the same bytes every time. The WAV renders and the
 * app read a play of a sample (its part, at its rate) from `pcm`, as the drum
 * machine's hits are read from drum-kit.ts.
 */
import type { SamplePlay } from '../stream/voice';

/** Decoded audio, as a decoder gives it: a buffer per channel at `sampleRate`. */
export interface DecodedAudio {
  sampleRate: number;
  channelData: readonly Float32Array[];
}

/** A sample the bank holds: its id (what a voice names), and its length. */
export interface SampleInfo {
  id: string;
  sampleRate: number;
  frames: number;
  seconds: number;
}

interface Held {
  info: SampleInfo;
  /** The channels mixed to one (the voice is panned as any other). */
  mono: Float32Array;
}

/** Plays already resampled, by id, part, render rate and speed (a groove uses a few). */
const MAX_MADE = 64;

export class SampleBank {
  private readonly byId = new Map<string, Held>();
  /** `SOURCE\0PATH` (a script's path as written) or `\0NAME` (a dropped file): the id it names. */
  private readonly refs = new Map<string, string>();
  private readonly made = new Map<string, Float32Array>();

  /** How many samples it holds. */
  get size(): number {
    return this.byId.size;
  }

  /** Keep `audio` as `id` (the same id again keeps the first), named `path` in `source` (null: a dropped file, for every source). */
  add(source: string | null, path: string, id: string, audio: DecodedAudio): SampleInfo {
    this.refs.set(refKey(source, path), id);
    const held = this.byId.get(id);
    if (held !== undefined) return held.info;
    const mono = mixDown(audio);
    const info: SampleInfo = { id, sampleRate: audio.sampleRate, frames: mono.length, seconds: mono.length / audio.sampleRate };
    this.byId.set(id, { info, mono });
    return info;
  }

  /** Hold every sample `other` holds, under the same names (a session rebuilt from another: replay from here). */
  copyFrom(other: SampleBank): void {
    for (const [key, id] of other.refs) this.refs.set(key, id);
    for (const [id, held] of other.byId) if (!this.byId.has(id)) this.byId.set(id, held);
  }

  /** The sample `path` names in `source`: its own file, else a dropped file of that name. */
  find(source: string, path: string): SampleInfo | undefined {
    const id = this.refs.get(refKey(source, path)) ?? this.refs.get(refKey(null, path));
    return id === undefined ? undefined : this.byId.get(id)?.info;
  }

  /** The sample of `id` (what a voice carries). */
  get(id: string): SampleInfo | undefined {
    return this.byId.get(id)?.info;
  }

  /** Its samples at their own rate, mixed to one channel. Shared: do not write into it. */
  samples(id: string): Float32Array | undefined {
    return this.byId.get(id)?.mono;
  }

  /**
   * A play of a sample at `sampleRate`, `rate` times as fast (and high): its
   * part start..end, read with linear interpolation as an
   * AudioBufferSourceNode reads it. Shared: do not write into it.
   */
  pcm(play: SamplePlay, sampleRate: number, rate = 1): Float32Array | undefined {
    const held = this.byId.get(play.id);
    if (held === undefined) return undefined;
    const key = `${play.id}\0${play.start}\0${play.end}\0${sampleRate}\0${rate}`;
    const cached = this.made.get(key);
    if (cached !== undefined) return cached;
    const out = resample(held.mono, held.info.sampleRate, play, sampleRate, rate);
    if (this.made.size >= MAX_MADE) this.made.clear();
    this.made.set(key, out);
    return out;
  }
}

function refKey(source: string | null, path: string): string {
  return `${source ?? ''}\0${path}`;
}

function mixDown(audio: DecodedAudio): Float32Array {
  const channels = audio.channelData;
  if (channels.length === 1) return channels[0];
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i] / channels.length;
  return out;
}

/** The part of `mono` (at `from` Hz) a play reads, at `to` Hz, `rate` times as fast. */
function resample(mono: Float32Array, from: number, play: SamplePlay, to: number, rate: number): Float32Array {
  const first = Math.floor(play.start * mono.length);
  const last = Math.max(first + 1, Math.ceil(play.end * mono.length));
  const part = mono.subarray(first, Math.min(last, mono.length));
  const step = (rate * from) / to;
  const n = Math.max(1, Math.floor((part.length - 1) / step) + 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const frac = x - j;
    out[i] = j + 1 < part.length ? part[j] + (part[j + 1] - part[j]) * frac : (part[j] ?? 0);
  }
  return out;
}

/** How long a play of `info` lasts at `rate`, in seconds. */
export function playSeconds(info: { seconds: number }, play: { start: number; end: number }, rate = 1): number {
  return ((play.end - play.start) * info.seconds) / rate;
}
