import { commandError, defineCommand, INVALID, type Invocation, type RunContext } from '../language/command';
import { CommandError, quote } from '../language/diagnostics';
import type { CancelCause } from '../scheduler/events';
import { CancelledError, describeError } from '../scheduler/errors';
import { join, sleepNs } from '../scheduler/ops';
import type { Task } from '../scheduler/task';
import { parseBody, parseParts } from './body';
import { nsToSeconds } from '../time';
import { TaskWatch } from './watch';
import { gatherPython, groupPython, racePython, settlePython, timeoutPython } from './together.python';

// Commands run together: asyncio's gather, TaskGroup, gather(return_exceptions=True),
// wait(FIRST_COMPLETED) and wait_for, in the note language.

function outcomeError(task: Task<unknown>): unknown {
  return task.state === 'failed' ? task.error : new CancelledError();
}

/**
 * A part's failure as the construct's own error, said at the construct's
 * line (the part's error was printed where it happened): which construct,
 * which part failed and what that did to the others ("group: square-7
 * failed; cancelled square-5, square-6"). A cancellation goes as it is.
 */
function partFailure(invocation: Invocation, failed: string, error: unknown, others: string): unknown {
  if (!(error instanceof CommandError)) return error;
  const { pos } = invocation;
  const message = `${invocation.spec.name}: ${failed} failed${others}`;
  return new CommandError([{ source: pos.source, line: pos.line, col: pos.col, endCol: invocation.endCol, message }]);
}

/** The parts not ended yet, by their text: `a, b`. */
function openParts(tasks: readonly Task<unknown>[], parts: readonly { text: string }[]): string[] {
  return parts.filter((_, i) => !tasks[i].ended).map((p) => p.text);
}

/** Cancel every watched task (saying who and why), and wait for their cleanup (a cancelled chord releases its notes). */
function* cancelAll(ctx: RunContext, watch: TaskWatch, cause: CancelCause) {
  for (const task of watch.tasks) ctx.scheduler.cancel(task, 'cancelled', cause);
  yield* watch.drain();
}

/** The tasks a command started, cancelled because the command itself ends (cancelled while it waited). */
function cancelLeftovers(ctx: RunContext, tasks: readonly Task<unknown>[]): void {
  const by = ctx.scheduler.current?.id ?? 'cancel';
  for (const task of tasks) ctx.scheduler.cancel(task, 'cancelled', { by, reason: 'owner-ended' });
}

export const gather = defineCommand({
  name: 'gather',
  python: gatherPython,
  usage: 'gather CMD | CMD | ...',
  example: 'gather beep C4 1 | beep E4 0.5 | beep G4 0.25',
  summary: 'run the commands together and wait for all; the first failure fails the gather at once, and the others play on to their end',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx, invocation) {
    const tasks = parts.map((part) => ctx.spawn(part));
    const watch = new TaskWatch(ctx.scheduler, tasks, 'all of');
    let failed = false;
    try {
      for (;;) {
        const task = yield* watch.next();
        if (task === undefined) return tasks.map((t) => t.result);
        if (task.state !== 'done') {
          // asyncio.gather: the first exception goes to whoever awaits it; the other parts are not cancelled.
          failed = true;
          const on = openParts(tasks, parts);
          const others = on.length > 0 ? `; ${on.join(', ')} ${on.length === 1 ? 'plays' : 'play'} on` : '';
          throw partFailure(invocation, parts[tasks.indexOf(task)].text, outcomeError(task), others);
        }
      }
    } finally {
      // Cancelled while waiting, as a cancelled gather() is: the parts go too.
      if (!failed) cancelLeftovers(ctx, tasks);
    }
  },
});

export const group = defineCommand({
  name: 'group',
  python: groupPython,
  usage: 'group CMD | CMD | ...',
  example: 'group beep C4 1 | eval wait 0.25; fail oops',
  summary: 'run the commands together as a task group; the first failure cancels the rest and fails the group',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx, invocation) {
    const tasks = parts.map((part) => ctx.spawn(part));
    const watch = new TaskWatch(ctx.scheduler, tasks, 'all of');
    try {
      for (;;) {
        const task = yield* watch.next();
        if (task === undefined) return tasks.map((t) => t.result);
        if (task.state !== 'done') {
          // asyncio.TaskGroup: one failure cancels the siblings, then the group fails with it.
          const cut = openParts(tasks, parts);
          yield* cancelAll(ctx, watch, { by: task.id, reason: 'group-failure' });
          const others = cut.length > 0 ? `; cancelled ${cut.join(', ')}` : '';
          throw partFailure(invocation, parts[tasks.indexOf(task)].text, outcomeError(task), others);
        }
      }
    } finally {
      // Cancelled while waiting: the parts go too.
      cancelLeftovers(ctx, tasks);
    }
  },
});

export const settle = defineCommand({
  name: 'settle',
  python: settlePython,
  usage: 'settle CMD | CMD | ...',
  example: 'settle beep C5 0.3 | fail oops',
  summary: 'run the commands together, let each run to its end, then print how each ended',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx) {
    // quiet: a part's failure is a result to print, not an error of the line.
    const tasks = parts.map((part) => ctx.spawn(part, { quiet: true }));
    const startedAt = ctx.scheduler.now;
    const endedAt = new Map<Task<unknown>, number>();
    const watch = new TaskWatch(ctx.scheduler, tasks, 'all of');
    try {
      for (;;) {
        const task = yield* watch.next();
        if (task === undefined) break;
        endedAt.set(task, ctx.scheduler.now);
      }
    } finally {
      cancelLeftovers(ctx, tasks);
    }
    const count = (state: string) => tasks.filter((t) => t.state === state).length;
    const lines = [`settle: ${count('done')} done, ${count('failed')} failed, ${count('cancelled')} cancelled`];
    tasks.forEach((task, i) => {
      // When each ended, from the settle's start (absolute session times meant nothing to read).
      const at = `after ${formatAfter((endedAt.get(task) ?? ctx.scheduler.now) - startedAt)}`;
      const why = task.state === 'failed' ? `: ${failureText(task.error)}` : '';
      lines.push(`  ${i + 1}. ${task.state.padEnd(9)} ${at.padEnd(12)} ${parts[i].text}${why}`);
    });
    ctx.output(lines.join('\n'));
    return tasks.map((t) => (t.state === 'done' ? t.result : t.error));
  },
});

export const race = defineCommand({
  name: 'race',
  python: racePython,
  usage: 'race CMD | CMD | ...',
  example: 'race beep C5 1 | wait 0.25',
  summary: 'run the commands together; the first to finish wins and the rest are cancelled',
  sequence: true,
  parse: parseParts,
  *run(parts, ctx) {
    const tasks = parts.map((part) => ctx.spawn(part));
    const watch = new TaskWatch(ctx.scheduler, tasks, 'first of');
    try {
      for (;;) {
        const task = yield* watch.next();
        // Every part was cancelled from outside: so is the race.
        if (task === undefined) throw new CancelledError();
        // A part cancelled from outside drops out; the others race on.
        if (task.state === 'cancelled') continue;
        yield* cancelAll(ctx, watch, { by: task.id, reason: 'race' });
        if (task.state === 'failed') throw task.error;
        ctx.output(`race: first to finish: ${parts[tasks.indexOf(task)].text}`);
        return task.result;
      }
    } finally {
      cancelLeftovers(ctx, tasks);
    }
  },
});

/** The timer of `timeout`: a task that sleeps, so the timeline shows the deadline. */
const timer = defineCommand<number>({
  name: 'timer',
  usage: 'timer S',
  summary: 'sleep S beats (the deadline of a timeout)',
  parse() {
    return 0;
  },
  *run(ns) {
    yield* sleepNs(ns);
  },
});

export const timeout = defineCommand({
  name: 'timeout',
  python: timeoutPython,
  usage: 'timeout S CMD',
  example: 'timeout 0.5 beep C4 2',
  summary: 'run CMD; if it runs longer than S beats, cancel it and fail with a timeout error',
  sequence: true,
  parse(r, ctx) {
    const at = r.peek();
    const ns = r.duration('a time limit in seconds');
    // Without a good limit the words after it are probably not the command it meant: one error, not two.
    if (at === undefined || r.failed) {
      r.rest();
      return INVALID;
    }
    const body = parseBody(r.rest(), r, ctx);
    return body === null ? INVALID : { ns, body, limit: at.text, at };
  },
  *run({ ns, body, limit, at }, ctx, invocation) {
    const child = ctx.spawn(body);
    const deadline: Invocation = {
      spec: timer,
      args: ns,
      text: `timer ${limit}`,
      pos: { ...invocation.pos, col: at.col },
      endCol: at.endCol,
    };
    const clock = ctx.spawn(deadline, { kind: 'timer' });
    const watch = new TaskWatch(ctx.scheduler, [child, clock], 'first of');
    try {
      const first = yield* watch.next();
      if (first === clock && clock.state === 'done') {
        yield* cancelAll(ctx, watch, { by: clock.id, reason: 'timeout' });
        // The limit in seconds as it was when the timeout started (it may be beats, or 250ms).
        const seconds = formatSeconds(nsToSeconds(ns));
        throw commandError(invocation, {
          message: `timed out: ${quote(body.text)} ran longer than ${seconds} s and was cancelled`,
          found: `still running after ${seconds} s`,
          expected: `done within ${seconds} s`,
        });
      }
      // The command finished (or the timer was cancelled from outside): the deadline is not needed.
      if (first !== undefined && first !== clock) ctx.scheduler.cancel(clock, 'cancelled', { by: first.id, reason: 'race' });
      else cancelLeftovers(ctx, [clock]);
      if (first !== child) yield* join(child);
      if (child.state === 'done') return child.result;
      throw outcomeError(child);
    } finally {
      cancelLeftovers(ctx, [child, clock]);
    }
  },
});

export function failureText(error: unknown): string {
  if (error instanceof CommandError && error.diagnostics.length > 0) {
    const d = error.diagnostics[0];
    return `${d.message} (${d.source}:${d.line}:${d.col})`;
  }
  return describeError(error).message;
}

/** A duration as read: `0 s`, `1.5 s`, `250 ms`. */
function formatAfter(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${Math.round(seconds * 1000) / 1000} s`;
}

export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 1e6) / 1e6);
}
