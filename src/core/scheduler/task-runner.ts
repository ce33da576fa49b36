import { MAX_TIME_NS, nsToSeconds, secondsToNs, unkeptWait } from '../time';

/** holdOrCheck: the task goes on at once. */
const CONTINUE = Symbol('continue');
import { CancelledError, describeError, isCancelled } from './errors';
import type { CancelCause, TaskEvent, TaskEventListener, WaitTarget } from './events';
import type { Awaitable, Watcher } from './awaitable';
import { Future, type FutureHost } from './future';
import { TimerHeap } from './heap';
import { BulkCancels, type CancelOne } from './bulk-cancel';
import type { RealClock, SchedulerOptions } from './clock';
import { Budgets, lineOf } from './budgets';
import { CANCELS_AT_ONCE, COMMANDS_PER_CHECK, DEFAULT_LIMITS, LimitError, MAX_BLOCK_NS, MAX_BLOCK_SECONDS, type SchedulerLimits } from './limits';
import type { Co, Op } from './ops';
import { ReadyQueue } from './queue';
import { Task, type TaskOptions } from './task';

/**
 * The half of the scheduler that runs tasks: spawning, resuming a task until it
 * suspends (step), what it waits on (sleep, await, block), cancelling, failing
 * and ending it, the budgets, and the events that say so. The other half,
 * `Scheduler` (scheduler.ts), drives time: the loops that run what is ready
 * and fire the timers, on the virtual clock or a real one.
 */
export abstract class TaskRunner implements FutureHost {
  protected nowNs = 0;
  private nextId = 1;
  protected readonly ready = new ReadyQueue<Task<unknown>>();
  protected readonly timers = new TimerHeap<Task<unknown>>();
  private listeners: TaskEventListener[] = [];
  private readonly instantHooks: ((ns: number) => void)[] = [];
  protected clock: RealClock | null = null;
  private readonly lagThresholdNs: number;
  private live = 0;
  /** Inside a run loop: wakes then come from tasks, at the present logical time. */
  protected driving = false;
  private readonly unobserved: Task<unknown>[] = [];
  /** Who asked for the cancellation of each task cancelled and not yet ended (few at a time: a map, not a field of every task). */
  private readonly cancelCauses = new Map<Task<unknown>, CancelCause>();
  /** Tasks woken with the cancellation of a task they joined (the cause, if that ends them too). */
  private readonly joinCauses = new Map<Task<unknown>, CancelCause>();
  /** Called for each failed task whose error nobody retrieved by the end of its instant. */
  onUnhandled: ((task: Task<unknown>) => void) | null = null;
  /** Set by a real-clock driver while it runs a slice: true once it is over (a long resumption then pauses). */
  sliceOver: (() => boolean) | null = null;
  /** Called when work arrives from outside a resumption (a driver pumps then). */
  onWork: (() => void) | null = null;
  /** The task whose slice is running, or null between slices. */
  current: Task<unknown> | null = null;
  /** Resumptions performed so far (for benchmarks and the status bar). */
  resumptions = 0;
  /**
   * Work done inside resumptions, in about one resumption's cost (the session adds one per command run).
   * `runDue`'s budget counts these as well as the resumptions, so one long resumption ends a slice.
   */
  work = 0;
  /**
   * Called when a task goes over a limit (limits.ts) with the task to blame (for the resumption budgets,
   * its line) and a located error. Default: the task fails. A session fails the line's tasks and reports it.
   */
  onLimit: ((task: Task<unknown>, error: LimitError) => void) | null = null;
  readonly limits: SchedulerLimits;
  private readonly budgets: Budgets;
  /** Tasks asked to fail (with this error) rather than be cancelled: see `fail`. */
  private readonly failing = new Map<Task<unknown>, unknown>();
  /** Real clock: the task whose `block` holds the scheduler (nothing else runs), and the wall time (ns) it ends. */
  protected held: Task<unknown> | null = null;
  protected heldUntilWall = 0;
  /** Commands until the next look at `sliceOver`; resumptions that went on after a pause (see `resumption`). */
  private untilCheck = COMMANDS_PER_CHECK;
  private pauseResumes = 0;
  protected pausing = false;
  /** The next step goes on after a pause (see `pause`). */
  protected afterPause = false;
  /** The end of the budget of work the present `runDue` runs with (in resumptions + work). */
  protected workBudgetEnd = Infinity;
  /** Bulk cancellations still being delivered (see `cancelAll`), and whether there are any. */
  private readonly bulk = new BulkCancels();
  protected condemning = false;
  private readonly cancelOne: CancelOne = (task, message, cause) => {
    this.cancel(task, message, cause);
  };

  constructor(options: SchedulerOptions = {}) {
    this.lagThresholdNs = secondsToNs(options.lagThreshold ?? 0.02);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.budgets = new Budgets(this.limits);
  }

  /** Logical time in seconds. */
  get now(): number {
    return nsToSeconds(this.nowNs);
  }

  get nowNanos(): number {
    return this.nowNs;
  }

  /** Wall time in seconds (real, or simulated on the virtual clock). */
  get wall(): number {
    return this.clock ? nsToSeconds(this.clock.wallNs()) : nsToSeconds(this.nowNs);
  }

  /** Tasks that have been spawned and have not ended. */
  get liveTasks(): number {
    return this.live;
  }

  /**
   * Counts a resumption's uninterrupted runs: it goes up with every resumption
   * but one that goes on after a pause (a per-resumption budget counts on).
   */
  get resumption(): number {
    return this.resumptions - this.pauseResumes;
  }

  /**
   * Should the running task pause before its next command (`pauseThen`)? On a
   * real clock, when its driver's slice is over (looked at every
   * COMMANDS_PER_CHECK commands): the host then gets its turn in the middle of
   * a long resumption, which goes on first thing after it.
   */
  pauseDue(): boolean {
    if (this.clock === null || !this.driving || this.current === null || --this.untilCheck > 0) return false;
    this.untilCheck = COMMANDS_PER_CHECK;
    // Outside a driver's slice (a control catching up first): the budget of work it runs with.
    return this.sliceOver !== null ? this.sliceOver() : this.resumptions + this.work >= this.workBudgetEnd;
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
    const tooMany = this.budgets.taskCreated(this.nowNs, this.clock);
    if (tooMany !== null) this.tooManyCreated(parent, options, tooMany);
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
          // As asyncio: cancelling a task that awaits another task cancels that one, and ends with it.
          task.deliverCancel = message;
          this.cancel(on, message, { by: task.id, reason: 'awaiter-cancelled' });
        } else if (on !== null) {
          on.removeWaiter(task);
          this.wake(task, undefined, new CancelledError(message), true);
        }
        break;
      }
    }
    return true;
  }

  /**
   * Cancel every task of `tasks` (panic, stop) as `cancel` does, in that order,
   * without holding the host for long: at once each is condemned (if it comes
   * to run, it is cancelled first, so nothing new starts) and the first
   * CANCELS_AT_ONCE are cancelled; the rest are cancelled before anything else
   * runs, a slice's budget of work at a time.
   */
  cancelAll(tasks: readonly Task<unknown>[], message: string, cause: CancelCause): void {
    if (tasks.length === 0) return;
    this.bulk.add(tasks, message, cause);
    this.condemning = true;
    this.runBulk(CANCELS_AT_ONCE);
    // A block holds everything else: it ends now, not when its turn in the batch comes.
    if (this.held !== null && this.held.condemned) this.bulk.cancelNow(this.held, this.cancelOne);
    if (this.condemning) this.signalWork();
  }

  /** Deliver up to `max` cancels of the bulk cancellations, counted as work. */
  protected runBulk(max: number): void {
    this.work += this.bulk.run(max, this.cancelOne);
    this.condemning = this.bulk.pending;
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

  /**
   * FutureHost: `awaited` (a task or a future) has settled. The one way every
   * wait ends: its waiting tasks are woken (queued) first, then its callbacks
   * run, each in the order they came.
   */
  settled(awaited: Awaitable<unknown>, watchers: Watcher[]): void {
    for (const watcher of watchers) if (typeof watcher !== 'function') this.resumeWithOutcome(watcher as Task<unknown>, awaited);
    for (const watcher of watchers) if (typeof watcher === 'function') watcher(awaited);
  }

  /** Resume a waiting task with a value or an error. */
  private wake(task: Task<unknown>, value: unknown, error: unknown, failed: boolean): void {
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

  // ---- internals ---------------------------------------------------------

  /** Too many tasks created (see Budgets.taskCreated): the spawning line fails with all its tasks, and this spawn throws. */
  private tooManyCreated(parent: Task<unknown> | null, options: TaskOptions, message: string): never {
    if (parent === null) throw new LimitError(message, options.pos ?? null);
    const line = lineOf(parent);
    const error = new LimitError(message, line.pos ?? options.pos ?? null);
    this.limitReached(line, error);
    // The spawning task is failing now with the line (reported once): unwind it as its failure does.
    throw this.failing.has(parent) ? new CancelledError(message) : error;
  }

  protected setNow(ns: number): void {
    this.endInstant();
    this.nowNs = ns;
    this.budgets.newInstant(ns);
  }

  /**
   * A resumption went over a budget: blame the line the task belongs to (on
   * the real clock it is also what falls behind), then start counting afresh.
   */
  private overBudget(task: Task<unknown>): void {
    const line = lineOf(task);
    const message = this.budgets.overMessage(this.now);
    this.limitReached(line, new LimitError(message, line.pos));
    if (task !== line && !task.ended && !task.cancelRequested) this.fail(task, this.failing.get(line) ?? new LimitError(message, line.pos));
  }

  private limitReached(task: Task<unknown>, error: LimitError): void {
    if (this.onLimit !== null) this.onLimit(task, error);
    else this.fail(task, error);
  }

  protected endInstant(): void {
    if (this.unobserved.length > 0) this.reportUnobserved();
    const hooks = this.instantHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i](this.nowNs);
  }

  /** When a resumption queued now is due: now, or for work from outside a real clock's present. */
  protected dueNow(): number {
    return this.clock !== null && !this.driving ? Math.max(this.nowNs, this.clock.logicalNowNs()) : this.nowNs;
  }

  private signalWork(): void {
    if (this.onWork !== null) this.onWork();
  }

  /** Resumes `task` until it suspends or ends; `due` is when this resumption was due. */
  protected step(task: Task<unknown>, due: number): void {
    if (this.condemning && task.condemned) this.bulk.cancelNow(task, this.cancelOne);
    this.resumptions++;
    if (this.budgets.resumption()) this.overBudget(task);
    // A task that goes on after a pause states nothing: to a view it never stopped running.
    const listening = this.listeners.length > 0 && !this.afterPause;
    this.afterPause = false;
    task.state = 'running';
    this.current = task;
    if (listening) this.announce(task, due);
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
      // The common case, a sleep the clock can keep, goes straight to suspend (NaN and ±Infinity fail the test).
      if (op.kind === 'sleep' && Math.abs(op.ns) <= MAX_TIME_NS - this.nowNs) break;
      if (op.kind !== 'sleep' && op.kind !== 'block' && op.kind !== 'pause') break;
      const next = this.holdOrCheck(task, op);
      if (next === null) return;
      if (next !== CONTINUE) {
        op = next;
        break;
      }
    }
    this.current = null;
    this.suspend(task, op);
  }

  /** The rare ops, out of `step`'s common path: the op to suspend on, CONTINUE to resume at once, or null (held). */
  private holdOrCheck(task: Task<unknown>, op: Op): Op | typeof CONTINUE | null {
    if (op.kind === 'pause') {
      if (this.clock === null) return CONTINUE;
      this.pause(task);
      return null;
    }
    if (op.kind !== 'block' && op.kind !== 'sleep') return op;
    const unkept = unkeptWait(op.kind === 'block' ? 'block' : 'wait', this.nowNs, op.ns);
    if (unkept !== null) {
      // Never let NaN, or a time the clock cannot count to, reach the clock (it would stop time for good): the line fails instead.
      this.limitReached(task, new LimitError(unkept, task.pos));
      return { kind: 'sleep', ns: 0 };
    }
    if (op.kind === 'sleep') return op;
    if (op.ns > MAX_BLOCK_NS) {
      this.limitReached(
        task,
        new LimitError(`block ${nsToSeconds(op.ns)} s is longer than the longest block, ${MAX_BLOCK_SECONDS} s (use offload for long work)`, task.pos),
      );
    } else if (this.clock !== null && op.ns > 0) {
      // The real clock: the scheduler is held (nothing else runs) but the host thread is not, so panic gets in.
      this.holdReal(task, op.ns);
      return null;
    } else this.hold(task, op.ns);
    if (task.deliverCancel !== null) {
      task.throwOnResume(new CancelledError(task.deliverCancel));
      task.deliverCancel = null;
    }
    return CONTINUE;
  }

  /**
   * A pause in a long resumption: the task holds the scheduler as a `block`
   * does (nothing else runs before it goes on) but for no time, so the driver
   * lets the host in and then resumes it first. It states no event.
   */
  private pause(task: Task<unknown>): void {
    this.current = null;
    task.state = 'blocking';
    this.held = task;
    this.heldUntilWall = -Infinity;
    this.pausing = true;
    this.pauseResumes++;
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
          if (listening) this.emitState('task-ready', task.id);
          return;
        }
        const at = this.nowNs + op.ns;
        task.state = 'sleeping';
        this.timers.push(at, task);
        if (listening) {
          const t = this.now;
          this.emit({ type: 'task-sleeping', t, wall: this.clock === null ? t : this.wall, id: task.id, until: nsToSeconds(at) });
        }
        return;
      }
      case 'await': {
        const on = op.on;
        if (on.settled) {
          this.resumeWithOutcome(task, on);
          return;
        }
        task.state = 'waiting';
        task.waitingOn = on;
        on.addWaiter(task);
        if (listening) this.emitWaiting(task, on.waitTarget());
        return;
      }
      default: {
        task.throwOnResume(new TypeError(`a task yielded something that is not an Op: ${JSON.stringify(op)}`));
        task.state = 'ready';
        this.ready.push(task, this.nowNs);
      }
    }
  }

  /** Resume `task` with what `on` (settled) came to: its value, or its error thrown in. */
  private resumeWithOutcome(task: Task<unknown>, on: Awaitable<unknown>): void {
    if (!on.failed) {
      this.wake(task, on.settledValue, undefined, false);
      return;
    }
    let error = on.settledValue;
    if (on instanceof Task) {
      on.errorObserved = true;
      if (on.state === 'cancelled') {
        // If the cancellation ends the joiner too, that is why (unless it is cancelled itself).
        this.joinCauses.set(task, { by: on.id, reason: 'awaited-cancelled' });
        error = new CancelledError();
      }
    }
    this.wake(task, undefined, error, true);
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
    const watchers = task.takeWatchers();
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
      if (watchers !== null && watchers.some((w) => typeof w !== 'function')) task.errorObserved = true;
      else this.unobserved.push(task);
      if (this.listeners.length > 0) {
        this.emit({ type: 'task-failed', t, wall: this.wall, id: task.id, error: describeError(error) });
      }
    }
    if (watchers !== null) this.settled(task, watchers);
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

  /** A view hears that `task` runs, and how late if it is. */
  private announce(task: Task<unknown>, due: number): void {
    const late = this.clock ? this.clock.wallNs() - this.clock.wallAtNs(due) : this.nowNs - due;
    if (late > this.lagThresholdNs) this.emit({ type: 'loop-lag', t: this.now, wall: this.wall, id: task.id, late: nsToSeconds(late) });
    this.emitState('task-running', task.id);
  }

  /** The events a resumption states most often, with the time taken once (on the virtual clock wall is t). */
  private emitState(type: 'task-running' | 'task-ready', id: number): void {
    const t = this.now;
    this.emit({ type, t, wall: this.clock === null ? t : this.wall, id });
  }

  private emitWaiting(task: Task<unknown>, on: WaitTarget): void {
    this.emit({ type: 'task-waiting', t: this.now, wall: this.wall, id: task.id, on });
  }

  private emit(event: TaskEvent): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](event);
  }
}
