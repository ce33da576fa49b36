/**
 * A 16-bit WAV (mono or stereo) written as it is rendered, in constant memory, through an
 * atomic file: the header is written last, once the size is known. A file
 * whose data may pass 4 GiB (RIFF's 32-bit sizes) gets room for a ds64 chunk
 * up front (a JUNK chunk, as EBU Tech 3306 advises) and becomes RF64 if it does.
 * To a pipe or a device (`--wav /dev/stdout`), which cannot go back for the
 * header, the header goes first with its sizes unknown (0xFFFFFFFF, as sox
 * and ffmpeg write to a pipe): readers take the data to the end of the stream.
 */
import { wavHeader, WAV_HEADER_BYTES } from '../../core/synth/wav';
import type { AtomicOptions } from './atomic-write';
import { openOutput, type OutputFile } from './output-file';

/** The largest data chunk plain RIFF can describe: its RIFF size (data + 36) must fit 32 bits. */
export const MAX_RIFF_DATA_BYTES = 0xffffffff - 36;
/** ds64 chunk: 8 bytes of chunk header and 28 of sizes. */
const DS64_BYTES = 36;

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class WavFileWriter {
  private dataBytes = 0;

  private constructor(
    private readonly file: OutputFile,
    private readonly rate: number,
    private readonly reserved: boolean,
    private readonly channels: number,
  ) {}

  /**
   * Open `path`; `maxDataBytes` is the most the data can be (Infinity if not
   * known), which decides whether room for RF64 is kept. `channels`: 1 (mono)
   * or 2 (stereo, the samples written interleaved).
   */
  static async open(path: string, rate: number, maxDataBytes: number, options: AtomicOptions = {}, channels = 1): Promise<WavFileWriter> {
    const file = await openOutput(path, options);
    const writer = new WavFileWriter(file, rate, file.seekable && maxDataBytes > MAX_RIFF_DATA_BYTES, channels);
    await file.write(file.seekable ? new Uint8Array(writer.headerBytes) : streamedWavHeader(rate, channels));
    return writer;
  }

  private get headerBytes(): number {
    return WAV_HEADER_BYTES + (this.reserved ? DS64_BYTES : 0);
  }

  /** False for a device or a pipe (`--wav /dev/stdout`), whose reader may go away as `| head` does. */
  get streamed(): boolean {
    return !this.file.seekable;
  }

  get path(): string {
    return this.file.path;
  }

  async write(samples: Int16Array): Promise<void> {
    let bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    if (!HOST_LE) {
      bytes = new Uint8Array(samples.length * 2);
      const view = new DataView(bytes.buffer);
      samples.forEach((s, i) => view.setInt16(i * 2, s, true));
    }
    await this.file.write(bytes);
    this.dataBytes += bytes.length;
  }

  /** Write the header and give the file its name. */
  async commit(): Promise<void> {
    if (this.file.seekable) await this.file.writeAt(wavFileHeader(this.rate, this.dataBytes, this.reserved, this.channels), 0);
    await this.file.commit();
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}

/** The header of a WAV whose length is not known when it starts: both sizes 0xFFFFFFFF. */
export function streamedWavHeader(rate: number, channels = 1): Uint8Array {
  const header = wavHeader({ rate, bits: 16, channels }, 0);
  const view = new DataView(header.buffer);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(40, 0xffffffff, true);
  return header;
}

/** The header for `dataBytes` of 16-bit samples (of `channels`): canonical (44 bytes), or with a JUNK/ds64 chunk (80 bytes) when `reserved`. */
export function wavFileHeader(rate: number, dataBytes: number, reserved: boolean, channels = 1): Uint8Array {
  const plain = wavHeader({ rate, bits: 16, channels }, Math.min(dataBytes, MAX_RIFF_DATA_BYTES));
  if (!reserved) return plain;
  const header = new Uint8Array(WAV_HEADER_BYTES + DS64_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  header.set(plain.subarray(12, 36), 12 + DS64_BYTES); // "fmt " chunk
  ascii(8, 'WAVE');
  ascii(72, 'data');
  const riffBytes = header.length - 8 + dataBytes;
  if (dataBytes <= MAX_RIFF_DATA_BYTES) {
    ascii(0, 'RIFF');
    view.setUint32(4, riffBytes, true);
    ascii(12, 'JUNK');
    view.setUint32(16, 28, true);
    view.setUint32(76, dataBytes, true);
    return header;
  }
  ascii(0, 'RF64');
  view.setUint32(4, 0xffffffff, true);
  ascii(12, 'ds64');
  view.setUint32(16, 28, true);
  view.setBigUint64(20, BigInt(riffBytes), true);
  view.setBigUint64(28, BigInt(dataBytes), true);
  view.setBigUint64(36, BigInt(dataBytes / (2 * channels)), true); // samples per channel
  view.setUint32(44, 0, true); // no table
  view.setUint32(76, 0xffffffff, true);
  return header;
}
