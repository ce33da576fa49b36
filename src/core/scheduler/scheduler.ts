import { nsToSeconds, secondsToNs } from '../time';
import { CancelledError, describeError, isCancelled } from './errors';
import type { CancelCause, TaskEvent, TaskEventListener, WaitTarget } from './events';
import { Future, type FutureHost } from './future';
import { TimerHeap } from './heap';
import { DEFAULT_LIMITS, LimitError, MAX_BLOCK_NS, MAX_BLOCK_SECONDS, type SchedulerLimits } from './limits';
import type { Co, Op } from './ops';
import { ReadyQueue } from './queue';
import { Task, type TaskOptions } from './task';

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

const NS_PER_SECOND = 1_000_000_000;

/**
 * A cooperative scheduler of generator coroutines (the event loop of the seeds).
 * Tasks run until they yield an Op; the scheduler resumes them when it is due.
 * Logical time only moves forward and a sleep of S resumes exactly S after it began.
 */
export class Scheduler implements FutureHost {
  private nowNs = 0;
  private nextId = 1;
  private readonly ready = new ReadyQueue<Task<unknown>>();
  private readonly timers = new TimerHeap<Task<unknown>>();
  private listeners: TaskEventListener[] = [];
  private readonly instantHooks: ((ns: number) => void)[] = [];
  private clock: RealClock | null = null;
  private readonly lagThresholdNs: number;
  private live = 0;
  /** Inside a run loop: wakes then come from tasks, at the present logical time. */
  private driving = false;
  private readonly unobserved: Task<unknown>[] = [];
  /** Who asked for the cancellation of each task cancelled and not yet ended (few at a time: a map, not a field of every task). */
  private readonly cancelCauses = new Map<Task<unknown>, CancelCause>();
  /** Tasks woken with the cancellation of a task they joined (the cause, if that ends them too). */
  private readonly joinCauses = new Map<Task<unknown>, CancelCause>();
  /** Called for each failed task whose error nobody retrieved by the end of its instant. */
  onUnhandled: ((task: Task<unknown>) => void) | null = null;
  /** Called when work arrives from outside a resumption (a driver pumps then). */
  onWork: (() => void) | null = null;
  /** The task whose slice is running, or null between slices. */
  current: Task<unknown> | null = null;
  /** Resumptions performed so far (for benchmarks and the status bar). */
  resumptions = 0;
  /**
   * Work done inside resumptions, in units of about one resumption's cost
   * (the session adds one per command run). A budget of work (`runDue`'s)
   * counts these as well as the resumptions, so one long resumption ends a slice.
   */
  work = 0;
  /**
   * Called when a task goes over a limit (see limits.ts) with the task to
   * blame (for the resumption budgets, the line it belongs to) and a located
   * error. Default: that task fails with the error. A session fails the
   * line's every task and reports the error at the line.
   */
  onLimit: ((task: Task<unknown>, error: LimitError) => void) | null = null;
  readonly limits: SchedulerLimits;
  /** Resumptions in the present instant, and in the present second of logical time (which ends at `windowEndNs`). */
  private instantSteps = 0;
  private windowSteps = 0;
  private windowEndNs = NS_PER_SECOND;
  /** Tasks asked to fail (with this error) rather than be cancelled: see `fail`. */
  private readonly failing = new Map<Task<unknown>, unknown>();
  /** Real clock: the task whose `block` holds the scheduler (nothing else runs), and the wall time (ns) it ends. */
  private held: Task<unknown> | null = null;
  private heldUntilWall = 0;

  constructor(options: SchedulerOptions = {}) {
    this.lagThresholdNs = secondsToNs(options.lagThreshold ?? 0.02);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** Logical time in seconds. */
  get now(): number {
    return nsToSeconds(this.nowNs);
  }

  get nowNanos(): number {
    return this.nowNs;
  }

  /**
   * The logical time (ns) of the present: `nowNanos` inside a task or on the
   * virtual clock; between resumptions on a real clock, where that clock stands
   * (which may be ahead of `nowNanos`). What a control from outside (panic,
   * stop) happens at.
   */
  get presentNanos(): number {
    return this.dueNow();
  }

  /** Wall time in seconds (real, or simulated on the virtual clock). */
  get wall(): number {
    return this.clock ? nsToSeconds(this.clock.wallNs()) : nsToSeconds(this.nowNs);
  }

  get isReal(): boolean {
    return this.clock !== null;
  }

  /** Tasks that have been spawned and have not ended. */
  get liveTasks(): number {
    return this.live;
  }

  /** Nothing is ready and no timer is pending. */
  get idle(): boolean {
    return this.ready.length === 0 && this.timers.peekAt() === undefined && this.held === null;
  }

  /** Real clock: the wall time (ns) a `block` holds the scheduler until, or undefined when none does. */
  get heldUntilWallNs(): number | undefined {
    return this.held === null ? undefined : this.heldUntilWall;
  }

  /** Work is ready to run now (not waiting for a timer). */
  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  useRealClock(clock: RealClock | null): void {
    this.clock = clock;
  }

  subscribe(listener: TaskEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get listening(): boolean {
    return this.listeners.length > 0;
  }

  /** Called with the logical time whenever an instant ends (before time moves on, or at idle). */
  onInstantEnd(hook: (ns: number) => void): void {
    this.instantHooks.push(hook);
  }

  /** A future; `awaits`: the ids of the tasks it stands for (a waiter's `task-waiting` then names them). */
  future<T>(label: string, awaits: readonly number[] | null = null): Future<T> {
    return new Future<T>(this, label, awaits);
  }

  spawn<T>(body: Co<T>, options: TaskOptions): Task<T> {
    const parent = options.parent === undefined ? this.current : options.parent;
    if (this.live >= this.limits.maxTasks) {
      throw new LimitError(
        `too many tasks: ${this.live} are alive, the most a session may have at once (stop some, or spawn fewer)`,
        (parent !== null ? lineOf(parent).pos : null) ?? options.pos ?? null,
      );
    }
    const source = options.source ?? parent?.source ?? options.name;
    const task = new Task<T>(
      this.nextId++,
      options.name,
      options.kind ?? 'task',
      parent,
      source,
      options.pos ?? null,
      body,
    );
    this.live++;
    // From outside a run on the real clock, a task is created at the clock's present.
    const due = this.dueNow();
    if (this.listeners.length > 0) {
      this.emit({
        type: 'task-created',
        t: nsToSeconds(due),
        wall: this.wall,
        id: task.id,
        parent: parent ? parent.id : null,
        name: task.name,
        kind: task.kind,
        source,
        pos: task.pos,
      });
    }
    this.ready.push(task as Task<unknown>, due);
    this.signalWork();
    return task;
  }

  /**
   * Ask a task to stop: CancelledError is thrown into it where it is suspended,
   * so its `finally` blocks run (a cancelled chord releases its notes). A task
   * waiting on another task cancels that one too, as asyncio does.
   * Returns false if the task had already ended. `cause` says who and why
   * (default: the running task, or a `cancel` from outside); the first cause
   * asked for is the one its `task-cancelled` event states.
   */
  cancel(task: Task<unknown>, message = 'cancelled', cause?: CancelCause): boolean {
    if (task.ended) return false;
    if (!this.cancelCauses.has(task)) this.cancelCauses.set(task, cause ?? { by: this.current?.id ?? 'cancel', reason: 'cancel' });
    task.cancelRequested = true;
    switch (task.state) {
      case 'running':
      case 'blocking':
        task.deliverCancel = message;
        // A block on the real clock ends now: have the driver run the task's cleanup.
        if (task === this.held) this.signalWork();
        break;
      case 'ready':
        task.throwOnResume(new CancelledError(message));
        break;
      case 'sleeping':
        this.timers.cancel(task);
        this.wake(task, undefined, new CancelledError(message), true);
        break;
      case 'waiting': {
        const on = task.waitingOn;
        if (on instanceof Task) {
          task.deliverCancel = message;
          this.cancel(on, message, { by: task.id, reason: 'awaiter-cancelled' });
        } else if (on instanceof Future) {
          on.waiters = on.waiters.filter((w) => w !== task);
          this.wake(task, undefined, new CancelledError(message), true);
        }
        break;
      }
    }
    return true;
  }

  /**
   * End a task as failed with `error`: it is cancelled (its `finally` blocks
   * run, a chord releases its notes) and ends failed rather than cancelled.
   * False if it had already ended.
   */
  fail(task: Task<unknown>, error: unknown): boolean {
    if (task.ended) return false;
    if (!this.failing.has(task)) this.failing.set(task, error);
    return this.cancel(task, error instanceof Error ? error.message : String(error));
  }

  /** FutureHost: resume a waiting task with a value or an error. */
  wake(task: Task<unknown>, value: unknown, error: unknown, failed: boolean): void {
    if (task.ended) return;
    task.waitingOn = null;
    if (task.deliverCancel !== null) {
      error = new CancelledError(task.deliverCancel);
      failed = true;
      task.deliverCancel = null;
    }
    if (failed) task.throwOnResume(error);
    else task.sendOnResume(value);
    task.state = 'ready';
    this.ready.push(task, this.dueNow());
    if (this.current === null) this.signalWork();
  }

  // ---- driving -----------------------------------------------------------

  /**
   * Run every ready task until none is ready (one logical instant, or more
   * under `block`), or until a `block` has moved logical time past `limitNs`.
   */
  runReady(limitNs = Infinity): void {
    const queue = this.ready;
    const outer = this.driving;
    this.driving = true;
    while (queue.length > 0 && this.nowNs <= limitNs) {
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
    const limitNs = limitSeconds === Infinity ? Infinity : secondsToNs(limitSeconds);
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
    const queue = this.ready;
    const outer = this.driving;
    this.driving = true;
    const budgetEnd = this.resumptions + this.work + maxWork;
    for (;;) {
      if (this.held !== null && !this.releaseHeld()) {
        this.driving = outer;
        return true;
      }
      if (this.resumptions + this.work >= budgetEnd) {
        const next = this.timers.peekAt();
        if (queue.length > 0 || (next !== undefined && next <= upToNs)) {
          this.driving = outer;
          return true;
        }
        break;
      }
      // The task just released blocked again: it holds the scheduler, nothing else may run.
      if (this.held !== null) continue;
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
    this.driving = outer;
    return false;
  }

  /** Move logical time to `ns` (never backwards), ending the current instant. */
  advanceTo(ns: number): void {
    if (ns > this.nowNs) this.setNow(ns);
  }

  // ---- internals ---------------------------------------------------------

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

  private setNow(ns: number): void {
    this.endInstant();
    this.nowNs = ns;
    this.instantSteps = 0;
    if (ns >= this.windowEndNs) {
      this.windowSteps = 0;
      this.windowEndNs = ns + NS_PER_SECOND;
    }
  }

  /**
   * A resumption went over a budget: blame the line the task belongs to (on
   * the real clock it is also what falls behind), then start counting afresh.
   */
  private overBudget(task: Task<unknown>): void {
    const perInstant = this.instantSteps > this.limits.maxResumptionsPerInstant;
    const line = lineOf(task);
    const message = perInstant
      ? `too much work in one instant: more than ${this.limits.maxResumptionsPerInstant.toLocaleString('en')} resumptions at ${this.now} s with no time passing (a phrase that doubles, or a spawn storm?); its tasks were stopped`
      : `too much work: more than ${this.limits.maxResumptionsPerSecond.toLocaleString('en')} resumptions within one second of logical time (waits too short, or too many tasks?); its tasks were stopped`;
    this.instantSteps = 0;
    this.windowSteps = 0;
    this.limitReached(line, new LimitError(message, line.pos));
    if (task !== line && !task.ended && !task.cancelRequested) this.fail(task, this.failing.get(line) ?? new LimitError(message, line.pos));
  }

  private limitReached(task: Task<unknown>, error: LimitError): void {
    if (this.onLimit !== null) this.onLimit(task, error);
    else this.fail(task, error);
  }

  /** The held task's block is over (or it was cancelled): resume it. False while the block still holds. */
  private releaseHeld(): boolean {
    const task = this.held!;
    if (task.deliverCancel === null && this.clock !== null && this.clock.wallNs() < this.heldUntilWall) return false;
    this.held = null;
    // The block took the clock's time: it ends (and the tasks due meanwhile resume, late) when the clock says,
    // so its bar keeps its length and the gap it made stays visible after it has played.
    if (this.clock !== null) this.advanceTo(this.clock.logicalNowNs());
    if (task.ended) return true;
    if (task.deliverCancel !== null) {
      task.throwOnResume(new CancelledError(task.deliverCancel));
      task.deliverCancel = null;
    } else task.sendOnResume(undefined);
    task.state = 'ready';
    this.step(task, this.nowNs);
    return true;
  }

  private endInstant(): void {
    if (this.unobserved.length > 0) this.reportUnobserved();
    const hooks = this.instantHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i](this.nowNs);
  }

  /** When a resumption queued now is due: now, or for work from outside a real clock's present. */
  private dueNow(): number {
    return this.clock !== null && !this.driving ? Math.max(this.nowNs, this.clock.logicalNowNs()) : this.nowNs;
  }

  private signalWork(): void {
    if (this.onWork !== null) this.onWork();
  }

  /** Resumes `task` until it suspends or ends; `due` is when this resumption was due. */
  private step(task: Task<unknown>, due: number): void {
    this.resumptions++;
    if (++this.instantSteps > this.limits.maxResumptionsPerInstant || ++this.windowSteps > this.limits.maxResumptionsPerSecond) {
      this.overBudget(task);
    }
    const listening = this.listeners.length > 0;
    if (listening) this.reportLag(task, due);
    task.state = 'running';
    this.current = task;
    if (listening) this.emit({ type: 'task-running', t: this.now, wall: this.wall, id: task.id });
    let op: Op;
    for (;;) {
      let result: IteratorResult<Op, unknown>;
      try {
        const sent = task.resumeWith;
        if (task.resumeThrows) {
          task.sendOnResume(undefined);
          result = task.gen.throw(sent);
        } else {
          task.resumeWith = undefined;
          result = task.gen.next(sent);
        }
      } catch (error) {
        this.current = null;
        this.finish(task, undefined, error, true);
        return;
      }
      if (result.done) {
        this.current = null;
        this.finish(task, result.value, undefined, false);
        return;
      }
      op = result.value;
      if ((op.kind === 'block' || op.kind === 'sleep') && !Number.isFinite(op.ns)) {
        // Never let NaN reach the clock (it would stop time for good): the line fails instead.
        this.limitReached(task, new LimitError(`${op.kind === 'block' ? 'block' : 'wait'} of ${op.ns} ns: not a length of time`, task.pos));
        op = { kind: 'sleep', ns: 0 };
        break;
      }
      if (op.kind !== 'block') break;
      if (op.ns > MAX_BLOCK_NS) {
        this.limitReached(
          task,
          new LimitError(`block ${nsToSeconds(op.ns)} s is longer than the longest block, ${MAX_BLOCK_SECONDS} s (use offload for long work)`, task.pos),
        );
      } else if (this.clock !== null && op.ns > 0) {
        // The real clock: the scheduler is held (nothing else runs) but the host thread is not, so panic gets in.
        this.holdReal(task, op.ns);
        return;
      } else this.hold(task, op.ns);
      if (task.deliverCancel !== null) {
        task.throwOnResume(new CancelledError(task.deliverCancel));
        task.deliverCancel = null;
      }
    }
    this.current = null;
    this.suspend(task, op);
  }

  /** `block` on the virtual clock: time moves on with nothing else running. */
  private hold(task: Task<unknown>, ns: number): void {
    if (ns <= 0) return;
    const listening = this.listeners.length > 0;
    if (listening) {
      this.emit({ type: 'task-blocking', t: this.now, wall: this.wall, id: task.id, until: nsToSeconds(this.nowNs + ns) });
    }
    task.state = 'blocking';
    this.setNow(this.nowNs + ns);
    task.state = 'running';
    if (listening) this.emit({ type: 'task-running', t: this.now, wall: this.wall, id: task.id });
  }

  /**
   * `block` on the real clock: until the wall clock has moved on by `ns` (scaled by the clock's speed)
   * no other task runs, and every one due meanwhile is late; then this task goes on at the clock's time.
   */
  private holdReal(task: Task<unknown>, ns: number): void {
    const clock = this.clock!;
    this.current = null;
    task.state = 'blocking';
    this.held = task;
    this.heldUntilWall = clock.wallNs() + (clock.wallAtNs(this.nowNs + ns) - clock.wallAtNs(this.nowNs));
    if (this.listeners.length > 0) {
      this.emit({ type: 'task-blocking', t: this.now, wall: this.wall, id: task.id, until: nsToSeconds(this.nowNs + ns) });
    }
  }

  private suspend(task: Task<unknown>, op: Op): void {
    if (task.deliverCancel !== null) {
      // cancel() was called while the task ran: deliver it at this suspension point.
      task.throwOnResume(new CancelledError(task.deliverCancel));
      task.deliverCancel = null;
      task.state = 'ready';
      this.ready.push(task, this.nowNs);
      return;
    }
    const listening = this.listeners.length > 0;
    switch (op.kind) {
      case 'sleep': {
        if (op.ns <= 0) {
          task.state = 'ready';
          this.ready.push(task, this.nowNs);
          if (listening) this.emit({ type: 'task-ready', t: this.now, wall: this.wall, id: task.id });
          return;
        }
        const at = this.nowNs + op.ns;
        task.state = 'sleeping';
        this.timers.push(at, task);
        if (listening) this.emit({ type: 'task-sleeping', t: this.now, wall: this.wall, id: task.id, until: nsToSeconds(at) });
        return;
      }
      case 'join': {
        const target = op.task;
        if (target.ended) {
          this.resumeWithOutcome(task, target);
          return;
        }
        task.state = 'waiting';
        task.waitingOn = target;
        (target.watchers ??= []).push(task);
        if (listening) this.emitWaiting(task, { kind: 'task', id: target.id });
        return;
      }
      case 'future': {
        const future = op.future;
        if (future.settled) {
          this.wake(task, future.value, future.error, future.state === 'rejected');
          return;
        }
        task.state = 'waiting';
        task.waitingOn = future;
        future.waiters.push(task);
        if (listening) this.emitWaiting(task, future.awaits !== null ? { kind: 'tasks', ids: [...future.awaits] } : { kind: 'future', label: future.label });
        return;
      }
      default: {
        task.throwOnResume(new TypeError(`a task yielded something that is not an Op: ${JSON.stringify(op)}`));
        task.state = 'ready';
        this.ready.push(task, this.nowNs);
      }
    }
  }

  private resumeWithOutcome(task: Task<unknown>, target: Task<unknown>): void {
    if (target.state === 'done') this.wake(task, target.result, undefined, false);
    else {
      target.errorObserved = true;
      // If the cancellation ends the joiner too, that is why (unless it is cancelled itself).
      if (target.state === 'cancelled') this.joinCauses.set(task, { by: target.id, reason: 'awaited-cancelled' });
      this.wake(task, undefined, target.state === 'cancelled' ? new CancelledError() : target.error, true);
    }
  }

  private finish(task: Task<unknown>, value: unknown, error: unknown, threw: boolean): void {
    if (this.failing.size > 0 && this.failing.has(task)) {
      // Asked to fail (see `fail`): the cancel that unwound it stands for the failure.
      if (threw && isCancelled(error)) error = this.failing.get(task);
      this.failing.delete(task);
    }
    this.live--;
    const cause = this.cancelCauses.get(task);
    if (cause !== undefined) this.cancelCauses.delete(task);
    const joinCause = this.joinCauses.get(task);
    if (joinCause !== undefined) this.joinCauses.delete(task);
    task.waitingOn = null;
    const watchers = task.watchers;
    task.watchers = null;
    const t = this.now;
    if (!threw) {
      task.settle('done', value);
      if (this.listeners.length > 0) this.emit({ type: 'task-done', t, wall: this.wall, id: task.id });
    } else if (isCancelled(error)) {
      task.settle('cancelled', error);
      if (this.listeners.length > 0) {
        const { by, reason } = cause ?? joinCause ?? { by: task.id, reason: 'raised' as const };
        this.emit({ type: 'task-cancelled', t, wall: this.wall, id: task.id, by, reason });
      }
    } else {
      task.settle('failed', error);
      if (watchers !== null && watchers.some((w) => w instanceof Task)) task.errorObserved = true;
      else this.unobserved.push(task);
      if (this.listeners.length > 0) {
        this.emit({ type: 'task-failed', t, wall: this.wall, id: task.id, error: describeError(error) });
      }
    }
    if (watchers === null) return;
    // Joiners are woken (queued) first, then callbacks run, each in the order they came.
    for (const watcher of watchers) if (watcher instanceof Task) this.resumeWithOutcome(watcher, task);
    for (const watcher of watchers) if (!(watcher instanceof Task)) watcher(task);
  }

  /** A failure nobody joined by the end of its instant is reported (asyncio's "exception was never retrieved"). */
  private reportUnobserved(): void {
    const tasks = this.unobserved.splice(0);
    for (const task of tasks) {
      if (task.errorObserved) continue;
      task.errorObserved = true;
      if (this.listeners.length > 0) {
        this.emit({ type: 'task-unhandled', t: this.now, wall: this.wall, id: task.id, error: describeError(task.error) });
      }
      this.onUnhandled?.(task);
    }
  }

  private reportLag(task: Task<unknown>, due: number): void {
    const late = this.clock
      ? this.clock.wallNs() - this.clock.wallAtNs(due)
      : this.nowNs - due;
    if (late > this.lagThresholdNs) {
      this.emit({ type: 'loop-lag', t: this.now, wall: this.wall, id: task.id, late: nsToSeconds(late) });
    }
  }

  private emitWaiting(task: Task<unknown>, on: WaitTarget): void {
    this.emit({ type: 'task-waiting', t: this.now, wall: this.wall, id: task.id, on });
  }

  private emit(event: TaskEvent): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](event);
  }
}

/** The line a task belongs to: its topmost ancestor below a root (a source), or the task itself. */
export function lineOf(task: Task<unknown>): Task<unknown> {
  let t = task;
  while (t.parent !== null && t.parent.parent !== null) t = t.parent;
  return t;
}
