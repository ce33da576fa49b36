import { CancelledError, describeError } from '../../scheduler/errors';
import { Future } from '../../scheduler/future';
import { join, sleepNs } from '../../scheduler/ops';
import { Task } from '../../scheduler/task';
import { defineCommand, type Invocation, type RunContext } from '../command';
import { CommandError, quote } from '../diagnostics';
import { runInvocation } from '../interpreter';
import type { Token } from '../tokens';
import { commandError, parseBody, parseParts, textOf } from './parts';
import { TaskWatch, watchLabel } from './watch';

// The commands that start, combine, list and stop tasks: asyncio's create_task,
// TaskGroup/gather, gather(return_exceptions=True), wait(FIRST_COMPLETED),
// wait_for, all_tasks and Task.cancel, in the note language.

export const spawn = defineCommand({
  name: 'spawn',
  usage: 'spawn CMD   (or: CMD &)',
  summary: 'run CMD in a task of its own and go on at once; prints its name (t1, t2 ...)',
  sequence: true,
  parse(r, ctx) {
    return parseBody(r.rest(), r, ctx);
  },
  *run(body, ctx) {
    const task = ctx.spawn(body!, { kind: 'spawned' });
    const name = ctx.tasks.nameTask(task);
    ctx.output(`[${name}] ${body!.text}`);
    return name;
  },
});

function outcomeError(task: Task<unknown>): unknown {
  return task.state === 'failed' ? task.error : new CancelledError();
}

function* cancelAll(ctx: RunContext, watch: TaskWatch) {
  for (const task of watch.tasks) ctx.scheduler.cancel(task);
  // Wait for their cleanup (a cancelled chord releases its notes) before going on.
  yield* watch.drain();
}

export const gather = defineCommand({
  name: 'gather',
  usage: 'gather CMD | CMD | ...',
  summary: 'run the commands together and wait for all; the first failure cancels the rest and fails the gather',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx) {
    const tasks = parts!.map((part) => ctx.spawn(part));
    const watch = new TaskWatch(ctx.scheduler, tasks, watchLabel('all of', tasks));
    try {
      for (;;) {
        const task = yield* watch.next();
        if (task === undefined) return tasks.map((t) => t.result);
        if (task.state !== 'done') {
          // asyncio.TaskGroup: one failure cancels the siblings, then the group fails with it.
          yield* cancelAll(ctx, watch);
          throw outcomeError(task);
        }
      }
    } finally {
      // Cancelled while waiting: the parts go too.
      for (const task of tasks) ctx.scheduler.cancel(task);
    }
  },
});

export const settle = defineCommand({
  name: 'settle',
  usage: 'settle CMD | CMD | ...',
  summary: 'run the commands together, let each run to its end, then print how each ended',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx) {
    // quiet: a part's failure is a result to print, not an error of the line.
    const tasks = parts!.map((part) => ctx.spawn(part, { quiet: true }));
    const endedAt = new Map<Task<unknown>, number>();
    const watch = new TaskWatch(ctx.scheduler, tasks, watchLabel('all of', tasks));
    try {
      for (;;) {
        const task = yield* watch.next();
        if (task === undefined) break;
        endedAt.set(task, ctx.scheduler.now);
      }
    } finally {
      for (const task of tasks) ctx.scheduler.cancel(task);
    }
    const count = (state: string) => tasks.filter((t) => t.state === state).length;
    const lines = [`settle: ${count('done')} done, ${count('failed')} failed, ${count('cancelled')} cancelled`];
    tasks.forEach((task, i) => {
      const at = `at ${formatSeconds(endedAt.get(task) ?? ctx.scheduler.now)} s`;
      const why = task.state === 'failed' ? `: ${failureText(task.error)}` : '';
      lines.push(`  ${i + 1}. ${task.state.padEnd(9)} ${at.padEnd(10)} ${parts![i].text}${why}`);
    });
    ctx.output(lines.join('\n'));
    return tasks.map((t) => (t.state === 'done' ? t.result : t.error));
  },
});

export const race = defineCommand({
  name: 'race',
  usage: 'race CMD | CMD | ...',
  summary: 'run the commands together; the first to finish wins and the rest are cancelled',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx) {
    const tasks = parts!.map((part) => ctx.spawn(part));
    const watch = new TaskWatch(ctx.scheduler, tasks, watchLabel('first of', tasks));
    try {
      for (;;) {
        const task = yield* watch.next();
        // Every part was cancelled from outside: so is the race.
        if (task === undefined) throw new CancelledError();
        // A part cancelled from outside drops out; the others race on.
        if (task.state === 'cancelled') continue;
        yield* cancelAll(ctx, watch);
        if (task.state === 'failed') throw task.error;
        ctx.output(`race: first to finish: ${parts![tasks.indexOf(task)].text}`);
        return task.result;
      }
    } finally {
      for (const task of tasks) ctx.scheduler.cancel(task);
    }
  },
});

/** The timer of `timeout`: a task that sleeps, so the timeline shows the deadline. */
const timer = defineCommand<number>({
  name: 'timer',
  usage: 'timer S',
  summary: 'sleep S seconds (the deadline of a timeout)',
  parse() {
    return 0;
  },
  *run(ns) {
    yield* sleepNs(ns);
  },
});

export const timeout = defineCommand({
  name: 'timeout',
  usage: 'timeout S CMD',
  summary: 'run CMD; if it runs longer than S seconds, cancel it and fail with a timeout error',
  sequence: true,
  parse(r, ctx) {
    const word = r.peek();
    const ns = r.duration('a time limit in seconds');
    // Without a good limit the words after it are probably not the command it meant: one error, not two.
    const body = r.failed ? (r.rest(), null) : parseBody(r.rest(), r, ctx);
    return { ns, body, limit: word === undefined ? '' : word.text, at: word };
  },
  *run({ ns, body, limit, at }, ctx, invocation) {
    const child = ctx.spawn(body!);
    const deadline: Invocation = {
      spec: timer,
      args: ns,
      text: `timer ${limit}`,
      pos: { ...invocation.pos, col: at!.col },
      endCol: at!.endCol,
    };
    const clock = ctx.spawn(deadline, { kind: 'timer' });
    const watch = new TaskWatch(ctx.scheduler, [child, clock], watchLabel('first of', [child, clock]));
    try {
      const first = (yield* watch.next())!;
      if (first === clock && clock.state === 'done') {
        yield* cancelAll(ctx, watch);
        throw commandError(invocation, {
          message: `timed out: ${quote(body!.text)} ran longer than ${limit} s and was cancelled`,
          found: `still running after ${limit} s`,
          expected: `done within ${limit} s`,
        });
      }
      ctx.scheduler.cancel(clock);
      if (first !== child) yield* join(child);
      if (child.state === 'done') return child.result;
      throw outcomeError(child);
    } finally {
      ctx.scheduler.cancel(child);
      ctx.scheduler.cancel(clock);
    }
  },
});

const MAX_REPEAT = 1_000_000;

export const repeat = defineCommand({
  name: 'repeat',
  usage: 'repeat N CMD',
  summary: 'run CMD N times, one after another',
  sequence: true,
  parse(r, ctx) {
    const word = r.word('a count N');
    let count = NaN;
    if (word !== undefined) {
      if (/^\d+$/.test(word.text) && Number(word.text) <= MAX_REPEAT) count = Number(word.text);
      else {
        r.error(word, {
          message: `expected a count 0..${MAX_REPEAT}, found ${quote(word.text)}`,
          found: word.text,
          expected: `a whole number 0..${MAX_REPEAT}`,
          hint: 'for a phrase that goes on until stopped, use "loop CMD"',
        });
      }
    }
    return { count, body: r.failed ? (r.rest(), null) : parseBody(r.rest(), r, ctx) };
  },
  *run({ count, body }, ctx) {
    // In this task, as `for _ in range(n): await body()` runs in the task that awaits.
    for (let i = 0; i < count; i++) yield* runInvocation(body!, ctx);
  },
});

/** Logical time a loop's own descendants held the thread with `block` (virtual clock), per running loop. */
const blockedByLoop = new WeakMap<Task<unknown>, { ns: number }>();

/** `block` tells the loops it runs inside how long it held the clock, so they do not count it as waiting. */
export function noteBlocked(current: Task<unknown> | null, ns: number): void {
  for (let t = current; t !== null; t = t.parent) {
    const state = blockedByLoop.get(t);
    if (state !== undefined) state.ns += ns;
  }
}

export const loop = defineCommand({
  name: 'loop',
  usage: 'loop CMD',
  summary: 'run CMD again and again until cancelled (CMD must take time)',
  sequence: true,
  parse(r, ctx) {
    return parseBody(r.rest(), r, ctx);
  },
  *run(body, ctx, invocation) {
    const self = ctx.scheduler.current!;
    const blocked = { ns: 0 };
    blockedByLoop.set(self, blocked);
    try {
      for (;;) {
        const start = ctx.scheduler.nowNanos;
        const blockedBefore = blocked.ns;
        // Each pass runs in the loop's own task (`while True: await body()`): no task per pass, so
        // ten thousand loops cost no more per resumption than ten.
        yield* runInvocation(body!, ctx);
        // A pass that took no logical time (or only time it held the thread) never let
        // the driver run: looping on would hang the scheduler. Fail now instead.
        const waited = ctx.scheduler.nowNanos - start - (blocked.ns - blockedBefore);
        if (waited <= 0) {
          throw commandError(invocation, {
            message: `loop never waits: one pass of ${quote(body!.text)} took no time, so the loop would hold the scheduler forever`,
            found: `${quote(body!.text)}, which takes no time`,
            expected: 'a body that waits (wait, beep, chord, offload ...)',
            hint: `give each pass some time, e.g. "loop ${body!.text}; wait 1"`,
          });
        }
      }
    } finally {
      blockedByLoop.delete(self);
    }
  },
});

export const tasks = defineCommand({
  name: 'tasks',
  usage: 'tasks',
  summary: 'list the running tasks: name, id, state, what each waits on, its command',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    const rows = ctx.tasks.live().map((task) => [
      ctx.tasks.nameOf(task) ?? '-',
      String(task.id),
      task.state,
      waitsOn(task, ctx),
      task.source,
      task.kind === 'source' ? `(source ${task.name})` : task.name,
    ]);
    ctx.output(formatTable(['name', 'id', 'state', 'waits on', 'source', 'command'], rows));
  },
});

function waitsOn(task: Task<unknown>, ctx: RunContext): string {
  const on = task.waitingOn;
  if (on instanceof Task) {
    const name = ctx.tasks.nameOf(on);
    return `task ${on.id}${name !== undefined ? ` (${name})` : ''}`;
  }
  if (on instanceof Future) return on.label;
  if (task.state === 'sleeping') return 'a timer';
  return '';
}

function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export const cancel = defineCommand({
  name: 'cancel',
  usage: 'cancel NAME|ID',
  summary: 'cancel a task by its name (t1) or id; its cleanup runs (a chord releases its notes)',
  parse(r) {
    const word = r.word('a task name (t1, t2 ...) or id');
    r.end();
    return word ?? ({ text: '', col: 0, endCol: 0 } satisfies Token);
  },
  *run(word, ctx, invocation) {
    const task = ctx.tasks.find(word.text);
    if (task === undefined) {
      throw commandError(
        invocation,
        {
          message: `no running task ${quote(word.text)}: expected the name (t1, t2 ...) or id of a running task`,
          found: word.text,
          expected: 'a running task',
          hint: 'type "tasks" to list the running tasks',
        },
        word,
      );
    }
    ctx.tasks.cancel(task);
    const name = ctx.tasks.nameOf(task);
    ctx.output(`cancelled ${name !== undefined ? `${name} (task ${task.id})` : `task ${task.id}`}: ${task.name}`);
  },
});

export const stop = defineCommand({
  name: 'stop',
  usage: 'stop',
  summary: 'cancel every other task of this source (what it spawned, loops, chords); the source reads on',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    const count = ctx.tasks.stopSource(ctx.source);
    if (count > 0) ctx.output(`stopped ${count} task${count === 1 ? '' : 's'}`);
  },
});

export const panic = defineCommand({
  name: 'panic',
  usage: 'panic',
  summary: 'cancel every task of every source and silence the sound now',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    ctx.tasks.panic();
  },
});

export const fail = defineCommand({
  name: 'fail',
  usage: 'fail [MESSAGE]',
  summary: 'fail with MESSAGE: an error that travels to whoever waits for this task',
  parse(r, ctx) {
    const words = r.rest();
    return words.length === 0 ? 'failed' : textOf(ctx, words);
  },
  *run(message, _ctx, invocation) {
    throw commandError(invocation, { message });
  },
});

export function failureText(error: unknown): string {
  if (error instanceof CommandError && error.diagnostics.length > 0) {
    const d = error.diagnostics[0];
    return `${d.message} (${d.source}:${d.line}:${d.col})`;
  }
  return describeError(error).message;
}

export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 1e6) / 1e6);
}

