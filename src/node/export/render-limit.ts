/**
 * The one rule for how long an offline render goes, and its one loop: the
 * app's export and the CLI's --wav/--raw --offline/--trace/--events alike step
 * the virtual clock here, and stop a script that still plays after
 * RENDER_LIMIT_SECONDS of logical time (the CLI: after --until).
 */
import type { Session } from '../../core/session/session';
import { nsToSeconds, secondsToNs } from '../../core/time';

/** Longest script an offline render plays, in logical seconds, unless told otherwise (the CLI's --until). */
export const RENDER_LIMIT_SECONDS = 10 * 60;

export type Step = 'stepped' | 'idle' | 'over-limit';

/** A step of the render changed nothing in the scheduler: stepping on would spin forever. */
export class RenderStalled extends Error {
  constructor(atNs: number) {
    super(`the render made no progress at ${nsToSeconds(atNs)} s of logical time and was stopped (an internal error: please report it with the script)`);
    this.name = 'RenderStalled';
  }
}

/** What a step must change: time, work done, the next timer, whether something is ready, or the tasks alive. */
function progressOf(s: Session['scheduler']): unknown[] {
  return [s.nowNanos, s.resumptions, s.work, s.nextTimerNs(), s.hasReady, s.liveTasks];
}

/**
 * Run the next instant that has work, if it is not after `limitNs`. Time stays
 * where the last thing happened, so a render ends with its script.
 *
 * A timer can be behind the present: a task's wake-up that fell inside a
 * `block` is due when the block ends, late, at the time the block moved the
 * clock to. Every step either advances the scheduler or ends (idle, over the
 * limit, or RenderStalled thrown): the loops that call it cannot spin.
 */
export function stepWithin(session: Session, limitNs: number): Step {
  const scheduler = session.scheduler;
  if (scheduler.idle) return 'idle';
  const now = scheduler.nowNanos;
  const next = Math.max(scheduler.nextTimerNs() ?? now, now);
  if (next > limitNs) return 'over-limit';
  const before = progressOf(scheduler);
  // In ns: past 2^51 ns a time in seconds can fall short of `next`, and then no step would ever reach it.
  scheduler.runUntilIdleNs(next);
  if (progressOf(scheduler).every((value, i) => value === before[i])) throw new RenderStalled(scheduler.nowNanos);
  return 'stepped';
}

/** Run until nothing is left to do (true), or until there is still work after `limitSeconds` (false). */
export function runToEnd(session: Session, limitSeconds: number): boolean {
  const limitNs = secondsToNs(limitSeconds);
  for (;;) {
    const step = stepWithin(session, limitNs);
    if (step !== 'stepped') return step === 'idle';
  }
}

export function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} s`;
}

/**
 * The CLI's render loop: step the virtual clock to the end of the script or to
 * `limitNs`, and after each step await `afterStep(now)` (the renders catch up
 * and the output drains). `afterStep` returning false stops the loop early
 * ('stepped' is returned then). Throws RenderStalled rather than spin.
 */
export async function renderSteps(session: Session, limitNs: number, afterStep: (nowNs: number) => Promise<boolean>): Promise<Step> {
  for (;;) {
    const step = stepWithin(session, limitNs);
    if (step !== 'stepped' || !(await afterStep(session.scheduler.nowNanos))) return step;
  }
}

/** How long a script plays, as far as a probe looked: it ended at `seconds`, or still played there. */
export interface ScriptLength {
  ended: boolean;
  seconds: number;
}

/** How far past the render limit a probe looks for the script's end (logical seconds, and resumptions: its cost). */
export const PROBE_HORIZON_SECONDS = 24 * 60 * 60;
export const PROBE_MAX_RESUMPTIONS = 2_000_000;

/**
 * How long a script that still plays at the render limit goes on, to tell the
 * --until that renders all of it: `session` (fresh, the script loaded, nobody
 * listening) runs on the virtual clock without rendering until it ends, or
 * until PROBE_HORIZON_SECONDS or PROBE_MAX_RESUMPTIONS (so the probe's cost
 * stays bounded, and the same on every machine).
 */
export function probeLength(session: Session): ScriptLength {
  const limitNs = secondsToNs(PROBE_HORIZON_SECONDS);
  const scheduler = session.scheduler;
  for (;;) {
    const step = stepWithin(session, limitNs);
    if (step !== 'stepped' || scheduler.resumptions > PROBE_MAX_RESUMPTIONS) {
      return { ended: step === 'idle', seconds: nsToSeconds(step === 'over-limit' ? limitNs : scheduler.nowNanos) };
    }
  }
}

/** The advice for a render cut at its limit: where the rest of the script ends, and the --until that renders all of it. */
export function untilForTheRest(length: ScriptLength): string {
  if (length.ended) return `it ends at ${length.seconds} s: pass --until ${length.seconds} to render all of it`;
  if (length.seconds >= PROBE_HORIZON_SECONDS) {
    return `it still plays after ${describeSeconds(PROBE_HORIZON_SECONDS)} (a loop that is never stopped?): end the script with stop, or pass --until SECONDS`;
  }
  return 'pass --until SECONDS to render further (or end the script with stop)';
}
