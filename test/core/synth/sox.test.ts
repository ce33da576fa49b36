/**
 * sox, the demo's own player, as an independent judge of the files we write:
 * it must read the header as we meant it, count the samples, and measure the
 * RMS the voices' levels predict (a sine of amplitude A has RMS A/sqrt(2);
 * N sines of A each, A sqrt(N/2)).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL } from '../../../src/core/stream';
import { renderToPcm8, renderToWav } from '../../../src/core/synth';
import { DEMO_END_NS, DEMO_END_S, demoChanges } from '../../support/synth/demo-schedule';

const SOX = '/usr/bin/sox';
const haveSox = existsSync(SOX);
const dir = mkdtempSync(path.join(tmpdir(), 'corotone-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sox(...args: string[]): string {
  return execFileSync(SOX, args, { encoding: 'utf8' });
}

/** `sox ... -n [trim from length] stat`: its figures by name ("RMS     amplitude", "Samples read", ...). */
function soxStat(input: string[], trim: [number, number] | null): Map<string, number> {
  const args = [...input, '-n', ...(trim ? ['trim', String(trim[0]), String(trim[1])] : []), 'stat'];
  const run = spawnSync(SOX, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sox ${args.join(' ')} failed: ${run.stderr}`);
  const stats = new Map<string, number>();
  for (const line of run.stderr.split('\n')) {
    const m = /^(.+?):\s+(-?[\d.e+-]+)\s*$/.exec(line.trim());
    if (m) stats.set(m[1].trim(), Number(m[2]));
  }
  return stats;
}

const RMS = 'RMS     amplitude';

describe.skipIf(!haveSox)('files checked with sox', () => {
  it('reads our 48 kHz WAV header and length as written', () => {
    const file = path.join(dir, 'demo48.wav');
    writeFileSync(file, renderToWav(demoChanges(), DEMO_END_NS));
    const frames = Math.round(DEMO_END_S * 48000) + 144;
    expect(sox('--i', '-r', file).trim()).toBe('48000');
    expect(sox('--i', '-c', file).trim()).toBe('1');
    expect(sox('--i', '-b', file).trim()).toBe('16');
    expect(sox('--i', '-e', file).trim()).toBe('Signed Integer PCM');
    expect(sox('--i', '-s', file).trim()).toBe(String(frames));
  });

  it('measures the RMS of one voice, and of four, at the default level (no 1/N mixing)', () => {
    const file = path.join(dir, 'demo44.wav');
    writeFileSync(file, renderToWav(demoChanges(), DEMO_END_NS, { rate: 44100 }));
    const whole = soxStat([file], null);
    expect(whole.get('Length (seconds)')).toBeCloseTo(DEMO_END_S + 0.003, 4);
    expect(whole.get('Maximum amplitude')).toBeLessThanOrEqual(4 * DEFAULT_LEVEL);
    // 60 alone from 0 to 2 s: one sine at the default level.
    expect(Math.abs(soxStat([file], [0.5, 1]).get(RMS)! - DEFAULT_LEVEL / Math.SQRT2)).toBeLessThan(0.001);
    // 60, 72, 75, 79 from 2.0 to 2.5 s: four sines, each at the default level.
    expect(Math.abs(soxStat([file], [2.05, 0.4]).get(RMS)! - DEFAULT_LEVEL * Math.sqrt(2))).toBeLessThan(0.002);
  });

  it("plays the demo's raw 8-bit format as play.sh reads it, with the demo's length", () => {
    const file = path.join(dir, 'demo.u8');
    writeFileSync(file, renderToPcm8(demoChanges(), DEMO_END_NS, { exact: true }));
    const raw = ['-t', 'raw', '-r', '8000', '-c', '1', '-b', '8', '-e', 'unsigned'];
    const stats = soxStat([...raw, file], null);
    expect(stats.get('Samples read')).toBe(Math.round(DEMO_END_S * 8000));
    // One sine of 0.8 around the demo's centre 127 (sox's centre is 128, and floor lowers by 1/2 level).
    const alone = soxStat([...raw, file], [0.5, 1]);
    expect(Math.abs(alone.get(RMS)! - Math.hypot(0.8 / Math.SQRT2, 1.5 / 128))).toBeLessThan(0.005);
  });
});
