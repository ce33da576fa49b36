/**
 * `sample PATH` through the `corotone` command as a process: the script's
 * samples are decoded before it runs, so `--wav` is the same bytes every
 * time, and what is heard is the file, at its rate, from the script's folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelOf, dominantFrequencies, parseWav, rmsOf } from '../../support/audio';
import { runCli } from '../../support/run-cli';

const FIXTURES = join(import.meta.dirname, '../samples/fixtures');

/** A folder with songs/tune.txt (the script) and songs/a4.flac beside it. */
function songFolder(script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-sample-cli-'));
  mkdirSync(join(dir, 'songs'));
  copyFileSync(join(FIXTURES, 'a4.flac'), join(dir, 'songs', 'a4.flac'));
  writeFileSync(join(dir, 'songs', 'tune.txt'), script);
  return dir;
}

describe('corotone SCRIPT --wav with samples', () => {
  it('plays the file beside the script (A4, then an octave up at rate=2), and renders the same bytes twice', async () => {
    const dir = songFolder('sample a4.flac\nwait 0.5\nsample a4.flac rate=2\nwait 0.5\n');
    const first = await runCli(['songs/tune.txt', '--wav', 'one.wav'], undefined, dir);
    const second = await runCli(['songs/tune.txt', '--wav', 'two.wav'], undefined, dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const one = readFileSync(join(dir, 'one.wav'));
    expect(one.equals(readFileSync(join(dir, 'two.wav')))).toBe(true);
    const wav = parseWav(new Uint8Array(one));
    const left = channelOf(wav, 0);
    const at = (s: number) => Math.round(s * wav.rate);
    expect(dominantFrequencies(left, wav.rate, at(0.02), at(0.2))[0].freq).toBeCloseTo(440, -1);
    expect(dominantFrequencies(left, wav.rate, at(0.52), at(0.1))[0].freq).toBeCloseTo(880, -1);
    // the first plays its 0.25 s, the second half that
    expect(rmsOf(left, at(0.3), at(0.48))).toBe(0);
    expect(rmsOf(left, at(0.64), at(0.98))).toBe(0);
  }, 60_000);

  it('a file it cannot read is a located error on its line, and the rest plays', async () => {
    const dir = songFolder('beep C5 0.1\nsample nope.wav\nbeep D5 0.1\n');
    const run = await runCli(['songs/tune.txt', '--events'], undefined, dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('songs/tune.txt:2:1: error: cannot read nope.wav: no such file or directory');
    const notes = run.stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; notes?: number[] }).filter((e) => e.type === 'notes');
    expect(notes.map((e) => e.notes)).toContainEqual([62]);
  }, 60_000);

  it('live, a line read from standard input waits for its sample to be decoded, and plays it', async () => {
    const dir = songFolder('');
    const run = await runCli(['--raw', '--speed', '4'], 'sample songs/a4.flac amp=1\nwait 0.3\nsample nope.wav\n', dir);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('is not loaded');
    expect(run.stderr).toContain('<stdin>:3:1: error: cannot read nope.wav: no such file or directory');
    // the demo's 8-bit stream: the sample is heard in its first quarter second (levels away from the 127 of silence)
    const first = run.stdout.subarray(0, 2000);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(60);
  }, 60_000);
});
