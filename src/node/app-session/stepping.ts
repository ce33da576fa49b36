/**
 * Stepping the app's session while it is paused (issue 20), with the one
 * stepping API of the core (src/core/debug/stepper.ts), the one the CLI's
 * `--step` uses: Step (one resumption), Step to the next instant, Step line.
 * After each step the notes it changed are published at once (a step is
 * heard), and every renderer is sent the clock where it now stands and the
 * inspector: the ready queue, the timers and the await tree.
 */
import { awaitTree, type AwaitNode } from '../../core/debug/inspect';
import { Stepper, type StepResult } from '../../core/debug/stepper';
import type { SessionInput } from '../../core/debug/replay-inputs';
import type { Scheduler } from '../../core/scheduler/scheduler';
import type { Task } from '../../core/scheduler/task';
import { INSPECTOR_ROWS, type ClockInfo, type HostMessage, type Inspector, type ParamsOf, type ReplyOf } from '../../protocol';
import type { EngineSession } from './engine';

export interface SteppingHooks {
  engine(): EngineSession;
  paused(): boolean;
  clock(): ClockInfo;
  /** Send to every renderer, after the events queued before it. */
  publish(message: HostMessage): void;
  /** Run `body`, a step's move of the engine, recorded as `input` so Replay from here replays it. */
  input<T>(input: SessionInput, body: () => T): T;
}

export class Stepping {
  /** Something changed while paused (a script loaded, a line typed, a task cancelled): the inspector is sent once it settles. */
  private pending = false;

  constructor(private readonly hooks: SteppingHooks) {}

  /** The session changed while paused, not by a step: send the inspector again, once, after the change. */
  changed(): void {
    if (this.pending || !this.hooks.paused()) return;
    this.pending = true;
    queueMicrotask(() => {
      if (this.pending) this.announce();
    });
  }

  /** The inspector as it stands, or null while the clock runs. */
  inspector(): Inspector | null {
    if (!this.hooks.paused()) return null;
    const stepper = this.stepper();
    const ready = stepper.ready();
    const timers = stepper.timers();
    const tree = flatten(stepper.tree());
    return {
      t: this.hooks.clock().t,
      ready: ready.slice(0, INSPECTOR_ROWS),
      timers: timers.slice(0, INSPECTOR_ROWS),
      tree: tree.slice(0, INSPECTOR_ROWS),
      more: { ready: Math.max(0, ready.length - INSPECTOR_ROWS), timers: Math.max(0, timers.length - INSPECTOR_ROWS), tree: Math.max(0, tree.length - INSPECTOR_ROWS) },
    };
  }

  /** Tell every renderer the inspector (after a pause, a step), or that there is none (continue). */
  announce(): void {
    this.pending = false;
    this.hooks.publish({ type: 'inspector', inspector: this.inspector() });
  }

  step({ kind, taskId }: ParamsOf<'step'>): ReplyOf<'step'> {
    if (!this.hooks.paused()) return unavailable('steps run while the session is paused: pause first (Space, or the Pause button)');
    const engine = this.hooks.engine();
    const s = engine.scheduler;
    // A `block` holds the real clock's wall time: it ends on continue, not by a step.
    if (s.heldUntilWallNs !== undefined) return unavailable('a block holds the scheduler until its wall time: continue to let it end');
    const stepper = this.stepper();
    let result: StepResult;
    if (kind === 'step') result = stepper.step();
    else if (kind === 'next-instant') result = stepper.nextInstant();
    else {
      const task = this.lineTask(taskId);
      if (task === null) {
        const what = taskId === undefined ? 'no task is ready or sleeping' : `no live task ${taskId}`;
        return { ok: false, error: { code: 'failed', message: `step line: ${what}; expected the id of a task the inspector lists` } };
      }
      result = stepper.stepLine(task);
    }
    // A step's notes are heard now, not only when its instant ends.
    this.hooks.input({ kind: 'flush-notes' }, () => engine.stream.flush(s.nowNanos));
    const clock = this.hooks.clock();
    this.hooks.publish({ type: 'clock', clock });
    this.announce();
    return { ok: true, value: { count: result.count, ran: result.resumptions.map((r) => r.task.id), t: clock.t, stop: result.stop } };
  }

  /** The task step line follows: the one asked for, else the next to run (the ready queue's head, else the first to wake). */
  private lineTask(taskId: number | undefined): Task<unknown> | null {
    const engine = this.hooks.engine();
    if (taskId !== undefined) return engine.liveTasks().find((t) => t.id === taskId) ?? null;
    return engine.scheduler.readyHead() ?? engine.scheduler.timerEntries()[0]?.[1] ?? null;
  }

  private stepper(): Stepper {
    const engine = this.hooks.engine();
    return new Stepper({ scheduler: recorded(engine.scheduler, this.hooks.input), liveTasks: () => engine.liveTasks() });
  }
}

/**
 * The scheduler as the stepper moves it, each move recorded: the two calls by
 * which a step changes the engine (one resumption, the clock to the next
 * timer) are inputs of the run, as typed lines are; all else reads through.
 */
function recorded(scheduler: Scheduler, input: SteppingHooks['input']): Scheduler {
  return new Proxy(scheduler, {
    get(target, key) {
      if (key === 'stepAt') return (index: number) => input({ kind: 'step', index }, () => target.stepAt(index));
      if (key === 'advanceToNextTimer') return () => input({ kind: 'next-timer' }, () => target.advanceToNextTimer());
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function unavailable(message: string): ReplyOf<'step'> {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** The await tree's rows in the order pstree prints them, each with its depth. */
export function flatten(roots: AwaitNode[]): Inspector['tree'] {
  const rows: Inspector['tree'] = [];
  const walk = (node: AwaitNode, depth: number): void => {
    const { awaits } = node;
    // A message names at most INSPECTOR_ROWS of the tasks one awaits (a gather of 1,000 parts).
    rows.push({ task: node.task, awaits: awaits.kind === 'tasks' ? { kind: 'tasks', ids: awaits.ids.slice(0, INSPECTOR_ROWS) } : awaits, depth });
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return rows;
}
