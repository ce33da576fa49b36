/**
 * `--midi FILE` as a process: the file is written as every output file is
 * (atomically; refused in one line, exit 3, when it cannot be), and a note
 * MIDI has no number for is left out with a located line. What the file holds
 * is tested in test/node/export (every lesson, and scripts fast-check writes).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMidi } from '../../support/midi/read-back';
import { runCli } from '../../support/run-cli';

function folderWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-midi-cli-'));
  writeFileSync(join(dir, 'song.txt'), text);
  return dir;
}

describe('corotone --midi', () => {
  it('puts drum hits on channel 10 as General MIDI\'s keys, at their ticks, and the notes on a channel of their own', async () => {
    const dir = folderWith('drum bd\nwait 0.5\ndrum sd; drum hh\nbeep C5 0.5\nwait 0.5\ndrum cb\n');
    const run = await runCli(['song.txt', '--midi', 'song.mid'], undefined, dir);
    expect(run.code).toBe(0);
    const file = readMidi(new Uint8Array(readFileSync(join(dir, 'song.mid'))));
    const drums = file.notes.filter((n) => n.channel === 9).map((n) => [n.midi, n.ticks]);
    expect(drums).toEqual([
      [36, 0],
      [38, 480],
      [42, 480],
      [56, 1440],
    ]);
    expect(file.notes.filter((n) => n.channel !== 9).map((n) => [n.midi, n.ticks, n.endTicks])).toEqual([[72, 480, 960]]);
  });

  it('writes the notes MIDI can hold and says, at the line that played it, which it left out', async () => {
    const dir = folderWith('beep C5 0.5\nbeep 120 0.5\nbeep 127 0.5\n');
    const run = await runCli(['song.txt', '--midi', 'song.mid'], undefined, dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("corotone: song.mid: 2 notes above 115 left out (MIDI's highest note, 127, is corotone's 115), the first 120 at 0.500 s (song.txt:2:1)\n");
    expect(readMidi(new Uint8Array(readFileSync(join(dir, 'song.mid')))).notes.map((n) => [n.midi, n.ticks, n.endTicks])).toEqual([[72, 0, 480]]);
  });

  it('says, at its line, a bpm slower than a MIDI file can say, and keeps the notes on their ticks', async () => {
    const dir = folderWith('beep 60 1\nbpm 2\nbeep 62 1\n');
    const run = await runCli(['song.txt', '--midi', 'song.mid'], undefined, dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('corotone: song.mid: bpm 2 at 1.000 s (song.txt:2:1) is slower than a MIDI file can say (3.58 bpm); written as 3.58 bpm, the notes on their ticks\n');
    const file = readMidi(new Uint8Array(readFileSync(join(dir, 'song.mid'))));
    expect(file.notes.map((n) => [n.midi, n.ticks, n.endTicks])).toEqual([
      [72, 0, 960],
      [74, 960, 1920],
    ]);
    expect(file.tempos.map((t) => [t.ticks, Math.round(t.bpm * 100) / 100])).toEqual([
      [0, 60],
      [960, 3.58],
    ]);
  });

  it('refuses a file it cannot write in one line, exit 3, the old file intact', async () => {
    const dir = folderWith('beep 60 0.1\n');
    writeFileSync(join(dir, 'old.mid'), 'old');
    const missing = await runCli(['song.txt', '--midi', join(dir, 'no-such-folder', 'x.mid')], undefined, dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^corotone: cannot write .*x\.mid: .*\n$/);
    const folder = await runCli(['song.txt', '--midi', dir], undefined, dir);
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain('a directory, not a file');
    expect(readFileSync(join(dir, 'old.mid'), 'utf8')).toBe('old');
  });

  it('goes with --wav in one run, and not with --check', async () => {
    const dir = folderWith('beep 60 0.25\n');
    const both = await runCli(['song.txt', '--midi', 'song.mid', '--wav', 'song.wav'], undefined, dir);
    expect(both.code).toBe(0);
    expect(readMidi(new Uint8Array(readFileSync(join(dir, 'song.mid')))).notes.length).toBe(1);
    expect(readFileSync(join(dir, 'song.wav')).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const check = await runCli(['song.txt', '--check', '--midi', 'x.mid'], undefined, dir);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('--check only parses');
  });
});
