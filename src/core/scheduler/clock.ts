import type { SchedulerLimits } from './limits';

/**
 * What the scheduler needs of a real clock. Without one the scheduler runs on
 * its virtual clock: time jumps from one timer to the next, and wall time is
 * logical time (plus what `block` holds the thread for).
 */
export interface RealClock {
  /** Wall time since the clock started, in ns. */
  wallNs(): number;
  /** The wall time (ns) at which logical time `ns` falls due. */
  wallAtNs(logicalNs: number): number;
  /** The logical time (ns) the wall clock stands at now. */
  logicalNowNs(): number;
}

export interface SchedulerOptions {
  /** A resumption later than this (seconds) emits a `loop-lag` event. Default 0.02. */
  lagThreshold?: number;
  /** The budgets of work (see limits.ts); a field set to Infinity turns that one off. */
  limits?: Partial<SchedulerLimits>;
}
