import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPython } from '../../../src/core/python';
import { findPython } from '../../support/python/python3';
import { Session, type SessionEvent } from '../../../src/core/session';
import { corotoneTimeline, phraseNames, pythonTimeline } from '../../support/python/timeline';
import { CONCURRENCY_SCRIPTS } from '../../support/python/scripts';
import { generatedScripts } from '../../support/python/generate';
import { bandFraction, powerSpectrum } from '../../support/audio';
import { preloadScriptSamples } from '../../../src/node/samples/preload';
import { samplesOf } from '../../../src/core/commands/sample-load';

const missing = findPython();
if (missing !== null) console.warn(`SKIPPED test/core/python: ${missing}; the exported programs were not run (.ci/run installs python3)`);

const dir = mkdtempSync(join(tmpdir(), 'corotone-python-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function corotoneEvents(source: string, text: string, until?: number, session = new Session()): SessionEvent[] {
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript(source, text);
  session.scheduler.runUntilIdle(until);
  if (!session.ended) session.quit();
  // quit cancels what still runs (with --until): let the cancellations land, at the same logical time.
  session.scheduler.runUntilIdle();
  return events;
}

function pythonEvents(source: string, text: string, until?: number, session?: Session): string {
  const file = join(dir, `${source.replace(/[^A-Za-z0-9]/g, '_')}.py`);
  // what the CLI's --to-python knows: the lengths of the samples it decoded
  const bank = session === undefined ? undefined : samplesOf(session).bank;
  writeFileSync(file, toPython(text, source, undefined, { sampleSeconds: (path) => bank?.find(source, path)?.seconds }).code);
  const args = [file, '--events', ...(until === undefined ? [] : ['--until', String(until)])];
  // A budget, not a measurement: an export that hangs fails here instead of holding the suite.
  const run = spawnSync('python3', args, { encoding: 'utf8', timeout: 30_000 });
  expect(run.error, run.stderr).toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

function expectSameTimeline(source: string, text: string, until?: number, session?: Session): void {
  const expected = corotoneTimeline(corotoneEvents(source, text, until, session), phraseNames(text));
  const actual = pythonTimeline(pythonEvents(source, text, until, session));
  expect(actual.notes).toEqual(expected.notes);
  expect(actual.tasks).toEqual(expected.tasks);
}

/** Beats, chance, cues, live loops, and notes as voices owned by tasks. */
const MUSIC_SCRIPTS: string[][] = [
  ['beep 60 1', 'beep 60 1'],
  ['chord 3 60 &', 'add 62', 'wait 1'],
  ['chord 5 60 &', 'add 64', 'wait 1', 'panic', 'beep 72 1'],
  ['eval add 60; fail broken', 'wait 1', 'add 62; wait 1'],
  ['spawn add 60; wait 1; fail broken', 'spawn add 64; wait 0.5', 'wait 2'],
  ['add 60', 'add 60', 'spawn remove 60', 'wait 1'],
  ['add 55', 'chord 1 55 58', 'wait 1'],
  ['settle add 54; chord 1 54 49 | wait 0.5', 'wait 1'],
  ['bpm 90', 'repeat 4 beep 60 1; wait 0.5', 'bpm 240', 'beep 62 1; wait 250ms'],
  ['seed 3', 'repeat 6 beep choose(60,64,67) rand(0.1,0.3)', 'seed 3', 'beep choose(60,64,67) 0.5'],
  ['def arp ROOT LEN: beep ROOT LEN; beep ROOT+7 LEN', 'arp C5 0.5', 'arp 64 0.25', 'def arp ROOT LEN: beep ROOT-12 LEN', 'arp 72 1'],
  ['sync go; beep 60 1 &', 'sync go; beep 64 1 &', 'wait 1', 'cue go', 'wait 0.5', 'sync go; beep 67 1 &', 'wait 1', 'cue go', 'timeout 1 sync never'],
  ['live drums beep 48 0.25; wait 0.25', 'wait 1.25', 'live drums beep 50 0.5', 'wait 2', 'stop', 'live drums beep 52 1', 'wait 2', 'stop'],
  ['loop beep tick(60,62,64) 0.5 &', 'wait 3', 'stop'],
  ['seed 5', 'repeat 4 beep rand(60,64) 0.25; chord 0.25 choose(60,64)+12 rand(C3,C4)'],
  ['live idle add 60', 'live busy block 0.5', 'wait 1', 'beep 62 0.5'],
  ['bpm 120', 'beep 60', 'amp 0.5', 'beep 62 1 amp=0.2', 'chord 2 60 64 &', 'beep 64 0.5'],
  // a task's tempo (issue 19): a spawned task starts with its spawner's and owns it; gather's parts share their task's
  ['bpm 120', 'loop beep 60 1 &', 'bpm 30', 'beep 62 1', 'spawn repeat 2 bpm 240; beep 64 1', 'beep 65 1', 'stop'],
  ['gather bpm 120 | wait 0', 'beep 48 1', 'spawn repeat 2 bpm 240; beep 52 1', 'beep 53 1'],
  ['live kick beep 24 0.25; wait 0.75', 'live melody bpm 120; beep 60 1', 'wait 4', 'stop'],
  // a live loop cues its name at each pass; cancel takes its name
  ['live foo beep 52 0.5; wait 0.5', 'live bar sync foo; beep 24 0.25; wait 1.25', 'wait 6', 'stop'],
  ['live drums beep 36 1', 'wait 2.5', 'cancel drums', 'wait 1', 'beep 40 1'],
  // chords and scales by name, patterns, chance in note options (issue 19)
  ['chord 1 E3:minor', 'chord 0.5 C4:maj7 invert=1 num=5', 'def stab ROOT: chord 0.5 ROOT:m7', 'stab A3', 'seed 2', 'repeat 3 chord 0.5 choose(C4,A3):minor'],
  ['repeat 8 beep tick(scale(C4,major)) 0.25', 'seed 4', 'repeat 4 beep choose(scale(C4,minor_pentatonic)) 0.25'],
  ['seq 0.25 C5 _ [E5 G5] A5*2 E3:minor [C5 [D5 E5]]', 'beep C6 0.5'],
  ['seq 0.25 0 2 [4 6] 7 -1 _ E5 scale=C3:major', 'def up ROOT: seq 0.5 0 2 4 scale=ROOT:major', 'up A3'],
  ['seed 3', 'repeat 3 seq 0.25 choose(C5,E5) tick(C4,D4)*2 amp=rand(0.05,0.2)', 'beep choose(60,64) 0.25'],
  ['def riff ROOT: seq 0.125 ROOT ROOT+7 ROOT:minor _', 'riff C4', 'bpm 120', 'seq 0.5 C5 E5 &', 'euclid 2 4 0.5 beep G5 0.25'],
  // thirds and fifths of a step keep to the grid (Python's sleeps at bpm 90 drift by a ns each: docs/python-export.md)
  ['repeat 2 seq 1 [C5 E5 G5] C5 [C5 E5 G5 A5 B5]', 'bpm 120', 'euclid 5 16 0.25 beep C5 0.1', 'beep C6 0.5'],
  ['gather seq 0.25 C4 E4 [G4 A4] | euclid 2 3 0.25 beep C3 0.125; seq 0.125 C6*2', 'loop seq 0.5 E3:minor _ &', 'wait 2.25', 'stop'],
  ['euclid 3 8 0.25 beep C5 0.125', 'euclid 5 8 0.125 chord 0.0625 E3:minor', 'euclid 4 8 0.25 beep C5 0.625'],
  ['seed 6', 'repeat 4 beep choose(60,64) 0.25 amp=rand(0.05,0.2) synth=choose(saw,square)', 'add 50 amp=choose(0.1,0.2)', 'chord 0.5 choose(C4,E4) synth=tick(sine,fm)', 'beep choose(60,72) 0.25', 'remove 50'],
  // drum hits are voices of their tasks (not notes): a hit alone is a change; a cancel cuts one; a script's last rings on
  ['drum bd; beep 60 0.5', 'drum sd', 'loop drum hh; wait 0.25 &', 'wait 1.1', 'cancel t1', 'wait 0.5', 'drum oh rate=2', 'add 64', 'wait 0.1'],
  ['seed 4', 'fx lpf rand(400,2000)', 'beep choose(60,64,67) 0.25', 'fx delay choose(0.25,0.5) rand(0.1,0.5)', 'repeat 3 beep choose(60,64,67) 0.25'],
  ['fx lpf 800 res=4', 'fx delay 0.25 0.5', 'beep 60 0.5', 'fx off', 'beep 62 0.5 fx=reverb:0.6', 'chord 1 60 64 fx=distort:0.5 fx=hpf:200 &', 'beep 67 0.25'],
];

/** `depth` commands, each inside the one before. */
function nested(depth: number, words: readonly string[]): string {
  return Array.from({ length: depth }, (_, i) => `${words[i % words.length]} `).join('');
}

/** Commands nested 30, 60 and 100 deep (corotone's most): past Python's 20 nested blocks and 100 levels of indentation. */
const DEEP_SCRIPTS: [string, string][] = [30, 60, 100].flatMap((depth): [string, string][] => [
  [`${depth} repeats`, `repeat 2 ${nested(depth - 2, ['repeat 1'])}beep 60 0.5; wait 0.25`],
  [`${depth} timeouts`, `${nested(depth - 1, ['timeout 100'])}beep 60 0.5\nbeep 62 0.25`],
  [
    `${depth} in a phrase, and a task started ${depth} deep in main`,
    [`def deep ROOT: ${nested(depth - 2, ['repeat 1', 'timeout 100'])}beep ROOT 0.25; wait 0.25`, 'deep 62', `${nested(depth - 2, ['timeout 100'])}spawn chord 3 64`, 'wait 1', 'cancel t1', 'deep 65'].join('\n'),
  ],
]);

const lessons = readdirSync('resources/examples').filter((f) => f.endsWith('.txt'));

describe.skipIf(missing !== null)('the exported Python plays the same timeline as corotone', () => {
  it.each(lessons)('lesson %s', async (file) => {
    // by its path, as the CLI plays it from here: its samples (decoded first, as the CLI does) are beside it
    const source = `resources/examples/${file}`;
    const text = readFileSync(source, 'utf8');
    const session = new Session();
    await preloadScriptSamples(session, [{ name: source, bytes: new TextEncoder().encode(text) }]);
    expectSameTimeline(source, text, undefined, session);
  });

  // WAV files play (Python reads them with wave); a FLAC keeps its voice, silent, for the length corotone decoded
  it('samples: parts, rates, a loop raced, and a FLAC', async () => {
    const source = 'test/node/samples/fixtures/song.txt';
    const text = ['sample a4.wav; beep 60 0.5', 'sample a4.wav rate=2 start=0.5', 'wait 0.1', 'race sample a4.wav loop | wait 1', 'sample a4.flac end=0.5; beep 62 0.5', 'sample a4.ogg', 'wait 0.5'].join('\n');
    const session = new Session();
    await preloadScriptSamples(session, [{ name: source, bytes: new TextEncoder().encode(text) }]);
    expectSameTimeline(source, text, undefined, session);
  });

  it.each(CONCURRENCY_SCRIPTS.map((s) => [s.lines.join(' ⏎ '), s] as const))('test script: %s', (_name, script) => {
    expectSameTimeline('s.txt', script.lines.join('\n'), script.until);
  });

  it.each(MUSIC_SCRIPTS.map((lines) => [lines.join(' ⏎ '), lines] as const))('musical time and voices: %s', (_name, lines) => {
    expectSameTimeline('m.txt', lines.join('\n'));
  });

  it.each(DEEP_SCRIPTS)('nested deep: %s', (_name, text) => {
    expect(toPython(text, 'deep.txt').warnings).toEqual([]);
    expectSameTimeline('deep.txt', text);
  });

  it.each(generatedScripts(97, 12).map((text, i) => [i + 1, text] as const))('generated script %i', (_i, text) => {
    expectSameTimeline('g.txt', text, 30);
  });
});

describe.skipIf(missing !== null)('the exported Python plays drums through the demo\'s stream', () => {
  it('a kick then an open hat: low energy first, then high, at their times', () => {
    const file = join(dir, 'drums.py');
    const exported = toPython('drum bd\nwait 0.5\ndrum oh\nwait 0.5\n', 'drums.txt');
    // drum is played, not a comment; no warning
    expect(exported.warnings).toEqual([]);
    writeFileSync(file, exported.code);
    const run = spawnSync('python3', [file], { timeout: 30_000 });
    expect(run.status, String(run.stderr)).toBe(0);
    const pcm = Float32Array.from(run.stdout as Buffer, (b) => (b - 127) / 127);
    const rate = 8000;
    // the kick: most of its energy below 150 Hz; the hat, half a second later: most of it above 2 kHz
    const kick = powerSpectrum(pcm, rate, 0, 0.3 * rate);
    const hat = powerSpectrum(pcm, rate, 0.52 * rate, 0.2 * rate);
    expect(bandFraction(kick, 0, 150)).toBeGreaterThan(0.5);
    expect(bandFraction(hat, 2000, 4000)).toBeGreaterThan(0.5);
  });
});
