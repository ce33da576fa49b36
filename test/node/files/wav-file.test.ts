import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RIFF_DATA_BYTES, WavFileWriter, wavFileHeader } from '../../../src/node/files';
import { parseWav } from '../../support/audio';

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));

describe('WavFileWriter', () => {
  it('writes a canonical WAV when the data surely fits RIFF', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corotone-wav-')), 'a.wav');
    const writer = await WavFileWriter.open(path, 48000, 1000);
    await writer.write(new Int16Array([1, -2, 3]));
    await writer.write(new Int16Array([4]));
    await writer.commit();
    const bytes = new Uint8Array(readFileSync(path));
    expect(bytes.length).toBe(44 + 8);
    expect(Array.from(parseWav(bytes).samples, (x) => Math.round(x * 32768))).toEqual([1, -2, 3, 4]);
  });

  it('keeps room for RF64 when the data may pass 4 GiB, and stays a plain RIFF (with JUNK) if it does not', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corotone-wav-')), 'b.wav');
    const writer = await WavFileWriter.open(path, 48000, MAX_RIFF_DATA_BYTES + 1);
    await writer.write(new Int16Array([7, 8]));
    await writer.commit();
    const bytes = new Uint8Array(readFileSync(path));
    expect([ascii(bytes, 0), ascii(bytes, 8), ascii(bytes, 12), ascii(bytes, 48), ascii(bytes, 72)]).toEqual(['RIFF', 'WAVE', 'JUNK', 'fmt ', 'data']);
    expect(Array.from(parseWav(bytes).samples, (x) => Math.round(x * 32768))).toEqual([7, 8]);
  });

  it('describes data over 4 GiB as RF64 with a ds64 chunk', () => {
    const dataBytes = 5_000_000_000;
    const header = wavFileHeader(48000, dataBytes, true);
    const view = new DataView(header.buffer);
    expect([ascii(header, 0), ascii(header, 12)]).toEqual(['RF64', 'ds64']);
    expect(view.getUint32(4, true)).toBe(0xffffffff);
    expect(view.getBigUint64(20, true)).toBe(BigInt(header.length - 8 + dataBytes));
    expect(view.getBigUint64(28, true)).toBe(BigInt(dataBytes));
    expect(view.getBigUint64(36, true)).toBe(BigInt(dataBytes / 2));
    expect(view.getUint32(76, true)).toBe(0xffffffff);
  });
});
