/**
 * `sample PATH`'s files (src/node/samples/sample-files.ts): each format
 * decodes to the sound it holds, the path rules refuse what they must with a
 * reason a located error is made of, and a file is decoded once.
 * The fixtures were made with sox (a 0.25 s A4 at 11025 Hz; the OGG in
 * stereo); the MP3 is ten silent MPEG-1 Layer III frames written by code
 * (no MP3 encoder on the machine), so its test reads its rate and length.
 */
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SampleRefused, preloadSamples, samplesOf } from '../../../src/core/commands/sample-load';
import { SessionState } from '../../../src/core/session/state';
import { MAX_SAMPLE_BYTES, SampleFiles } from '../../../src/node/samples/sample-files';
import { dominantFrequencies } from '../../support/audio';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function refusal(load: Promise<unknown>): Promise<SampleRefused> {
  const error = await load.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SampleRefused);
  return error as SampleRefused;
}

/** A web-mode folder with a script's folder in it, and a file outside it. */
function webFolder() {
  const top = mkdtempSync(join(tmpdir(), 'corotone-samples-'));
  const served = join(top, 'served');
  mkdirSync(join(served, 'songs'), { recursive: true });
  copyFileSync(join(FIXTURES, 'a4.wav'), join(served, 'songs', 'a4.wav'));
  copyFileSync(join(FIXTURES, 'a4.wav'), join(top, 'outside.wav'));
  symlinkSync(join(top, 'outside.wav'), join(served, 'songs', 'link.wav'));
  symlinkSync(join(served, 'songs', 'a4.wav'), join(served, 'songs', 'inside-link.wav'));
  writeFileSync(join(served, 'songs', 'huge.wav'), new Uint8Array(MAX_SAMPLE_BYTES + 1));
  mkdirSync(join(served, 'songs', 'folder.wav'));
  return { top, served, loader: new SampleFiles({ base: served, root: served }) };
}

describe('SampleFiles', () => {
  it('decodes WAV, FLAC and OGG to the A4 they hold, for their length, and an MP3 to its frames', async () => {
    const loader = new SampleFiles({ base: FIXTURES });
    for (const file of ['a4.wav', 'a4.flac', 'a4.ogg']) {
      const { audio } = await loader.load(file, 'song.txt');
      expect(audio.sampleRate, file).toBe(11025);
      const samples = audio.channelData[0];
      expect(samples.length / 11025, file).toBeCloseTo(0.25, 2);
      expect(dominantFrequencies(samples, 11025, 0, samples.length)[0].freq, file).toBeCloseTo(440, -1);
    }
    const { audio } = await loader.load('silence.mp3', 'song.txt');
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channelData[0].length).toBe(10 * 1152);
    expect(loader.decodes).toBe(4);
  });

  it('reads a path from the folder of the script that names it', async () => {
    const { served } = webFolder();
    const loader = new SampleFiles({ base: served });
    const { id } = await loader.load('a4.wav', 'songs/tune.txt');
    expect(id).toBe('songs/a4.wav');
    expect((await refusal(loader.load('a4.wav', 'tune.txt'))).message).toBe('cannot read a4.wav: no such file or directory');
  });

  it('decodes a file once, however many scripts and lines name it', async () => {
    const state = { state: new SessionState() };
    const loader = new SampleFiles({ base: FIXTURES });
    await preloadSamples(state, 'one.txt', 'sample a4.wav\nsample a4.wav rate=2\nspawn { sample ./a4.wav }', loader);
    await preloadSamples(state, 'two.txt', 'sample a4.wav', loader);
    expect(loader.decodes).toBe(1);
    expect(samplesOf(state).bank.size).toBe(1);
    expect(samplesOf(state).bank.find('two.txt', 'a4.wav')?.id).toBe('a4.wav');
  });

  it('in web mode, refuses absolute paths, "..", links out of its folder, folders, huge files and what is not audio, each saying why', async () => {
    const { top, loader } = webFolder();
    const cases: [string, RegExp, string][] = [
      [join(top, 'outside.wav'), /no absolute path/, 'a path relative to the script, under the folder web mode serves'],
      ['../../outside.wav', /no path with "\.\."/, 'a path under the folder web mode serves, without ".."'],
      ['link.wav', /leads out of it \(a link\)/, 'a file under the folder web mode serves'],
      ['folder.wav', /not a regular file/, 'an audio file (WAV, FLAC, OGG or MP3)'],
      ['huge.wav', /larger than 16 MiB/, 'an audio file of at most 16 MiB'],
      ['missing.wav', /no such file/, 'an audio file (WAV, FLAC, OGG or MP3)'],
    ];
    for (const [path, message, expected] of cases) {
      const refused = await refusal(loader.load(path, 'songs/tune.txt'));
      expect(refused.message, path).toMatch(message);
      expect(refused.found, path).toBe(path);
      expect(refused.expected, path).toBe(expected);
    }
    // a link that stays inside is read
    expect((await loader.load('inside-link.wav', 'songs/tune.txt')).id).toBe('songs/a4.wav');
  });

  it('refuses a file that is no audio it knows', async () => {
    const refused = await refusal(new SampleFiles({ base: FIXTURES }).load('notaudio.wav', 'x.txt'));
    expect(refused.message).toMatch(/^cannot decode notaudio.wav: /);
    expect(refused.expected).toBe('an audio file: WAV, FLAC, OGG or MP3');
  });

  it('a refusal is a located error at the path, kept for the line that runs it', async () => {
    const state = { state: new SessionState() };
    const problems = await preloadSamples(state, 'songs/tune.txt', 'beep C5 1\n  sample   nope.wav amp=0.2', new SampleFiles({ base: FIXTURES }));
    expect(problems).toEqual([
      { source: 'songs/tune.txt', line: 2, col: 12, endCol: 20, message: 'cannot read nope.wav: no such file or directory', found: 'nope.wav', expected: 'an audio file (WAV, FLAC, OGG or MP3)' },
    ]);
    expect(samplesOf(state).refusals.size).toBe(1);
  });
});
