/**
 * The one rule for how long an offline render goes: the app's export and the
 * CLI's --wav/--raw --offline/--trace/--events without --until alike stop a
 * script that still plays after RENDER_LIMIT_SECONDS of logical time.
 */
import type { Session } from '../../core/session/session';
import { nsToSeconds, secondsToNs } from '../../core/time';

/** Longest script an offline render plays, in logical seconds, unless told otherwise (the CLI's --until). */
export const RENDER_LIMIT_SECONDS = 10 * 60;

export type Step = 'stepped' | 'idle' | 'over-limit';

/**
 * Run the next instant that has work, if it is not after `limitNs`. Time stays
 * where the last thing happened, so a render ends with its script.
 */
export function stepWithin(session: Session, limitNs: number): Step {
  const scheduler = session.scheduler;
  if (scheduler.idle) return 'idle';
  const next = scheduler.nextTimerNs() ?? scheduler.nowNanos;
  if (next > limitNs) return 'over-limit';
  // In ns: past 2^51 ns a time in seconds can fall short of `next`, and then no step would ever reach it.
  scheduler.runUntilIdleNs(next);
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
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} s`;
}
