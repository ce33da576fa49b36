import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyString } from '../python/quote';

export const repeatPython: PythonForm<{ count: number; body: Invocation }, Invocation> = {
  write({ count, body }, py) {
    py.line(`for _ in range(${typeof count === 'number' ? count : py.value(count)}):`);
    py.block(() => py.body(body, { main: false }));
  },
  children: ({ body }) => [body],
  waits: ({ count, body }, facts) => count !== 0 && facts.waits(body),
};

export const loopPython: PythonForm<Invocation, Invocation> = {
  write(body, py) {
    if (py.waits(body)) {
      py.line('while True:');
      py.block(() => py.body(body, { main: false }));
      return;
    }
    // corotone fails such a loop after one pass; in Python it would hold the event loop forever.
    py.line('# A pass of this loop never waits, so "while True" would hold the event loop forever:');
    py.line('# corotone runs one pass and fails instead, and so does this.');
    py.body(body, { main: false });
    const message = `loop never waits: one pass of "${body.text}" took no time, so the loop would hold the scheduler forever`;
    py.line(`raise RuntimeError(${pyString(message)})`);
    py.warn(`"${py.text}" never waits: written as one pass and an error, as corotone runs it`);
  },
  children: (body) => [body],
  canFail: (body, facts) => !facts.waits(body) || facts.canFail(body),
};
