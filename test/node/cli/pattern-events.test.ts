import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';

/** The JSON lines of `corotone --events`, parsed. */
async function events(script: string): Promise<{ type: string; t: number; ns?: number; notes?: number[]; index?: number; hit?: boolean; taskId?: number }[]> {
  const { code, stdout, stderr } = await runCli(['--events'], script);
  expect(code, stderr).toBe(0);
  return stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
}

describe('corotone --events: patterns as a tool reads them', () => {
  it('a seq strikes its steps on exact logical times, and states each step', async () => {
    const all = await events('bpm 120\nseq 0.5 C5 [E5 G5] _ E3:minor\n');
    const notes = all.filter((e) => e.type === 'notes').map((e) => `${e.ns}:${e.notes!.join(',')}`);
    // a beat is 0.5 s at bpm 120: steps 0.25 s apart, the halves 0.125 s
    expect(notes).toEqual(['0:60', '250000000:64', '375000000:67', '500000000:', '750000000:40,43,47', '1000000000:']);
    const steps = all.filter((e) => e.type === 'step');
    expect(steps.map((e) => `${e.index}${e.hit ? 'x' : '.'}@${e.t}`)).toEqual(['0x@0', '1x@0.25', '2.@0.5', '3x@0.75']);
    const seq = all.find((e) => e.type === 'task-created' && (e as { name?: string }).name === 'seq 0.5 C5 [E5 G5] _ E3:minor') as { id: number } | undefined;
    expect(steps.every((e) => e.taskId === seq?.id)).toBe(true);
  });

  it('euclid 3 8 strikes on steps 0, 3 and 6', async () => {
    const all = await events('euclid 3 8 0.25 beep C5 0.125\n');
    const onsets = all.filter((e) => e.type === 'notes' && e.notes!.length > 0).map((e) => e.ns);
    expect(onsets).toEqual([0, 750000000, 1500000000]);
  });

  it('a bad pattern is a located error, and the lines after it play', async () => {
    const { stdout, stderr } = await runCli(['--events'], 'seq 0.25 C5 [E5\nbeep C6 0.25\n');
    expect(stderr).toContain('<stdin>:1:13: error: unclosed "[": expected "]" before the end of the line');
    const notes = stdout.toString().trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'notes');
    expect(notes.map((e) => e.notes.join(','))).toEqual(['72', '']);
  });
});
