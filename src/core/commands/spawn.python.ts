import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';

/**
 * `t1 = asyncio.create_task(...)`, named as corotone names it where main() starts it;
 * with a tempo in the script, in a context of its own that starts at the spawner's tempo.
 */
export const spawnPython: PythonForm<Invocation, Invocation> = {
  write(body, py) {
    const name = py.nameTask();
    if (name === null) {
      py.line(`asyncio.create_task(${py.coroutine(body)}${py.spawnOptions()})`);
      return;
    }
    const coro = py.coroutine(body, `${name}_body`);
    py.line(`${name} = asyncio.create_task(${coro}${py.spawnOptions()})`);
    // corotone starts the next line as a task of its own, so the new task's first step comes first.
    if (py.ownTask) py.line(`await asyncio.sleep(0)  # ${name} starts before the next line`);
  },
  children: (body) => [body],
  canFail: () => false,
  waits: () => false,
};
