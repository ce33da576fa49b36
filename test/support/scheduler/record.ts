import type { Scheduler, TaskEvent } from '../../../src/core/scheduler';

/** Every event the scheduler emits from now on, in order. */
export function record(s: Scheduler): TaskEvent[] {
  const events: TaskEvent[] = [];
  s.subscribe((e) => events.push(e));
  return events;
}
