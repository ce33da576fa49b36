import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toPython } from '../../../src/core/python';
import { findPython } from '../../support/python/python3';
import { runCli } from '../../support/run-cli';

const missing = findPython();
const dir = mkdtempSync(join(tmpdir(), 'corotone-quoting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file the injected code would create: it must never appear. */
const MARK = join(dir, 'injected');

/** Text that tries to end each place user text can stand in, then runs `open(MARK, "w")`. */
const call = `open(${JSON.stringify(MARK)}, "w")`;
const ATTACKS = [
  `"""+str(${call})+"""`,
  `"+str(${call})+"`,
  `\\"+str(${call})#`,
  `'''+str(${call})+'''`,
  `\n${call}\n`,
  `\r${call}#`,
  `\u2028${call}`,
  `\u0085${call}`,
  `\0${call}`,
  `\ud800"""\n${call}`,
];

/** Arbitrary text (any code unit, lone surrogates included) around an attack. */
const hostile = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...ATTACKS), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '\\', '"', '\r', '\u2029', '\udc00'))
  .map(([before, attack, after, tail]) => before + attack + after + tail);

/**
 * One script with `text` in every place user text reaches the program: its
 * file name, its opening story, a line's comment, a fail message, a racer's
 * name, a cue, a live loop, a phrase, a task to cancel, an unreadable line.
 */
function exported(text: string): { source: string; code: string } {
  const word = text.replace(/[\s;|&#]/g, '_') || '_';
  const source = `x${text}.txt`;
  const script = [
    `# ${text}`,
    '',
    `beep 60 0.1  # ${text}`,
    `fail ${text}`,
    `race wait 0.1 | fail ${text}`,
    `cue ${word}`,
    `live ${word} wait 0.25`,
    `def ${word} wait 0.1`,
    word,
    `cancel ${word}`,
    `help ${word}`,
    text,
    'wait 0.5',
    'stop',
  ].join('\n');
  return { source, code: toPython(script, source).code };
}

/**
 * Parses, compiles and runs (`--events --until 1`) each program in one python3;
 * prints one line for each: `ok`, or what went wrong.
 */
const HARNESS = String.raw`
import ast, contextlib, io, json, sys
results = []
for code in json.load(sys.stdin):
    try:
        ast.parse(code)
        compiled = compile(code, "exported.py", "exec")
    except Exception as error:
        results.append("does not parse: " + repr(error))
        continue
    sys.argv = ["exported.py", "--events", "--until", "1"]
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            exec(compiled, {"__name__": "__main__"})
        results.append("ok")
    except BaseException as error:
        results.append("fails: " + repr(error))
print(json.dumps(results))
`;

function runAll(codes: string[]): string[] {
  const run = spawnSync('python3', ['-c', HARNESS], { input: JSON.stringify(codes), encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 });
  expect(run.error, run.stderr).toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe.skipIf(missing !== null)('user text in the exported program stays text', () => {
  it('whatever a name, comment or message holds, the program parses, runs, and runs none of it', () => {
    const texts = fc.sample(hostile, { numRuns: 60, seed: 16 });
    const results = runAll(texts.map((text) => exported(text).code));
    const bad = results.map((result, i) => ({ text: texts[i], result })).filter((r) => r.result !== 'ok');
    expect(bad).toEqual([]);
    expect(existsSync(MARK)).toBe(false);
  });

  it('a script whose file name is code: corotone FILE --to-python out.py, then python3 out.py, runs none of it', async () => {
    const work = mkdtempSync(join(dir, 'cli-'));
    const name = 'x"""+str(__import__("os").system("touch PWNED"))+""".txt';
    writeFileSync(join(work, name), 'beep 60 0.25\n');
    const result = await runCli([name, '--to-python', 'out.py'], undefined, work);
    expect(result.code, result.stderr).toBe(0);
    const run = spawnSync('python3', ['out.py', '--events'], { cwd: work, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"notes"');
    expect(existsSync(join(work, 'PWNED'))).toBe(false);
  });

  it('the warnings name such a file without a control character a terminal would obey', async () => {
    const work = mkdtempSync(join(dir, 'cli-'));
    const name = 'x\x1b]0;owned\x07\x1b[2J.txt';
    writeFileSync(join(work, name), 'help\n');
    const result = await runCli([name, '--to-python', 'out\x1b[2J.py'], undefined, work);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('x\\x1b]0;owned\\x07\\x1b[2J.txt:1:1: warning: not exported');
    expect(result.stderr).toContain('wrote out\\x1b[2J.py');
    expect(result.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
