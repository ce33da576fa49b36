import { nsToSeconds, secondsToNs } from '../time';
import { CancelledError, describeError, isCancelled } from './errors';
import type { CancelCause, TaskEvent, TaskEventListener, WaitTarget } from './events';
import { Future, type FutureHost } from './future';
import { TimerHeap } from './heap';
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
  /** Busy-wait, holding the thread, for `ns` of logical time (wall time scaled by the clock's speed). */
  hold(ns: number): void;
}

export interface SchedulerOptions {
  /** A resumption later than this (seconds) emits a `loop-lag` event. Default 0.02. */
  lagThreshold?: number;
}

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

  constructor(options: SchedulerOptions = {}) {
    this.lagThresholdNs = secondsToNs(options.lagThreshold ?? 0.02);
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
    return this.ready.length === 0 && this.timers.peekAt() === undefined;
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

  /** Run every ready task until none is ready (one logical instant, or more under `block`). */
  runReady(): void {
    const queue = this.ready;
    const outer = this.driving;
    this.driving = true;
    while (queue.length > 0) {
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
      this.runReady();
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
   */
  runDue(upToNs: number): void {
    const queue = this.ready;
    const outer = this.driving;
    this.driving = true;
    for (;;) {
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
      if (op.kind !== 'block') break;
      this.hold(task, op.ns);
      if (task.deliverCancel !== null) {
        task.throwOnResume(new CancelledError(task.deliverCancel));
        task.deliverCancel = null;
      }
    }
    this.current = null;
    this.suspend(task, op);
  }

  /** `block`: the thread is held; on the virtual clock time moves on with nothing else running. */
  private hold(task: Task<unknown>, ns: number): void {
    if (ns <= 0) return;
    const listening = this.listeners.length > 0;
    if (listening) {
      this.emit({ type: 'task-blocking', t: this.now, wall: this.wall, id: task.id, until: nsToSeconds(this.nowNs + ns) });
    }
    task.state = 'blocking';
    if (this.clock) this.clock.hold(ns);
    else this.setNow(this.nowNs + ns);
    task.state = 'running';
    if (listening) this.emit({ type: 'task-running', t: this.now, wall: this.wall, id: task.id });
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
