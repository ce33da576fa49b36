import { describeError, isCancelled } from '../scheduler/errors';
import { LimitError } from '../scheduler/limits';
import type { Co } from '../scheduler/task';
import type { Invocation, RunContext } from './command';
import { resolveArgs } from './deferred';
import { CommandError } from './diagnostics';
import type { ParsedLine } from './parser';

/**
 * Runs a parsed command. A failure is reported as a diagnostic exactly once,
 * by the task it happened in, and then rethrown so the task fails (and shows
 * as failed in the timeline) and whoever joins it knows.
 */
export function* runInvocation(invocation: Invocation, ctx: RunContext): Co<unknown> {
  try {
    return yield* invocation.spec.run(resolveArgs(invocation.args, ctx), ctx, invocation);
  } catch (error) {
    if (isCancelled(error)) throw error;
    // A limit met inside the command (the most tasks, when offload's stand-in for a worker starts) says so; anything else is ours.
    const message = error instanceof LimitError ? error.message : `internal error in ${invocation.spec.name}: ${describeError(error).message}`;
    const failure =
      error instanceof CommandError
        ? error
        : new CommandError([{ source: invocation.pos.source, line: invocation.pos.line, col: invocation.pos.col, endCol: invocation.endCol, message }]);
    if (!failure.reported) {
      failure.reported = true;
      for (const d of failure.diagnostics) ctx.report(d);
    }
    throw failure;
  }
}

/**
 * The body of a line's task: run its command, or fail with its parse errors
 * (reported here unless they were reported when the script was loaded).
 */
export function* runLine(parsed: ParsedLine, ctx: RunContext, alreadyReported = false): Co<unknown> {
  if (parsed.kind === 'command') return yield* runInvocation(parsed.invocation, ctx);
  if (parsed.kind === 'empty') return undefined;
  const failure = new CommandError(parsed.diagnostics);
  failure.reported = alreadyReported;
  if (!alreadyReported) {
    failure.reported = true;
    for (const d of parsed.diagnostics) ctx.report(d);
  }
  throw failure;
}
