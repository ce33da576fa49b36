import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, runCli } from '../../support/run-cli';

const LESSONS = join(ROOT, 'resources/examples');

/** The output split at each echoed command: [command, the lines it printed]. */
function answers(stdout: string): [string, string[]][] {
  const blocks: [string, string[]][] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('(step) ')) blocks.push([line.slice(7), []]);
    else if (blocks.length > 0 && line !== '') blocks[blocks.length - 1][1].push(line);
  }
  return blocks;
}

const ranId = (line: string) => Number(/ ran task (\d+) /.exec(line)![1]);

describe('corotone SCRIPT --step, commands from a pipe', () => {
  it('prints one resumption per s, and ready lists the queue in the order the next steps run it', async () => {
    const commands = Array.from({ length: 16 }, () => 'ready\ns\ns\ns').join('\n');
    const { code, stdout } = await runCli(['races.txt', '--step'], `${commands}\nq\n`, LESSONS);
    expect(code).toBe(0);
    const blocks = answers(stdout.toString('utf8'));
    const steps = blocks.filter(([c]) => c === 's');
    expect(steps).toHaveLength(48);
    for (const [, lines] of steps) {
      expect(lines.filter((l) => / ran task \d+ /.test(l))).toHaveLength(1);
      expect(lines.at(-1)).toMatch(/^1 resumption; now at [\d.]+ s$/);
    }
    let checked = 0;
    let several = 0;
    blocks.forEach(([command, lines], i) => {
      if (command !== 'ready') return;
      const listed = lines.slice(1).map((l) => Number(/^ {2}\d+\. task (\d+) /.exec(l)![1]));
      const next = blocks.slice(i + 1, i + 1 + Math.min(3, listed.length)).map(([, ls]) => ranId(ls.find((l) => / ran task /.test(l))!));
      expect(next).toEqual(listed.slice(0, next.length));
      checked += next.length;
      if (next.length > 1) several++;
    });
    expect(checked).toBeGreaterThan(10);
    // Some of the lists hold several tasks of one instant, run in that order.
    expect(several).toBeGreaterThanOrEqual(2);
  });

  it('b LINE and c stop before the line runs; timers, tree, a bad command and q answer with the time', async () => {
    const input = ['b 29', 'c', 'timers', 'tree', 'frobnicate', 'n', 'q'].join('\n');
    const { code, stdout, stderr } = await runCli(['races.txt', '--step'], `${input}\n`, LESSONS);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const blocks = new Map(answers(stdout.toString('utf8')));
    expect(blocks.get('b 29')).toEqual(['breakpoint 1 at races.txt:29; now at 0 s']);
    expect(blocks.get('c')!.at(-1)).toMatch(/^breakpoint: task \d+ "wait 1; cue go" \(races\.txt:29\) is next, at 0 s$/);
    expect(blocks.get('timers')![0]).toBe('timers at 0 s: 1');
    expect(blocks.get('timers')![1]).toMatch(/^ {2}1 s {2}task \d+ "wait 1; sync go; beep C5 1" \(races\.txt:28\)$/);
    expect(blocks.get('tree')!.join('\n')).toMatch(/└── task 1 "races\.txt" \(races\.txt\): awaits task \d+\n {4}└── task \d+ "wait 1; cue go" \(races\.txt:29\): ready/);
    expect(blocks.get('frobnicate')![0]).toMatch(/^unknown command "frobnicate": expected s, n, c/);
    expect(blocks.get('n')!.at(-2)).toBe('time moves to 1 s');
  });
});
