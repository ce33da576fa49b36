import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';

export const blockPython: PythonForm<number, Invocation> = {
  write(ns, py) {
    py.line(`time.sleep(${py.duration(ns)})  # blocks the event loop's thread: nothing else runs`);
  },
};

export const offloadPython: PythonForm<number, Invocation> = {
  // As a part or a task: a coroutine around run_in_executor.
  call: (ns, py) => `asyncio.to_thread(time.sleep, ${py.duration(ns)})`,
  write(ns, py) {
    py.line(`await loop.run_in_executor(None, time.sleep, ${py.duration(ns)})  # in a worker thread`);
  },
  waits: (ns, facts) => facts.takesTime(ns),
  offloads: true,
};
