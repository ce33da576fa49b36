import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';

export const quitPython: PythonForm<void, Invocation> = {
  write(_args, py) {
    py.line('notes.clear()  # quit: silence, cancel every task (this one too) and end');
    py.line('for task in asyncio.all_tasks():');
    py.block(() => py.line('task.cancel()'));
    py.line('return');
  },
};
