import type { Invocation } from '../language/command';
import type { PythonForm, PythonScope } from '../python/form';
import { pyString } from '../python/quote';

type Parts = PythonForm<Invocation[], Invocation>;

function taskGroup(parts: Invocation[], py: PythonScope<Invocation>): void {
  const coros = parts.map((part) => py.coroutine(part));
  py.line('async with asyncio.TaskGroup() as tg:');
  py.block(() => {
    for (const coro of coros) py.line(`tg.create_task(${coro})`);
  });
}

/** gather is asyncio.TaskGroup until the language has `group` for that. */
export const gatherPython: Parts = {
  write(parts, py) {
    if (!py.has('group')) taskGroup(parts, py);
    else py.line(`await asyncio.gather(${parts.map((part) => py.coroutine(part)).join(', ')})`);
  },
  children: (parts) => parts,
  groups: (_parts, facts) => !facts.has('group'),
};

export const groupPython: Parts = {
  write: taskGroup,
  children: (parts) => parts,
  groups: () => true,
};

export const settlePython: Parts = {
  write(parts, py) {
    const coros = parts.map((part) => py.coroutine(part));
    py.line(`results = await asyncio.gather(${[...coros, 'return_exceptions=True'].join(', ')})`);
    py.line('print(results, file=sys.stderr)');
  },
  children: (parts) => parts,
  canFail: () => false,
};

export const racePython: Parts = {
  write(parts, py) {
    const racers = parts.map((part) => `asyncio.create_task(${py.coroutine(part)}, name=${pyString(part.text)})`);
    py.line(`racers = [${racers.join(', ')}]`);
    py.line('done, pending = await asyncio.wait(racers, return_when=asyncio.FIRST_COMPLETED)');
    py.line('for task in pending:');
    py.block(() => py.line('task.cancel()'));
    py.line('if pending:');
    py.block(() => py.line('await asyncio.wait(pending)  # their cleanup runs: their notes stop'));
    py.line('winner = next(task for task in racers if task in done)');
    py.line('print("race: first to finish:", winner.get_name(), file=sys.stderr)');
    py.line('winner.result()  # the winner\'s exception, if it failed');
  },
  children: (parts) => parts,
  waits: (parts, facts) => parts.every((part) => facts.waits(part)),
};

export const timeoutPython: PythonForm<{ ns: number; body: Invocation }, Invocation> = {
  write({ ns, body }, py) {
    py.line(`async with asyncio.timeout(${py.duration(ns)}):`);
    py.block(() => py.body(body));
  },
  children: ({ body }) => [body],
  canFail: () => true,
  waits: ({ ns, body }, facts) => facts.takesTime(ns) && facts.waits(body),
};
