import type { Invocation } from '../language/command';
import type { PythonForm, PythonScope } from '../python/form';
import { pyString } from '../python/quote';

type Form<A> = PythonForm<A, Invocation>;

export const tasksPython: Form<void> = {
  write(_args, py) {
    py.line('for task in asyncio.all_tasks():');
    py.block(() => py.line('print(task, file=sys.stderr)'));
  },
};

export const cancelPython: Form<{ text: string }> = {
  canFail: () => true,
  write({ text }, py) {
    const task = py.task(text);
    if (task !== null) {
      // asyncio's cancel() of a task that has ended does nothing and returns False; corotone's line fails there
      py.line(`if not ${task}.cancel():`);
      py.block(() => py.line(`raise RuntimeError(${pyString(`no running task "${text}"`)})`));
    }
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(text) && !/^t\d+$/i.test(text)) {
      // A live loop's name (with none playing, the KeyError fails the line, as corotone's cancel does).
      py.need('live');
      py.line(`live_tasks[${pyString(text.toLowerCase())}].cancel()  # the live loop ${text}`);
    } else py.unfaithful(/^\d+$/.test(text) ? 'a task id is corotone\'s own numbering' : `no task named ${text} was started before this line`);
  },
};

/** Why stop and panic in a task are not exported: only main()'s own task can say which tasks to spare. */
const spares = (command: string) => `${command} inside a task spares the tasks that run it; asyncio has no such family of tasks to spare`;

/** Cancel every task but this one. */
function cancelOthers(py: PythonScope<Invocation>, first: string): void {
  py.line(first);
  py.block(() => {
    py.line('if task is not asyncio.current_task():');
    py.block(() => py.line('task.cancel()'));
  });
}

export const stopPython: Form<void> = {
  write(_args, py) {
    if (!py.ownTask) py.unfaithful(spares('stop'));
    else cancelOthers(py, 'for task in asyncio.all_tasks():  # stop: cancel everything else this program runs');
  },
};

export const panicPython: Form<void> = {
  write(_args, py) {
    if (!py.ownTask) {
      py.unfaithful(spares('panic'));
      return;
    }
    py.line('notes.clear()  # panic: silence at once, and cancel every task but this one');
    cancelOthers(py, 'for task in asyncio.all_tasks():');
  },
};

export const failPython: Form<string> = {
  write(message, py) {
    py.line(`raise RuntimeError(${pyString(message)})`);
  },
  canFail: () => true,
};
