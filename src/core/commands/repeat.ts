import { commandError, defineCommand, INVALID, runningTask, type RunContext } from '../language/command';
import { quote } from '../language/diagnostics';
import { runInvocation } from '../language/interpreter';
import type { Task } from '../scheduler/task';
import { defineSessionSlice } from '../session/state';
import { parseBody } from './body';
import { loopPython, repeatPython } from './repeat.python';

// Running a command again: a given number of times, or until cancelled.

const MAX_REPEAT = 1_000_000;

export const repeat = defineCommand({
  name: 'repeat',
  python: repeatPython,
  usage: 'repeat N CMD',
  example: 'repeat 4 beep C5 0.125',
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
    if (r.failed) {
      r.rest();
      return INVALID;
    }
    const body = parseBody(r.rest(), r, ctx);
    return body === null ? INVALID : { count, body };
  },
  *run({ count, body }, ctx) {
    // In this task, as `for _ in range(n): await body()` runs in the task that awaits.
    for (let i = 0; i < count; i++) yield* runInvocation(body, ctx);
  },
});

/** Logical time a loop's own descendants held the thread with `block` (virtual clock), per running loop of the session. */
const repeatState = defineSessionSlice('repeat', () => ({ blockedByLoop: new Map<Task<unknown>, { ns: number }>() }));

/** `block` tells the loops it runs inside how long it held the clock, so they do not count it as waiting. */
export function noteBlocked(ctx: RunContext, ns: number): void {
  const { blockedByLoop } = repeatState.of(ctx);
  if (blockedByLoop.size === 0) return;
  for (let t = ctx.scheduler.current; t !== null; t = t.parent) {
    const state = blockedByLoop.get(t);
    if (state !== undefined) state.ns += ns;
  }
}

/** Count the time `task`'s descendants hold the clock with `block` (until `untrackBlocked`). */
export function trackBlocked(ctx: RunContext, task: Task<unknown>): { ns: number } {
  const blocked = { ns: 0 };
  repeatState.of(ctx).blockedByLoop.set(task, blocked);
  return blocked;
}

export function untrackBlocked(ctx: RunContext, task: Task<unknown>): void {
  repeatState.of(ctx).blockedByLoop.delete(task);
}

export const loop = defineCommand({
  name: 'loop',
  python: loopPython,
  usage: 'loop CMD',
  example: 'timeout 2 loop beep E5 0.25',
  summary: 'run CMD again and again until cancelled (CMD must take time)',
  sequence: true,
  parse(r, ctx) {
    return parseBody(r.rest(), r, ctx) ?? INVALID;
  },
  *run(body, ctx, invocation) {
    const self = runningTask(ctx);
    const blocked = trackBlocked(ctx, self);
    try {
      for (;;) {
        const start = ctx.scheduler.nowNanos;
        const blockedBefore = blocked.ns;
        // Each pass runs in the loop's own task (`while True: await body()`): no task per pass, so
        // ten thousand loops cost no more per resumption than ten.
        yield* runInvocation(body, ctx);
        // A pass that took no logical time (or only time it held the thread) never let
        // the driver run: looping on would hang the scheduler. Fail now instead.
        const waited = ctx.scheduler.nowNanos - start - (blocked.ns - blockedBefore);
        if (waited <= 0) {
          throw commandError(invocation, {
            message: `loop never waits: one pass of ${quote(body.text)} took no time, so the loop would hold the scheduler forever`,
            found: `${quote(body.text)}, which takes no time`,
            expected: 'a body that waits (wait, beep, chord, offload ...)',
            hint: `give each pass some time, e.g. "loop ${body.text}; wait 1"`,
          });
        }
      }
    } finally {
      untrackBlocked(ctx, self);
    }
  },
});
