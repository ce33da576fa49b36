import { NS_PER_SECOND } from '../time';
import type { RealClock } from './clock';
import type { SchedulerLimits } from './limits';
import type { Task } from './task';

/**
 * The scheduler's budgets of work, counted (limits.ts has their sizes):
 * resumptions in one logical instant and in one second of logical time, and
 * tasks created within one second. A check says when one is over, with the
 * message of the error; the scheduler blames the line (`lineOf`).
 */
export class Budgets {
  /** Resumptions in the present instant, and in the present second of logical time (which ends at `windowEndNs`). */
  private instantSteps = 0;
  private windowSteps = 0;
  private windowEndNs = NS_PER_SECOND;
  /** Tasks created since the window began, and when it ends, in logical and (on a real clock) wall time. */
  private created = 0;
  private createdLogicalEnd = 0;
  private createdWallEnd = 0;

  constructor(private readonly limits: SchedulerLimits) {}

  /** Counts a resumption: true if it goes over a budget (then `overMessage` says which). */
  resumption(): boolean {
    return ++this.instantSteps > this.limits.maxResumptionsPerInstant || ++this.windowSteps > this.limits.maxResumptionsPerSecond;
  }

  /** Logical time has moved on to `ns`: a new instant, and perhaps a new second. */
  newInstant(ns: number): void {
    this.instantSteps = 0;
    if (ns >= this.windowEndNs) {
      this.windowSteps = 0;
      this.windowEndNs = ns + NS_PER_SECOND;
    }
  }

  /** The error of the resumption budget that went over at `nowSeconds`; counting starts afresh. */
  overMessage(nowSeconds: number): string {
    const { maxResumptionsPerInstant, maxResumptionsPerSecond } = this.limits;
    const perInstant = this.instantSteps > maxResumptionsPerInstant;
    this.instantSteps = 0;
    this.windowSteps = 0;
    return perInstant
      ? `too much work in one instant: more than ${maxResumptionsPerInstant.toLocaleString('en')} resumptions at ${nowSeconds} s with no time passing (a phrase that doubles, or a spawn storm?); its tasks were stopped`
      : `too much work: more than ${maxResumptionsPerSecond.toLocaleString('en')} resumptions within one second of logical time (waits too short, or too many tasks?); its tasks were stopped`;
  }

  /**
   * Counts a task created at logical `ns`: the error if more than
   * maxTasksCreatedPerSecond were created since the window began and that was
   * under a second ago, of logical time or (on a real clock) of wall time,
   * whichever bites first; else null. Logical time catches a bomb whose engine
   * has fallen far behind the clock, wall time one that keeps up. The clock is
   * read once a window, and once more when the count goes over.
   */
  taskCreated(ns: number, clock: RealClock | null): string | null {
    if (this.created === 0) this.startWindow(ns, clock);
    if (++this.created <= this.limits.maxTasksCreatedPerSecond) return null;
    const within = ns < this.createdLogicalEnd || (clock !== null && clock.wallNs() < this.createdWallEnd);
    this.startWindow(ns, clock);
    this.created = 1;
    if (!within) return null;
    const max = this.limits.maxTasksCreatedPerSecond.toLocaleString('en');
    return `too many tasks created: more than ${max} within one second (a phrase that spawns itself, a fork bomb?); its tasks were stopped`;
  }

  private startWindow(ns: number, clock: RealClock | null): void {
    this.created = 0;
    this.createdLogicalEnd = ns + NS_PER_SECOND;
    this.createdWallEnd = clock !== null ? clock.wallNs() + NS_PER_SECOND : 0;
  }
}

/** The line a task belongs to: its topmost ancestor below a root (a source), or the task itself. */
export function lineOf(task: Task<unknown>): Task<unknown> {
  let t = task;
  while (t.parent !== null && t.parent.parent !== null) t = t.parent;
  return t;
}
