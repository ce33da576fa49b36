import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelOf, detectNotes, detectOnsets, parseWav } from '../../support/audio';
import { CHORD_DURATIONS, CHORD_STARTS, DEMO_END_S, demoSegments } from '../../support/synth/demo-schedule';
import { ROOT, runCli, type CliResult } from '../../support/run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'corotone-cli-'));
});

describe('corotone on the demo\'s commands.txt', () => {
  let run: CliResult;
  let wavPath: string;
  let tracePath: string;
  beforeAll(async () => {
    wavPath = join(dir, 'demo.wav');
    tracePath = join(dir, 'demo.trace.json');
    run = await runCli(['resources/commands.txt', '--wav', wavPath, '--trace', tracePath, '--events']);
  });

  it('succeeds quietly', () => {
    expect(run.code).toBe(0);
    expect(run.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
  });

  it('renders a WAV whose notes, found by FFT, follow SPEC\'s schedule', async () => {
    const wav = parseWav(new Uint8Array(await readFile(wavPath)));
    expect(wav.rate).toBe(48000);
    expect(wav.first.length / wav.rate).toBeGreaterThanOrEqual(DEMO_END_S);
    for (const segment of demoSegments()) {
      const mid = Math.round(((segment.from + segment.to) / 2) * wav.rate);
      const length = Math.round(0.08 * wav.rate);
      const found = detectNotes(wav.first, wav.rate, mid - length / 2, length);
      expect({ at: segment.from, notes: found.notes }).toEqual({ at: segment.from, notes: segment.notes });
    }
  });

  it('writes it in stereo, the two channels alike (every note of the demo sits at the centre)', async () => {
    const wav = parseWav(new Uint8Array(await readFile(wavPath)));
    expect(wav.channels).toBe(2);
    expect(channelOf(wav, 1)).toEqual(wav.first);
  });

  it('with --exact writes the demo\'s one channel, a drum adding nothing to the demo\'s arithmetic', async () => {
    const script = join(dir, 'exact-drum.txt');
    await writeFile(script, 'drum bd\nbeep 60 0.5\n');
    const out = join(dir, 'exact.wav');
    const exact = await runCli([script, '--exact', '--wav', out]);
    expect(exact.code).toBe(0);
    const wav = parseWav(new Uint8Array(await readFile(out)));
    expect(wav.channels).toBe(1);
    expect(detectNotes(wav.first, wav.rate, Math.round(0.1 * wav.rate), Math.round(0.3 * wav.rate)).notes).toEqual([60]);
  });

  it('starts every change on its sample, within 1 ms', async () => {
    const wav = parseWav(new Uint8Array(await readFile(wavPath)));
    const onsets = detectOnsets(wav.first, wav.rate).map((s) => s / wav.rate);
    // Sound begins at 0, changes at every segment boundary and ends at 10.05.
    const expected = [...demoSegments().map((s) => s.from), DEMO_END_S];
    expect(onsets).toHaveLength(expected.length);
    onsets.forEach((t, i) => expect(Math.abs(t - expected[i])).toBeLessThan(0.001));
  });

  it('writes note events at exactly SPEC\'s logical times', () => {
    const events = run.stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    const notes = events.filter((e) => e.type === 'notes');
    const starts = notes.filter((e) => e.notes.length === 4).map((e) => e.t);
    expect(notes[0]).toMatchObject({ t: 0, notes: [60] });
    // Chords that follow one another without a gap change the set in one event.
    expect(starts).toEqual(CHORD_STARTS);
    expect(notes.at(-1)).toMatchObject({ t: 10.05, notes: [] });
    expect(events.find((e) => e.type === 'session-ended')).toMatchObject({ t: 10.05 });
  });

  it('writes a Chrome trace with a slice per line at its logical time', async () => {
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    const lines = trace.traceEvents.filter((e: { ph: string; cat?: string }) => e.ph === 'X' && e.cat === 'line');
    const chords = lines.filter((e: { name: string }) => e.name.startsWith('chord'));
    expect(chords.map((e: { ts: number }) => e.ts / 1e6)).toEqual(CHORD_STARTS);
    chords.forEach((e: { dur: number }, i: number) => expect(e.dur / 1e6).toBeCloseTo(CHORD_DURATIONS[i], 9));
    const remove = lines.find((e: { name: string }) => e.name === 'remove 60');
    expect(remove.ts / 1e6).toBe(DEMO_END_S);
    expect(remove.args.at).toBe('resources/commands.txt:17:1');
    const threads = trace.traceEvents.filter((e: { name: string }) => e.name === 'thread_name').map((e: { args: { name: string } }) => e.args.name);
    expect(threads).toEqual(['resources/commands.txt']);
  });
});

describe('the demo\'s raw PCM', () => {
  it('--raw --offline --exact is the demo\'s arithmetic bit for bit (numpy\'s samples)', async () => {
    const { code, stdout } = await runCli(['resources/commands.txt', '--raw', '--offline', '--exact']);
    expect(code).toBe(0);
    // Written by scripts/exact-fixture.py with the demo's order of operations.
    const expected = await readFile(join(ROOT, 'test/core/synth/fixtures/commands-exact.u8'));
    expect(stdout.length).toBe(expected.length);
    const mismatches: number[] = [];
    for (let k = 0; k < stdout.length; k++) if (stdout[k] !== expected[k]) mismatches.push(k);
    expect(mismatches).toEqual([]);
  });

  it('played live (paced by the real clock) writes the same samples as offline', async () => {
    const script = 'add 60\nwait 0.3\nchord 0.2 72 75 C6\neval wait 0.05; beep A4 0.05\nquit\n';
    const live = await runCli(['--raw', '--exact'], script);
    const offline = await runCli(['--raw', '--offline', '--exact'], script);
    expect(live.code).toBe(0);
    expect(offline.stdout.length).toBe(0.6 * 8000);
    expect(live.stdout.equals(offline.stdout)).toBe(true);
  });
});

describe('errors and usage', () => {
  it('reports a typo with its position and the nearest command, and goes on', async () => {
    const { code, stdout } = await runCli(['--events'], 'add 60\nchrod 0.5 72\nwait 1\n');
    expect(code).toBe(0);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    const diagnostic = events.find((e) => e.type === 'diagnostic').diagnostic;
    expect(diagnostic).toMatchObject({ source: '<stdin>', line: 2, col: 1, found: 'chrod', hint: 'did you mean "chord"?' });
    expect(events.find((e) => e.type === 'session-ended')).toMatchObject({ t: 1 });
  });

  it('--check lists every error without running anything and exits 1', async () => {
    const file = join(dir, 'bad.txt');
    await writeFile(file, 'add 60\nwait -1\nbeep 200\nchord 0.5\nadd H4\n');
    const { code, stderr, stdout } = await runCli(['--check', file]);
    expect(code).toBe(1);
    expect(stdout.length).toBe(0);
    const located = stderr.split('\n').filter((l) => l.startsWith(file));
    expect(located.map((l) => l.slice(file.length).split(': ')[0])).toEqual([':2:6', ':3:6', ':4:10', ':5:5']);
  });

  it('--check passes the demo\'s script', async () => {
    const { code } = await runCli(['--check', 'resources/commands.txt']);
    expect(code).toBe(0);
  });

  it('--strict stops at the first error with exit code 1', async () => {
    const { code, stdout } = await runCli(['--strict', '--events'], 'add 60\nwiat 1\nadd 72\n');
    expect(code).toBe(1);
    const notes = stdout.toString().trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'notes');
    expect(notes.flatMap((e) => e.notes)).not.toContain(72);
  });

  it.each([
    [['--bogus']],
    [['--rate', '22050', '--wav', 'x.wav']],
    [['--rate', 'abc', '--wav', 'x.wav']],
    [['--offline']],
    [['--raw', '--wav', 'x.wav']],
    [['--check']],
  ])('exits 2 with a one-line message for %j', async (args) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    const lines = stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^corotone: .*--help/);
  });

  it('a value that starts with a dash says how to pass it, not that the argument is "ambiguous"; a bad rate names the two there are', async () => {
    const { code, stderr } = await runCli(['--until', '-1', '--wav', 'x.wav']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('corotone: --until takes a value, and "-1" looks like an option (if it is the value, write --until=-1) (see corotone --help)');
    const rate = await runCli(['--rate', 'abc', '--wav', 'x.wav']);
    expect(rate.stderr.trim()).toBe('corotone: --rate must be 44100 or 48000, not "abc" (see corotone --help)');
    const written = await runCli(['--until=-1', '--wav', 'x.wav']);
    expect(written.stderr.trim()).toBe('corotone: --until takes a number of 0 or more, not "-1" (see corotone --help)');
  });

  it('does not crash on binary input; each bad line is reported with its line number', async () => {
    const bytes = Buffer.concat([Buffer.from('add 60\n'), Buffer.from([0xff, 0xfe, 0x00, 0x0a]), Buffer.from('wait 0.5\n')]);
    const { code, stdout } = await runCli(['--events'], bytes);
    expect(code).toBe(0);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'diagnostic').diagnostic).toMatchObject({ line: 2 });
    expect(events.find((e) => e.type === 'session-ended')).toMatchObject({ t: 0.5 });
  });

  it('prints help with every option', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const option of ['--wav', '--rate', '--raw', '--offline', '--exact', '--trace', '--events', '--check', '--strict']) {
      expect(stdout.toString()).toContain(option);
    }
  });
});

describe('--wav rings the tails out', () => {
  it('renders a note with a 1 s release at least 1 s past the note, and a script with effects the same bytes twice', async () => {
    const release = join(dir, 'release.txt');
    await writeFile(release, 'env 0.01 0 1 1\nbeep A4 0.5\n');
    const releaseWav = join(dir, 'release.wav');
    expect((await runCli([release, '--wav', releaseWav])).code).toBe(0);
    const wav = parseWav(new Uint8Array(await readFile(releaseWav)));
    expect(wav.samples.length / wav.rate).toBeGreaterThanOrEqual(1.5);

    const effects = join(dir, 'effects.txt');
    await writeFile(effects, 'synth sawtooth\nfx lpf 900 res=3\nfx delay 0.2 0.5\nfx reverb 0.6\nbeep A3 0.3\nbeep C4 0.3 fx=distort:0.5\n');
    const [a, b] = [join(dir, 'fx-a.wav'), join(dir, 'fx-b.wav')];
    for (const out of [a, b]) expect((await runCli([effects, '--wav', out])).code).toBe(0);
    const [bytesA, bytesB] = [await readFile(a), await readFile(b)];
    expect(bytesA.length).toBeGreaterThan(44 + 2 * 48000);
    expect(bytesA.equals(bytesB)).toBe(true);
  });
});
