import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';
import { crowdAtOneInstant, quietScript, quietText, racyScript } from '../../support/debug/scripts';

const dir = mkdtempSync(join(tmpdir(), 'corotone-interleavings-'));
let count = 0;

async function interleavings(text: string, extra: string[] = []) {
  const name = `s${count++}.txt`;
  writeFileSync(join(dir, name), text);
  const { code, stdout, stderr } = await runCli([name, '--interleavings', ...extra], undefined, dir);
  const out = stdout.toString('utf8');
  const last = /^interleavings: (\d+) orders? run, (\d+) distinct outcomes?$/m.exec(out.trimEnd().split('\n').at(-1)!);
  return { code, out, stderr, runs: Number(last?.[1]), outcomes: Number(last?.[2]) };
}

describe('corotone SCRIPT --interleavings', () => {
  it('a cue and a sync at one instant: 2 outcomes, the order that makes the other, and where they part', async () => {
    const r = await interleavings('wait 1; sync go; beep C5 1 &\nwait 1; cue go\n');
    expect(r.code).toBe(0);
    expect(r.outcomes).toBe(2);
    expect(r.out).toContain("outcome 1, asyncio's order (first in, first out)");
    expect(r.out).toMatch(/outcome 2: \d+ of \d+ orders\n/);
    expect(r.out).toMatch(/parts from outcome 1 at 1 s: task \d+ "wait 1" \(s\d+\.txt:2\) ran before task \d+ "wait 1; sync go; beep C5 1" \(s\d+\.txt:1\)/);
    expect(r.out).toMatch(/at 1 s run task \d+ "cue go" \(s\d+\.txt:2\) first \(of 2 ready\)/);
  });

  it('finds 2 or more outcomes in unseen scripts with a same-instant race, and exactly 1 where there is none', async () => {
    await fc.assert(
      fc.asyncProperty(racyScript, async ({ text }) => {
        const r = await interleavings(text);
        expect(r.code).toBe(0);
        expect(r.outcomes).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 3 },
    );
    await fc.assert(
      fc.asyncProperty(quietScript, async (lines) => {
        const r = await interleavings(quietText(lines));
        expect(r.code).toBe(0);
        expect(r.outcomes).toBe(1);
      }),
      { numRuns: 3 },
    );
  });

  it('stays within --budget with 12 tasks ready at one instant, and says that orders were left', async () => {
    const r = await interleavings(crowdAtOneInstant(12), ['--budget', '25']);
    expect(r.runs).toBe(25);
    expect(r.out).toMatch(/budget spent: \d+ more orders? could matter \(raise --budget\)/);
  });

  it('refuses a budget that is not a whole number, and --budget without --interleavings', async () => {
    const bad = await runCli(['resources/examples/races.txt', '--interleavings', '--budget', '2.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--budget takes a whole number of orders from 1 to 100,000, not 2\.5/);
    const alone = await runCli(['resources/examples/races.txt', '--budget', '5']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--budget goes with --interleavings/);
  });
});
