import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyComment } from '../python/quote';

/** cue and sync are an asyncio.Event: set then clear, and wait. */
export const cuePython: PythonForm<string, Invocation> = {
  write(name, py) {
    const event = py.cue(name);
    py.line(`${event}.set()  # cue ${pyComment(name)}: every sync waiting now goes on`);
    py.line(`${event}.clear()  # a sync from now on waits for the next cue`);
  },
};

export const syncPython: PythonForm<string, Invocation> = {
  call: (name, py) => `${py.cue(name)}.wait()`,
  waits: () => true,
};
