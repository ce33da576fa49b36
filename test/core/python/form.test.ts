import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCommands, textOf } from '../../../src/core/commands';
import { defineCommand, INVALID } from '../../../src/core/language/command';
import { toPython } from '../../../src/core/python';
import { pyString } from '../../../src/core/python/quote';

/** The command of CONTRIBUTING.md's "Add a command", with its Python form. */
const say = defineCommand({
  name: 'say',
  usage: 'say TEXT',
  summary: 'print TEXT',
  parse(r, ctx) {
    const words = r.rest();
    if (words.length === 0) {
      r.missing('some text');
      return INVALID;
    }
    return textOf(ctx, words);
  },
  *run(text, ctx) {
    ctx.output(text);
  },
  python: {
    write(text, py) {
      py.line(`print(${pyString(text)}, file=sys.stderr)`);
    },
  },
});

describe('a command owns its Python form', () => {
  it('a command added to the table is exported as its form says, inside the constructs around it', () => {
    const { code, warnings } = toPython('repeat 2 say hello "there"\nsay done', 'say.txt', builtinCommands.with(say));
    expect(warnings).toEqual([]);
    expect(code).toContain('    for _ in range(2):\n        print("hello \\"there\\"", file=sys.stderr)\n    print("done", file=sys.stderr)\n');
    const probe = spawnSync('python3', ['-c', 'import sys; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
    if (probe.stdout?.trim() !== 'True') return;
    const dir = mkdtempSync(join(tmpdir(), 'corotone-form-'));
    try {
      writeFileSync(join(dir, 'say.py'), code);
      const run = spawnSync('python3', [join(dir, 'say.py'), '--events'], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe('hello "there"\nhello "there"\ndone\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a command without one is a marked comment, and a warning with its place', () => {
    const { python: _, ...plain } = say;
    const { code, warnings } = toPython('say hello', 'say.txt', builtinCommands.with(plain));
    expect(code).toContain('# NOT EXPORTED (corotone: say hello): say is corotone\'s own; it has no asyncio form');
    expect(warnings.map((w) => `${w.line}:${w.col}`)).toEqual(['1:1']);
  });
});
