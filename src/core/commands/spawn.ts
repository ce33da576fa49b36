import { defineCommand, INVALID } from '../language/command';
import { parseBody } from './body';
import { spawnPython } from './spawn.python';

// asyncio's create_task in the note language: `spawn CMD`, or `CMD &`.

export const spawn = defineCommand({
  name: 'spawn',
  python: spawnPython,
  usage: 'spawn CMD   (or: CMD &)',
  example: 'spawn repeat 3 beep G4 0.3',
  summary: 'run CMD in a task of its own and go on at once; prints its name (t1, t2 ...)',
  sequence: true,
  parse(r, ctx) {
    return parseBody(r.rest(), r, ctx) ?? INVALID;
  },
  *run(body, ctx) {
    const task = ctx.spawn(body, { kind: 'spawned' });
    const name = ctx.tasks.nameTask(task);
    ctx.output(`[${name}] ${body.text}`);
    return name;
  },
});
