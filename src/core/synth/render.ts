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

/** Samples rendered per piece of a whole render: its length is known only once its tails are silent. */
const PIECE = 1 << 16;

/** Render the synth to its end (tails included), in pieces of `make`'s type; `total` counts values (2 a frame in stereo). */
function renderPieces<A extends Int16Array | Uint8Array>(synth: Synth, make: (n: number) => A): { pieces: A[]; total: number } {
  const pieces: A[] = [];
  const c = synth.channels;
  let total = 0;
  while (!synth.done) {
    const piece = make(PIECE * c);
    const n = synth.renderToEnd(PIECE, piece) * c;
    pieces.push(piece.subarray(0, n) as A);
    total += n;
  }
  return { pieces, total };
}

/** The pieces one after another in `out` from `at`. */
function join<A extends Int16Array | Uint8Array>(pieces: readonly A[], out: A, at = 0): A {
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function renderAll<A extends Int16Array | Uint8Array>(synth: Synth, make: (n: number) => A): A {
  const { pieces, total } = renderPieces(synth, make);
  return join(pieces, make(total));
}

/** Render the whole stream to 16-bit signed samples (default 48000 Hz, mono; stereo frames interleaved with `channels: 2`). */
export function renderToS16(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Int16Array {
  return renderAll(feed(changes, endNs, options, DEFAULT_RATE), (n) => new Int16Array(n));
}

/**
 * Render the whole stream as a 16-bit WAV file (default 48000 Hz; 44100 works
 * too), mono, or stereo with `channels: 2` (not with `exact`, the demo's
 * arithmetic). It runs on after the end until the tails are silent and the
 * last drum hit has rung (see Synth.length; none with `exact`).
 */
export function renderToWav(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Uint8Array {
  const synth = feed(changes, endNs, options, DEFAULT_RATE);
  const { pieces, total } = renderPieces(synth, (n) => new Int16Array(n));
  if (!HOST_IS_LITTLE_ENDIAN) return encodeWav(join(pieces, new Int16Array(total)), synth.rate, synth.channels);
  // The samples go straight into the file's data chunk (offset 44 is 2-byte aligned).
  const file = new Uint8Array(WAV_HEADER_BYTES + total * 2);
  file.set(wavHeader({ rate: synth.rate, bits: 16, channels: synth.channels }, total * 2), 0);
  join(pieces, new Int16Array(file.buffer, WAV_HEADER_BYTES, total));
  return file;
}

/**
 * Render the whole stream in the demo's raw format: unsigned 8-bit mono, 8000
 * Hz unless `rate` says otherwise, what play.sh pipes into sox. With
 * `exact: true` it is the demo's arithmetic bit for bit (exact.ts).
 */
export function renderToPcm8(changes: readonly SynthChange[], endNs: number, options: RenderOptions = {}): Uint8Array {
  return renderAll(feed(changes, endNs, options, DEMO_RATE), (n) => new Uint8Array(n));
}
