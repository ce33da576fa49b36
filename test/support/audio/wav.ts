/**
 * Reads a WAV file into floats, independently of corotone's writer: PCM 8/16/24/32-bit
 * integers, 32/64-bit floats, WAVE_FORMAT_EXTENSIBLE; unknown chunks are skipped.
 */

export interface ParsedWav {
  rate: number;
  channels: number;
  bits: number;
  /** Frames * channels values in -1..1, interleaved as in the file (mono: one per sample). */
  samples: Float32Array;
  /** Number of frames (samples per channel). */
  frames: number;
  /** The first channel (the whole of a mono file): what a test that listens to one channel reads. */
  first: Float32Array;
}

export function parseWav(bytes: Uint8Array): ParsedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let format = 0;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let data: Uint8Array | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      rate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      data = bytes.subarray(body, Math.min(body + size, bytes.length));
    }
    at = body + size + (size & 1);
  }
  if (!format || !data) throw new Error('WAV file without fmt or data chunk');
  const width = bits / 8;
  const count = Math.floor(data.length / width);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * width;
    let x: number;
    if (format === 3) x = bits === 32 ? dv.getFloat32(o, true) : dv.getFloat64(o, true);
    else if (format !== 1) throw new Error(`unsupported WAV format ${format}`);
    else if (bits === 8) x = (dv.getUint8(o) - 128) / 128;
    else if (bits === 16) x = dv.getInt16(o, true) / 32768;
    else if (bits === 24) x = ((dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16)) / 8388608);
    else if (bits === 32) x = dv.getInt32(o, true) / 2147483648;
    else throw new Error(`unsupported PCM width ${bits}`);
    samples[i] = x;
  }
  const frames = Math.floor(count / channels);
  const first = channels === 1 ? samples : samples.filter((_, i) => i % channels === 0);
  return { rate, channels, bits, samples, frames, first };
}

/** One channel of a WAV's samples. */
export function channelOf(wav: ParsedWav, channel: number): Float32Array {
  return wav.channels === 1 ? wav.samples : interleavedChannel(wav.samples, wav.channels, channel);
}

/** One channel of an interleaved buffer of `channels` channels (a WAV's, or the synth's stereo render). */
export function interleavedChannel(samples: Float32Array, channels: number, channel: number): Float32Array {
  const frames = Math.floor(samples.length / channels);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = samples[i * channels + channel];
  return out;
}
