import { defineCommand, INVALID, runningTask, type RunContext } from '../language/command';
import type { Task } from '../scheduler/task';
import { defineSessionSlice } from '../session/state';
import { parseBody } from './body';
import { spawnPython } from './spawn.python';

// asyncio's create_task in the note language: `spawn CMD`, or `CMD &`.

/**
 * The spawns that have printed their task's name, per line or task that ran
 * them (weak: they go with it), by where the spawn is written: a spawn prints
 * the first time its line (or task, or live loop) runs it, and the later passes
 * of a loop, which would print hundreds of names, spawn silently.
 */
const spawnState = defineSessionSlice('spawn', () => ({ printed: new WeakMap<Task<unknown>, Set<string>>() }));

/** Whether this run of the spawn at `site` is the first in its line or task (then it prints the name). */
function firstRun(ctx: RunContext, site: string): boolean {
  let runner = runningTask(ctx);
  while (runner.kind !== 'line' && runner.kind !== 'spawned' && runner.parent !== null) runner = runner.parent;
  const { printed } = spawnState.of(ctx);
  let sites = printed.get(runner);
  if (sites === undefined) printed.set(runner, (sites = new Set()));
  if (sites.has(site)) return false;
  sites.add(site);
  return true;
}

export const spawn = defineCommand({
  name: 'spawn',
  python: spawnPython,
  usage: 'spawn CMD   (or: CMD &)',
  example: 'spawn repeat 3 beep G4 0.3',
  summary: 'run CMD in a task of its own and go on at once; prints its name (t1, t2 ...), once per line that runs it',
  sequence: true,
  parse(r, ctx) {
    return parseBody(r.rest(), r, ctx) ?? INVALID;
  },
  *run(body, ctx, invocation) {
    const task = ctx.spawn(body, { kind: 'spawned' });
    const name = ctx.tasks.nameTask(task);
    const { source, line, col } = invocation.pos;
    if (firstRun(ctx, `${source}:${line}:${col}`)) ctx.output(`[${name}] ${body.text}`);
    return name;
  },
});
