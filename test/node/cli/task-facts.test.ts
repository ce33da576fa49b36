import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';

describe('corotone --events: the task facts a tool reads', () => {
  it('names spawned tasks, says who cancelled what and why, and lists the awaited ids', async () => {
    const script = 'beep 60 2 &\nrace wait 0.5 | beep 64 1\ncancel t1\n';
    const { code, stdout } = await runCli(['--events'], script);
    expect(code).toBe(0);
    const events = stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    const created = (name: string) => events.find((e) => e.type === 'task-created' && e.name === name);
    const spawned = created('beep 60 2');
    expect(spawned).toMatchObject({ kind: 'spawned' });
    expect(events.filter((e) => e.type === 'task-named')).toEqual([expect.objectContaining({ id: spawned.id, alias: 't1', source: '<stdin>' })]);
    const race = created('race wait 0.5 | beep 64 1');
    const [wait, beep] = [created('wait 0.5'), created('beep 64 1')];
    expect(events.find((e) => e.type === 'task-waiting' && e.id === race.id).on).toEqual({ kind: 'tasks', ids: [wait.id, beep.id] });
    expect(events.find((e) => e.type === 'task-cancelled' && e.id === beep.id)).toMatchObject({ t: 0.5, by: wait.id, reason: 'race' });
    expect(events.find((e) => e.type === 'task-cancelled' && e.id === spawned.id)).toMatchObject({ t: 0.5, by: created('cancel t1').id, reason: 'cancel' });
  });
});

describe('corotone --check: the limits of a line', () => {
  it('finds a block over the limit and a line nested too deep, located, without running anything', async () => {
    const { code, stderr } = await runCli(['--check', '-'], `beep 60\nblock 9007199\nbeep 60 0.01${' &'.repeat(1000)}\n`);
    expect(code).toBe(1);
    expect(stderr).toMatch(/:2:7: error: block too long: expected at most 60 seconds, found "9007199"/);
    expect(stderr).toMatch(/:3:\d+: error: too deeply nested/);
    expect(stderr).not.toMatch(/internal error|Maximum call stack/);
  });
});
