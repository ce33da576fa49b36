/**
 * A canonical PCM WAV file (RIFF, "fmt " with format 1, "data"), little-endian,
 * built in a Uint8Array so that core needs no Node Buffer.
 */

export const WAV_HEADER_BYTES = 44;

export interface WavFormat {
  rate: number;
  /** 8 (unsigned, as WAV defines it) or 16 (signed). */
  bits: 8 | 16;
  channels?: number;
}

/** The 44-byte header for `dataBytes` bytes of samples. */
export function wavHeader(format: WavFormat, dataBytes: number): Uint8Array {
  const channels = format.channels ?? 1;
  const blockAlign = channels * (format.bits / 8);
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  // RIFF chunk sizes count the pad byte an odd data chunk needs.
  const padded = dataBytes + (dataBytes & 1);
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + padded, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, format.rate, true);
  view.setUint32(28, format.rate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, format.bits, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * A WAV file of these samples (mono, or `channels` interleaved): Int16Array as
 * 16-bit signed, Uint8Array as 8-bit unsigned (the demo's levels are written as
 * they are, so its silence, 127, sits one step below WAV's 128 centre).
 */
export function encodeWav(samples: Int16Array | Uint8Array, rate: number, channels = 1): Uint8Array {
  const bits = samples instanceof Int16Array ? 16 : 8;
  const dataBytes = samples.length * (bits / 8);
  const file = new Uint8Array(WAV_HEADER_BYTES + dataBytes + (dataBytes & 1));
  file.set(wavHeader({ rate, bits, channels }, dataBytes), 0);
  if (samples instanceof Uint8Array) file.set(samples, WAV_HEADER_BYTES);
  else writeS16le(samples, file, WAV_HEADER_BYTES);
  return file;
}

/** True when typed arrays store numbers little-endian (then WAV data can be written in place). */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeS16le(samples: Int16Array, out: Uint8Array, at: number): void {
  if (HOST_IS_LITTLE_ENDIAN) {
    out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at, samples.length * 2);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
}
