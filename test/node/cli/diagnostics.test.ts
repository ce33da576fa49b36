/**
 * The CLI's diagnostics are capped as web mode's replies are (the first N,
 * then how many more), and --strict stops at a source's first error: --check
 * on 1 MiB of bad lines once printed 169 MB, and --strict parsed it all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticPrinter, MAX_PRINTED_DIAGNOSTICS } from '../../../src/node/cli/diagnostic-printer';
import { untilFirstError } from '../../../src/node/cli/inputs';
import { freshDir } from '../../support/files/nodes';
import { runCli } from '../../support/run-cli';

const BAD_LINES = 2_000;
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => /^\S+:\d+:\d+: error:/.test(l));

function badScript(): string {
  const path = join(freshDir('corotone-bad-'), 'bad.txt');
  writeFileSync(path, Array.from({ length: BAD_LINES }, (_, i) => `nosuch${i} 1`).join('\n'));
  return path;
}

describe('CLI diagnostics are capped as web mode caps a reply', () => {
  it('--check prints the first errors, then how many there were in all', async () => {
    const { code, stderr } = await runCli(['--check', badScript()]);
    expect(code).toBe(1);
    const shown = errorLines(stderr);
    expect(shown).toHaveLength(MAX_PRINTED_DIAGNOSTICS);
    expect(shown[0]).toMatch(/bad\.txt:1:1: error: unknown command "nosuch0"/);
    const more = (BAD_LINES - MAX_PRINTED_DIAGNOSTICS).toLocaleString('en-US');
    expect(stderr.trim().split('\n').at(-1)).toBe(`corotone: 2,000 error(s) (the first ${MAX_PRINTED_DIAGNOSTICS} shown, and ${more} more)`);
  });

  it('a run prints a source\'s first errors, then how many more there were', async () => {
    const script = badScript();
    const { code, stderr } = await runCli([script, '--wav', join(freshDir(), 'out.wav')]);
    expect(code).toBe(0);
    expect(errorLines(stderr)).toHaveLength(MAX_PRINTED_DIAGNOSTICS);
    const more = (BAD_LINES - MAX_PRINTED_DIAGNOSTICS).toLocaleString('en-US');
    expect(stderr).toContain(`corotone: ${script}: 2,000 errors (the first ${MAX_PRINTED_DIAGNOSTICS} shown, and ${more} more)\n`);
  });
});

describe('--strict stops at the first error', () => {
  it('reports only the first error of a file of bad lines, and exits 1', async () => {
    const { code, stderr } = await runCli(['--strict', badScript(), '--wav', join(freshDir(), 'out.wav')]);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/bad\.txt:1:1: error: unknown command "nosuch0"/)]);
    expect(stderr).not.toContain('more');
  });

  it('--check --strict too', async () => {
    const { code, stderr } = await runCli(['--check', '--strict', badScript()]);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toHaveLength(1);
  });

  it('still plays none of a source with an error, and the other sources', async () => {
    const dir = freshDir();
    const bad = join(dir, 'bad.txt');
    const good = join(dir, 'good.txt');
    writeFileSync(bad, 'beep 60 0.1\r\nbeep 62 0.1\r\nnope\r\nalso bad\r\n');
    writeFileSync(good, 'beep 70 0.1');
    const { code, stdout } = await runCli(['--strict', '--events', bad, good]);
    expect(code).toBe(1);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { type: string; notes?: number[]; diagnostic?: { line: number }; source?: string; reason?: string });
    expect(events.filter((e) => e.type === 'diagnostic').map((e) => e.diagnostic!.line)).toEqual([3]);
    expect(events.filter((e) => e.type === 'notes').flatMap((e) => e.notes)).toEqual([70]);
    expect(events.find((e) => e.type === 'source-ended' && e.source === bad)?.reason).toBe('error');
  });
});

describe('--strict across scripts', () => {
  it('a phrase one script defines is reached from the next as SOURCE/NAME: its first error is its first unknown word', async () => {
    const dir = freshDir();
    const first = join(dir, 'first.txt');
    const second = join(dir, 'second.txt');
    writeFileSync(first, 'def riff beep 64 0.1');
    writeFileSync(second, `${first}/riff\nnope\n`);
    const { code, stdout } = await runCli(['--strict', '--events', first, second]);
    expect(code).toBe(1);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { type: string; notes?: number[]; diagnostic?: { source: string; line: number } });
    expect(events.filter((e) => e.type === 'diagnostic').map((e) => [e.diagnostic!.source, e.diagnostic!.line])).toEqual([[second, 2]]);
    // The second script has an error, so none of it plays.
    expect(events.filter((e) => e.type === 'notes').flatMap((e) => e.notes)).toEqual([]);
  });

  it('--check reads a phrase of an earlier script as SOURCE/NAME, as the session does, and a bare name as unknown', async () => {
    const dir = freshDir();
    const first = join(dir, 'first.txt');
    const second = join(dir, 'second.txt');
    writeFileSync(first, 'def riff beep 64 0.1');
    writeFileSync(second, `${first}/riff\nriff\n`);
    const { code, stderr } = await runCli(['--check', first, second]);
    expect(code).toBe(1);
    expect(stderr.toString()).toContain(`${second}:2:1: error: unknown command "riff"`);
    expect(stderr.toString()).not.toContain(`${second}:1:`);
    expect(stderr.toString()).toContain('1 error(s)');
  });
});

describe('--strict with --to-python', () => {
  it('exports the whole script, past its first error, as it exports rather than runs it', async () => {
    const dir = freshDir();
    const script = join(dir, 's.txt');
    writeFileSync(script, 'beep 60 1\nnope\nbeep 62 1\n');
    const { code } = await runCli(['--strict', script, '--to-python', join(dir, 's.py')]);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 's.py'), 'utf8')).toContain('beep(62, 1)');
  });
});

describe('untilFirstError', () => {
  it.each([
    ['LF', 'beep 60\nbad one\nbad two\n', 'beep 60\nbad one\n'],
    ['CRLF', 'beep 60\r\nbad one\r\nbad two\r\n', 'beep 60\r\nbad one\r\n'],
    ['lone CR', 'beep 60\rbad one\rbad two', 'beep 60\rbad one\r'],
    ['no error', 'beep 60\nbeep 62', 'beep 60\nbeep 62'],
  ])('%s: the script up to the end of its first bad line', (_, text, kept) => {
    const file = { name: 's.txt', bytes: new TextEncoder().encode(text) };
    expect(new TextDecoder().decode(untilFirstError(file).bytes)).toBe(kept);
  });
});

describe('DiagnosticPrinter', () => {
  const diagnostic = (source: string, line: number) => ({ source, line, col: 1, endCol: 2, message: `bad ${line}` });

  it('caps each source on its own and says how many more at its end', () => {
    const printed: string[] = [];
    const printer = new DiagnosticPrinter((t) => printed.push(t), undefined, 2);
    for (let i = 1; i <= 5; i++) printer.print(diagnostic('a', i));
    printer.print(diagnostic('b', 1));
    printer.sourceEnded('a');
    printer.sourceEnded('b');
    expect(printed.map((t) => t.trim().split('\n')[0])).toEqual(['a:1:1: error: bad 1', 'a:2:1: error: bad 2', 'b:1:1: error: bad 1', 'corotone: a: 5 errors (the first 2 shown, and 3 more)']);
  });

  it('does not cap a source typed at a terminal', () => {
    const printed: string[] = [];
    const printer = new DiagnosticPrinter((t) => printed.push(t), (source) => source === '<stdin>', 2);
    for (let i = 1; i <= 5; i++) printer.print(diagnostic('<stdin>', i));
    printer.sourceEnded('<stdin>');
    expect(printed).toHaveLength(5);
  });
});
