import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectNotes, parseWav } from '../../support/audio';
import { mountTmpfs } from '../../support/files/tmpfs';
import { BIN, ROOT, runCli } from '../../support/run-cli';
import { MAX_SCRIPT_BYTES } from '../../../src/node/files/read-script';
const MIB = MAX_SCRIPT_BYTES / (1024 * 1024);

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'corotone-cli-files-'));
const stderrLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));

function script(dir: string, text: string, name = 's.txt'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('corotone writes its files atomically', () => {
  it('a read-only directory: exit 3, one line naming the file and the cause, the old file intact', async () => {
    const disk = mountTmpfs(256);
    const dir = disk?.dir ?? freshDir();
    const wav = join(dir, 'song.wav');
    writeFileSync(wav, 'the good file');
    if (disk) disk.readOnly();
    else chmodSync(dir, 0o555);
    try {
      const { code, stderr } = await runCli([script(freshDir(), 'beep 60 0.5'), '--wav', wav]);
      expect(code).toBe(3);
      expect(stderrLines(stderr)).toEqual([expect.stringMatching(new RegExp(`^corotone: cannot write ${wav}: (read-only file system|permission denied)$`))]);
      expect(readFileSync(wav, 'utf8')).toBe('the good file');
    } finally {
      if (!disk) chmodSync(dir, 0o755);
      disk?.unmount();
    }
  });

  it('a full disk: exit 3, one line, the old file intact and no temporary file left', async (context) => {
    const disk = mountTmpfs(64);
    if (disk === null) {
      // No tmpfs to fill: standard output on /dev/full is the same failure.
      const { status, stderr } = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" "$1" --raw --offline > /dev/full`, 'sh', script(freshDir(), 'beep 60 5')], { cwd: ROOT, encoding: 'utf8' });
      expect(status).toBe(3);
      expect(stderrLines(stderr)).toEqual(['corotone: cannot write standard output: no space left on the device']);
      context.skip('not root: the WAV variant needs a small tmpfs');
      return;
    }
    try {
      const wav = join(disk.dir, 'song.wav');
      writeFileSync(wav, 'the good file');
      // 5 s at 48 kHz is 480 KB: far past the 64 KiB disk.
      const { code, stderr } = await runCli([script(freshDir(), 'beep 60 5'), '--wav', wav]);
      expect(code).toBe(3);
      expect(stderrLines(stderr)).toEqual([`corotone: cannot write ${wav}: no space left on the device`]);
      expect(readFileSync(wav, 'utf8')).toBe('the good file');
      expect(readdirSync(disk.dir)).toEqual(['song.wav']);
    } finally {
      disk.unmount();
    }
  });

  it('killed mid-render (SIGKILL), the final name never holds a partial file', async () => {
    const dir = freshDir();
    const wav = join(dir, 'song.wav');
    writeFileSync(wav, 'the good file');
    // 10 minutes of sound is 57.6 MB: killed once the temporary file has its first megabyte.
    const child = spawn(process.execPath, [BIN, script(freshDir(), 'beep 60 599'), '--wav', wav], { cwd: ROOT, stdio: 'ignore' });
    const sawPartial = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        const temp = readdirSync(dir).find((n) => n.endsWith('.tmp'));
        const size = temp === undefined ? 0 : statSync(join(dir, temp)).size;
        if (size > 1 << 20 || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(size > 1 << 20);
        }
      }, 5);
    });
    await new Promise((r) => child.once('close', r));
    expect(sawPartial).toBe(true);
    expect(readFileSync(wav, 'utf8')).toBe('the good file');
  });

  it('--trace is written atomically too', async () => {
    const dir = freshDir();
    const trace = join(dir, 't.json');
    const { code } = await runCli([script(dir, 'beep 60 0.1'), '--trace', trace]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(trace, 'utf8'))).toHaveProperty('traceEvents');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('corotone renders stream, within one limit', () => {
  it.each([
    ['repeat 660 beep 60 0.5; wait 0.5', /; it ends at 660 s: pass --until 660 to render all of it$/],
    ['loop beep 60 0.5; wait 0.5', /; it still plays after 24 hours \(a loop that is never stopped\?\): end the script with stop, or pass --until SECONDS$/],
  ])('%j without --until: keeps its first 10 minutes (WAV, events, trace), says which --until renders the rest, exit 1', async (text, advice) => {
    const dir = freshDir();
    const wav = join(dir, 'first.wav');
    const trace = join(dir, 'first.json');
    const { code, stdout, stderr } = await runCli([script(dir, text), '--wav', wav, '--rate', '44100', '--trace', trace, '--events']);
    expect(code).toBe(1);
    const lines = stderrLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/still plays after 10 minutes, the longest an offline render goes without --until; what was written is its first 10 minutes/);
    expect(lines[0]).toMatch(advice);
    // A valid WAV of the first 10 minutes, sounding to its end.
    const parsed = parseWav(new Uint8Array(readFileSync(wav)));
    expect(parsed.first.length / parsed.rate).toBeCloseTo(600, 1);
    const window = Math.round(0.1 * parsed.rate);
    expect(detectNotes(parsed.first, parsed.rate, Math.round(599.25 * parsed.rate) - window / 2, window).notes).toEqual([60]);
    // The events and the trace end there too.
    const events = stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; t: number });
    expect(events.at(-1)).toMatchObject({ type: 'session-ended', t: 600 });
    const slices = (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; ts: number }[] }).traceEvents.filter((e) => e.ph === 'X');
    expect(Math.max(...slices.map((e) => e.ts)) / 1e6).toBeLessThanOrEqual(600);
    expect(readdirSync(dir).sort()).toEqual(['first.json', 'first.wav', 's.txt']);
  });

  it('with --until renders past 10 minutes, and the WAV is whole', async () => {
    const dir = freshDir();
    const wav = join(dir, 'long.wav');
    const { code } = await runCli([script(dir, 'beep 60 0.5\nwait 700'), '--wav', wav, '--rate', '44100', '--until', '701']);
    expect(code).toBe(0);
    const parsed = parseWav(new Uint8Array(readFileSync(wav)));
    expect(parsed.first.length / parsed.rate).toBeCloseTo(700.5, 1);
  });
});

describe('corotone reads scripts with limits', () => {
  it.each([
    ['/dev/zero', 'not a regular file (a character device)'],
    ['/tmp', 'not a regular file (a directory)'],
  ])('refuses %s with one line naming it, exit 3', async (path, cause) => {
    const { code, stderr } = await runCli([path, '--check']);
    expect(code).toBe(3);
    expect(stderrLines(stderr)).toEqual([`corotone: cannot read ${path}: ${cause}`]);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(freshDir(), 'pipe');
    spawnSync('mkfifo', [fifo]);
    const { code, stderr } = await runCli([fifo, '--check']);
    expect(code).toBe(3);
    expect(stderrLines(stderr)).toEqual([`corotone: cannot read ${fifo}: not a regular file (a pipe)`]);
  });

  it('refuses a script over the script size limit, from a file or standard input', async () => {
    const big = Buffer.alloc(MAX_SCRIPT_BYTES + 1, 0x0a);
    const path = script(freshDir(), big.toString());
    const file = await runCli([path, '--check']);
    expect(file.code).toBe(3);
    expect(stderrLines(file.stderr)).toEqual([`corotone: cannot read ${path}: larger than ${MIB} MiB, the largest script corotone reads`]);
    const stdin = await runCli(['-', '--events'], big);
    expect(stdin.code).toBe(3);
    expect(stderrLines(stdin.stderr)).toEqual([`corotone: cannot read standard input: larger than ${MIB} MiB, the largest script corotone reads`]);
  });

  it('refuses a file that is not a script in one line, not as hundreds of bad lines: a WAV (with what was meant), a binary, UTF-16', async () => {
    const dir = freshDir();
    const wav = join(dir, 'out.wav');
    // `corotone song.txt out.wav`, meaning --wav out.wav: a render small enough to read, and one over the size limit.
    const song = script(dir, 'beep 69 0.1\n');
    expect((await runCli([song, '--wav', wav])).code).toBe(0);
    const meant = `(to render into it, write --wav ${wav})`;
    for (const seconds of [0.1, 20]) {
      writeFileSync(song, `beep 69 ${seconds}\n`);
      await runCli([song, '--wav', wav]);
      const { code, stderr } = await runCli([song, wav]);
      expect([statSync(wav).size > MAX_SCRIPT_BYTES, code, stderrLines(stderr)]).toEqual([seconds > 1, 3, [`corotone: cannot read ${wav}: a WAV file (audio), not a script ${meant}`]]);
    }
    const binary = join(dir, 'prog');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x0a, 0x61]));
    const utf16 = join(dir, 'utf16.txt');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('add 60\n', 'utf16le')]));
    for (const [path, cause] of [
      [binary, 'a binary file (it holds NUL bytes), not a text script'],
      [utf16, 'UTF-16 text; corotone reads UTF-8: save the file as UTF-8'],
    ]) {
      const { code, stderr } = await runCli([path, '--check']);
      expect([code, stderrLines(stderr)]).toEqual([3, [`corotone: cannot read ${path}: ${cause}`]]);
    }
  });

  it('a missing file: exit 3, one line', async () => {
    const { code, stderr } = await runCli(['no-such-script.txt', '--check']);
    expect(code).toBe(3);
    expect(stderrLines(stderr)).toEqual(['corotone: cannot read no-such-script.txt: no such file or directory']);
  });

  it('reads lone-CR line endings as lines', async () => {
    const path = script(freshDir(), 'add 60\rwait 0.5\rremove 60\rwait 0.25\r');
    const { code, stdout } = await runCli([path, '--events']);
    expect(code).toBe(0);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { type: string; t: number });
    expect(events.filter((e) => e.type === 'diagnostic')).toEqual([]);
    expect(events.find((e) => e.type === 'session-ended')).toMatchObject({ t: 0.75 });
  });
});

describe('corotone in a pipe that closes early', () => {
  // bash reports the exit code of corotone itself, the first command of the pipeline.
  const pipeline = (args: string, reader: string) =>
    spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | ${reader} > /dev/null; exit \${PIPESTATUS[0]}`], { cwd: ROOT, encoding: 'utf8' });

  it('--events | head -1 ends quietly with exit 0', () => {
    const path = script(freshDir(), 'repeat 20000 beep 60 0.001');
    const { status, stderr } = pipeline(`"${path}" --events`, 'head -1');
    expect(stderrLines(stderr)).toEqual([]);
    expect(status).toBe(0);
  });

  it('--raw --offline | head -c 100 ends quietly with exit 0', () => {
    const path = script(freshDir(), 'beep 60 300');
    const { status, stderr } = pipeline(`"${path}" --raw --offline`, 'head -c 100');
    expect(stderrLines(stderr)).toEqual([]);
    expect(status).toBe(0);
  });

  it('--wav /dev/stdout | head -c 100 ends quietly with exit 0, as --wav - does', () => {
    const path = script(freshDir(), 'beep 60 300');
    for (const out of ['-', '/dev/stdout']) {
      const { status, stderr } = pipeline(`"${path}" --wav ${out}`, 'head -c 100');
      expect(stderrLines(stderr), out).toEqual([]);
      expect(status, out).toBe(0);
    }
  });

  it('--raw played live | head -c 100 ends quietly with exit 0', () => {
    const path = script(freshDir(), 'beep 60 300');
    const { status, stderr } = pipeline(`"${path}" --raw --latency 0`, 'head -c 100');
    expect(stderrLines(stderr)).toEqual([]);
    expect(status).toBe(0);
  });
});
