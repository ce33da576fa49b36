/**
 * Every limit of the engine, in one place. README "Limits" lists each with
 * what happens at it. Each is answered with a located error of the line that
 * caused it, or by degrading (skipping, coalescing), never by a hang.
 */
import { NS_PER_SECOND } from '../time';
import type { SourcePosition } from './events';

/** The longest `block`, in seconds: a longer one fails its line (and is refused when the script is read). */
export const MAX_BLOCK_SECONDS = 60;
export const MAX_BLOCK_NS = MAX_BLOCK_SECONDS * NS_PER_SECOND;

/** Tasks alive at once in one scheduler (one session): a spawn beyond it fails the line that spawns. */
export const MAX_TASKS = 200_000;

/**
 * Tasks created within one second (of wall time on the real clock, of logical
 * time on the virtual one): a fork bomb (a phrase that spawns two of itself
 * every millisecond) fails its line here, before its tasks, their events and
 * what a view is sent grow by hundreds of megabytes. Far above what music
 * needs (`repeat 19999 spawn ...` makes 20,000 at once).
 */
export const MAX_TASKS_CREATED_PER_SECOND = 50_000;

/**
 * Resumptions in one logical instant. A zero-time explosion (2^20 calls of a
 * phrase that takes no time) fails the line whose task was resumed when the
 * count went over, with all of that line's tasks; the rest of the session goes on.
 */
export const MAX_RESUMPTIONS_PER_INSTANT = 250_000;

/**
 * Resumptions in one second of logical time: what ends `loop wait 0.000000001`
 * (or a fork bomb) on the virtual clock, where no wall clock can fall behind.
 * Going over fails the line, as MAX_RESUMPTIONS_PER_INSTANT does.
 */
export const MAX_RESUMPTIONS_PER_SECOND = 500_000;

/**
 * Commands run by one resumption of a task without suspending
 * (`repeat 1000000 repeat 10 add 60`): going over fails the line. Counted by
 * the session, which wraps each command's run.
 */
export const MAX_COMMANDS_PER_RESUMPTION = 20_000;

/** Wall time one pump of the real-clock driver may run tasks before it lets the host's I/O in. */
export const PUMP_SLICE_MS = 10;

/** Commands between two looks at the wall clock inside one resumption (whether its slice is over: see Scheduler.pauseDue). */
export const COMMANDS_PER_CHECK = 8;

/** Resumptions between two looks at the wall clock inside a pump (a look costs a system-clock read). */
export const PUMP_STEPS_PER_CHECK = 64;

/**
 * How far (seconds of logical time) the engine may fall behind the real clock
 * before the clock skips ahead: the backlog plays late rather than piling up,
 * and an `engine-behind` report says by how much.
 */
export const MAX_BEHIND_SECONDS = 0.5;

/** Resumptions a control from outside (cancel, stop, panic) runs to catch up with the present before acting. */
export const CATCH_UP_STEPS = 1_000;

/**
 * Cancels a bulk cancellation (panic, stop) delivers at once; the rest go a
 * slice's budget at a time, as work. Every task in it is condemned at once:
 * one that comes to run meanwhile is cancelled first, so nothing new starts.
 */
export const CANCELS_AT_ONCE = 1_000;

/** Events per second a view (the renderer, a web page) is sent; beyond it, task state events are coalesced. */
export const MAX_VIEW_EVENTS_PER_SECOND = 20_000;

/** The budgets a scheduler enforces; Infinity turns one off (the scheduler benchmarks measure raw speed). */
export interface SchedulerLimits {
  maxTasks: number;
  maxTasksCreatedPerSecond: number;
  maxResumptionsPerInstant: number;
  maxResumptionsPerSecond: number;
  /** Enforced by the session (it counts command runs), kept here with the rest. */
  maxCommandsPerResumption: number;
}

export const DEFAULT_LIMITS: SchedulerLimits = {
  maxTasks: MAX_TASKS,
  maxTasksCreatedPerSecond: MAX_TASKS_CREATED_PER_SECOND,
  maxResumptionsPerInstant: MAX_RESUMPTIONS_PER_INSTANT,
  maxResumptionsPerSecond: MAX_RESUMPTIONS_PER_SECOND,
  maxCommandsPerResumption: MAX_COMMANDS_PER_RESUMPTION,
};

export const NO_LIMITS: SchedulerLimits = {
  maxTasks: Infinity,
  maxTasksCreatedPerSecond: Infinity,
  maxResumptionsPerInstant: Infinity,
  maxResumptionsPerSecond: Infinity,
  maxCommandsPerResumption: Infinity,
};

/** A task went over one of the engine's limits. `pos` is the line it belongs to, when known. */
export class LimitError extends Error {
  override name = 'LimitError';
  constructor(
    message: string,
    readonly pos: SourcePosition | null,
  ) {
    super(message);
  }
}
