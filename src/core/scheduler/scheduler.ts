import { secondsToNs } from '../time';
import { CancelledError } from './errors';
import type { RealClock } from './clock';
import { TaskRunner } from './task-runner';
import type { Task } from './task';

export type { RealClock, SchedulerOptions } from './clock';
export { lineOf } from './budgets';

/**
 * A cooperative scheduler of generator coroutines (the event loop of the seeds).
 * Tasks run until they yield an Op; the scheduler resumes them when it is due.
 * Logical time only moves forward and a sleep of S resumes exactly S after it began.
 *
 * This half drives time: it runs what is ready and fires the timers, on the
 * virtual clock (`runUntilIdle`) or for a real-clock driver (`runDue`, a
 * budget of work at a time). Running the tasks themselves is TaskRunner's job.
 */
export class Scheduler extends TaskRunner {
  /**
   * The logical time (ns) of the present: `nowNanos` inside a task or on the
   * virtual clock; between resumptions on a real clock, where that clock stands
   * (which may be ahead of `nowNanos`). What a control from outside (panic,
   * stop) happens at.
   */
  get presentNanos(): number {
    return this.dueNow();
  }

  get isReal(): boolean {
    return this.clock !== null;
  }

  /** Nothing is ready and no timer is pending. */
  get idle(): boolean {
    return this.ready.length === 0 && this.timers.peekAt() === undefined && this.held === null && !this.condemning;
  }

  /** Real clock: the wall time (ns) a `block` holds the scheduler until, or undefined when none does. */
  get heldUntilWallNs(): number | undefined {
    return this.held === null ? undefined : this.heldUntilWall;
  }

  /** Work is ready to run now (not waiting for a timer). */
  get hasReady(): boolean {
    return this.ready.length > 0 || this.condemning;
  }

  useRealClock(clock: RealClock | null): void {
    this.clock = clock;
  }

  /**
   * Run every ready task until none is ready (one logical instant, or more
   * under `block`), or until a `block` has moved logical time past `limitNs`.
   */
  runReady(limitNs = Infinity): void {
    const queue = this.ready;
    const outer = this.driving;
    this.driving = true;
    for (;;) {
      // Off the real clock nothing waits for a host: a bulk cancellation is delivered whole.
      if (this.condemning) this.runBulk(Infinity);
      if (queue.length === 0 || this.nowNs > limitNs) break;
      const due = queue.peekDue();
      const task = queue.shift()!;
      if (task.state === 'ready') this.step(task, due);
    }
    this.driving = outer;
  }

  /** The logical time (ns) of the next pending timer, or undefined. */
  nextTimerNs(): number | undefined {
    return this.timers.peekAt();
  }

  /**
   * Virtual clock: run until nothing is left to do, or until logical time
   * `limitSeconds` (time then stands at the limit). Synchronous.
   */
  runUntilIdle(limitSeconds = Infinity): void {
    this.runUntilIdleNs(limitSeconds === Infinity ? Infinity : secondsToNs(limitSeconds));
  }

  /** runUntilIdle to a limit in ns: exact, where seconds (past 2^51 ns, some 26 days) cannot name every ns. */
  runUntilIdleNs(limitNs: number): void {
    for (;;) {
      this.runReady(limitNs);
      if (this.nowNs > limitNs) return; // blocks held the clock past the limit: stop there
      const next = this.timers.peekAt();
      if (next === undefined || next > limitNs) {
        // Stopped by the limit (work remains beyond it): time stands at the limit.
        // Idle before it: time stays where the last work was.
        if (next !== undefined && limitNs > this.nowNs) this.setNow(limitNs);
        else this.endInstant();
        return;
      }
      this.fireTimers(next);
    }
  }

  /**
   * Real clock: fire every timer due at or before logical `upToNs` in order,
   * each at its own logical time, then run what came from outside at `upToNs`.
   * At most `maxWork` units of work (resumptions plus `work`): returns true if
   * it stopped there with work left (the instant goes on at the next call), or
   * while a `block` holds it.
   */
  runDue(upToNs: number, maxWork = Infinity): boolean {
    const outer = this.driving;
    const outerBudget = this.workBudgetEnd;
    this.driving = true;
    this.workBudgetEnd = this.resumptions + this.work + maxWork;
    try {
      return this.runDueWithin(upToNs, this.workBudgetEnd);
    } finally {
      this.driving = outer;
      this.workBudgetEnd = outerBudget;
    }
  }

  private runDueWithin(upToNs: number, budgetEnd: number): boolean {
    const queue = this.ready;
    for (;;) {
      // A task that just paused lets the host in first; a block holds until its time.
      if (this.held !== null && (this.pausing || !this.releaseHeld())) {
        this.pausing = false;
        return true;
      }
      if (this.resumptions + this.work >= budgetEnd) {
        const next = this.timers.peekAt();
        if (queue.length > 0 || this.condemning || (next !== undefined && next <= upToNs)) return true;
        break;
      }
      // The task just released blocked again: it holds the scheduler, nothing else may run.
      if (this.held !== null) continue;
      if (this.condemning) {
        this.runBulk(budgetEnd - this.resumptions - this.work);
        continue;
      }
      const next = this.timers.peekAt();
      const timerDue = next !== undefined && next <= upToNs;
      const head = queue.peek();
      if (head !== undefined) {
        const due = queue.peekDue();
        if (!timerDue || due <= next!) {
          // Work from outside (an input line) runs at the logical time it arrived,
          // not at the time this pump happens to run.
          if (due > this.nowNs) this.setNow(Math.min(due, upToNs));
          queue.shift();
          if (head.state === 'ready') this.step(head, due);
          continue;
        }
      }
      if (!timerDue) break;
      // Woken tasks run at their timer's time, however late the host timer fired.
      this.fireTimers(next!);
    }
    this.endInstant();
    return false;
  }

  // ---- one resumption at a time (core/debug: the stepper, the interleaving explorer) -------------
  // Out of the run loops' way: these walk the queue, where runReady only shifts it.

  /** The tasks ready at this instant, in the order the run loops (and `stepAt(0)`) run them. */
  readyTasks(): Task<unknown>[] {
    const queue = this.ready;
    // An entry whose task is no longer ready would be skipped by the run loops: drop it here so indices name tasks that run.
    for (let i = 0; i < queue.length; ) {
      if (queue.at(i)!.state === 'ready') i++;
      else queue.removeAt(i);
    }
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < queue.length; i++) tasks.push(queue.at(i)!);
    return tasks;
  }

  /** The task `stepAt(0)` runs next, or undefined when none is ready (without copying the queue). */
  readyHead(): Task<unknown> | undefined {
    while (this.ready.length > 0 && this.ready.peek()!.state !== 'ready') this.ready.shift();
    return this.ready.peek();
  }

  /** The sleeping tasks with their wake times (ns), in the order they wake. */
  timerEntries(): [number, Task<unknown>][] {
    return this.timers.entries();
  }

  /**
   * Exactly one resumption: the ready task at `index` of `readyTasks()` (0, the
   * head, is first in first out, as asyncio and the run loops go) runs until it
   * next suspends or ends. Returns that task, or null when nothing is ready.
   * Time does not move (but under `block`); `advanceToNextTimer` moves it.
   */
  stepAt(index = 0): Task<unknown> | null {
    if (this.condemning) this.runBulk(Infinity);
    // Entries whose task is no longer ready are dropped (the run loops skip them): at the head only, for the head.
    if (index === 0) this.readyHead();
    else this.readyTasks();
    if (index < 0 || index >= this.ready.length) return null;
    const due = this.ready.dueAt(index);
    const task = this.ready.removeAt(index)!;
    // Work from outside a real clock (a line typed while paused) runs at the time it arrived, as runDue runs it.
    if (due > this.nowNs) this.setNow(due);
    const outer = this.driving;
    this.driving = true;
    try {
      this.step(task, due);
    } finally {
      this.driving = outer;
    }
    return task;
  }

  /** Nothing ready: end the instant, move the clock to the next timer and queue what wakes then. False (the instant ended) when no timer is left. */
  advanceToNextTimer(): boolean {
    if (this.condemning) this.runBulk(Infinity);
    const next = this.timers.peekAt();
    if (next === undefined) {
      this.endInstant();
      return false;
    }
    this.fireTimers(next);
    return true;
  }

  /** Move logical time to `ns` (never backwards), ending the current instant. */
  advanceTo(ns: number): void {
    if (ns > this.nowNs) this.setNow(ns);
  }


  /** Moves logical time to `at` and queues every task whose timer is due by then, each at its own time. */
  private fireTimers(at: number): void {
    if (at > this.nowNs) this.setNow(at);
    const now = this.nowNs;
    for (;;) {
      const at = this.timers.peekAt();
      if (at === undefined || at > now) break;
      const task = this.timers.pop();
      task.state = 'ready';
      this.ready.push(task, at);
    }
  }


  /** The held task's block is over (or it was cancelled): resume it. False while the block still holds. */
  private releaseHeld(): boolean {
    const task = this.held!;
    if (task.deliverCancel === null && this.clock !== null && this.clock.wallNs() < this.heldUntilWall) return false;
    this.held = null;
    const paused = this.heldUntilWall === -Infinity;
    // A block took the clock's time: it ends (and the tasks due meanwhile resume, late) when the clock says,
    // so its bar keeps its length and the gap it made stays visible after it has played. A paused
    // resumption (a long line that let the host in) goes on at its own logical time.
    if (this.clock !== null && !paused) this.advanceTo(this.clock.logicalNowNs());
    if (task.ended) return true;
    if (task.deliverCancel !== null) {
      task.throwOnResume(new CancelledError(task.deliverCancel));
      task.deliverCancel = null;
    } else task.sendOnResume(undefined);
    task.state = 'ready';
    this.afterPause = paused;
    this.step(task, this.nowNs);
    return true;
  }
}
