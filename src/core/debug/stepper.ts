import type { Task } from '../scheduler/task';
import { nsToSeconds } from '../time';
import { awaitOf, awaitTree, readyView, timersView, viewOf, type AwaitNode, type AwaitView, type DebugTarget, type TaskView, type TimerView } from './inspect';

/** One resumption as the stepper saw it. */
export interface Resumption {
  task: TaskView;
  /** Logical time (s) it ran at. */
  t: number;
  /** What it awaits now, or how it ended. */
  after: AwaitView;
}

/** What a run of steps did: its resumptions, where the clock stands, and why it stopped. */
export interface StepResult {
  /** How many resumptions ran. */
  count: number;
  /** The first SHOWN_RESUMPTIONS of them, each with what it did. */
  resumptions: Resumption[];
  /** Logical time (s) after it. */
  t: number;
  /**
   * 'stepped': it did what it was asked; 'breakpoint': a task on a breakpoint's
   * line is next (`at`); 'idle': nothing is left to run; 'limit': the next
   * timer is past the limit; 'count': a run of many steps met its most.
   */
  stop: 'stepped' | 'breakpoint' | 'idle' | 'limit' | 'count';
  at?: TaskView;
  /** The clock moved to the next timer during it (from, to: s), after `after` of its resumptions. */
  moved?: { from: number; to: number; after: number };
}

export interface Breakpoint {
  source: string;
  line: number;
}

/** How many resumptions a result describes one by one (the rest are counted). */
export const SHOWN_RESUMPTIONS = 20;

/** The most resumptions one `continue` or `step line` runs before it hands back (a loop that never ends is stopped, not hung). */
export const MAX_STEPS_PER_COMMAND = 1_000_000;

/**
 * The one stepping API of the core: the session's logical clock, paused, moved
 * by hand. The CLI's `--step` drives it from typed commands; the app will from
 * its buttons. It never changes what a run does, only when it stops: a run
 * stepped to its end is the run played (the same resumptions, in the same
 * order, at the same logical times).
 *
 * - `step`: exactly one resumption (the first ready task runs to its next
 *   await); with nothing ready, the clock first moves to the next timer.
 * - `nextInstant`: every resumption of this instant, then the clock moves to
 *   the next timer (whose tasks are then ready, not yet run).
 * - `stepLine(task)`: until `task` goes on from what it awaits now (its command is over).
 * - `continue`: until a breakpoint's line is next, nothing is left, or the limit.
 *
 * Live, the real clock's driver pauses first (`RealTimeDriver.pause`: nothing
 * runs, logical time stands still), the steps move the engine by hand, and
 * `resume` goes on from where they left it, with nothing late.
 */
export class Stepper {
  private readonly breakpoints: Breakpoint[] = [];
  /** The task a `continue` last stopped before, at a breakpoint. */
  private stoppedAt: Task<unknown> | null = null;
  /** While paused nothing runs but what a step asks for; `continue` unpauses until it stops. */
  paused = true;

  constructor(
    private readonly target: DebugTarget,
    /** Logical time (ns) no step goes past: a script that loops forever stops there. */
    private readonly limitNs = Infinity,
  ) {}

  get nowSeconds(): number {
    return this.target.scheduler.now;
  }

  /** Nothing is ready and no timer is left. */
  get done(): boolean {
    return this.target.scheduler.idle;
  }

  addBreakpoint(bp: Breakpoint): void {
    if (!this.breakpoints.some((b) => b.source === bp.source && b.line === bp.line)) this.breakpoints.push(bp);
  }

  get breakpointList(): readonly Breakpoint[] {
    return this.breakpoints;
  }

  ready(): TaskView[] {
    return readyView(this.target);
  }

  timers(): TimerView[] {
    return timersView(this.target);
  }

  tree(): AwaitNode[] {
    return awaitTree(this.target);
  }

  step(): StepResult {
    const result = this.result();
    if (!this.ensureReady(result)) return result;
    this.resumeHead(result);
    return this.finish(result, 'stepped');
  }

  nextInstant(): StepResult {
    const result = this.result();
    const s = this.target.scheduler;
    while (s.hasReady) {
      if (result.count >= MAX_STEPS_PER_COMMAND) return this.finish(result, 'count');
      this.resumeHead(result);
    }
    this.ensureReady(result);
    return this.finish(result, result.moved === undefined && result.count === 0 ? 'idle' : 'stepped');
  }

  /**
   * Step line: run (everything due meanwhile too) until `task` has gone on
   * once: what it awaits now (a sleep, the command a line runs as a task of its
   * own, a cue) is over, and it has begun its next command, or ended.
   */
  stepLine(task: Task<unknown>): StepResult {
    const result = this.result();
    const s = this.target.scheduler;
    while (!task.ended) {
      if (result.count >= MAX_STEPS_PER_COMMAND) return this.finish(result, 'count');
      if (!this.ensureReady(result)) return result;
      const head = s.readyHead()!;
      this.resumeHead(result);
      if (head === task) break;
    }
    return this.finish(result, 'stepped');
  }

  /** Run until a breakpoint's line is next (not the one stopped at now), nothing is left, or the limit. */
  continue(): StepResult {
    const result = this.result();
    this.paused = false;
    try {
      let first = true;
      for (;;) {
        if (result.count >= MAX_STEPS_PER_COMMAND) return this.finish(result, 'count');
        if (!this.ensureReady(result)) return result;
        const head = this.target.scheduler.readyHead()!;
        // The breakpoint it stopped at last time is passed, as pdb's continue passes it.
        if (!(first && head === this.stoppedAt) && this.onBreakpoint(head)) {
          this.stoppedAt = head;
          return this.finish({ ...result, at: viewOf(head) }, 'breakpoint');
        }
        first = false;
        this.resumeHead(result);
      }
    } finally {
      this.paused = true;
    }
  }

  /** The task is on a breakpoint's line (its command is written there). */
  private onBreakpoint(task: Task<unknown>): boolean {
    const pos = task.pos;
    return pos !== null && this.breakpoints.some((b) => b.line === pos.line && b.source === pos.source);
  }

  private result(): StepResult {
    return { count: 0, resumptions: [], t: this.nowSeconds, stop: 'stepped' };
  }

  /** Something is ready, the clock moved to the next timer if need be; else the result says why not (idle, limit). */
  private ensureReady(result: StepResult): boolean {
    const s = this.target.scheduler;
    if (s.hasReady) return true;
    const next = s.nextTimerNs();
    if (next === undefined) {
      s.advanceToNextTimer(); // none left: it ends the instant (its notes are published)
      this.finish(result, 'idle');
      return false;
    }
    if (next > this.limitNs) {
      s.advanceTo(this.limitNs); // time stands at the limit, as an offline render's does
      this.finish(result, 'limit');
      return false;
    }
    const from = s.now;
    s.advanceToNextTimer();
    result.moved = { from: result.moved?.from ?? from, to: s.now, after: result.count };
    return true;
  }

  private resumeHead(result: StepResult): void {
    const s = this.target.scheduler;
    const t = s.now;
    const task = s.stepAt(0);
    if (task === null) return;
    result.count++;
    if (result.resumptions.length >= SHOWN_RESUMPTIONS) return;
    const wakes = task.state === 'sleeping' ? new Map(s.timerEntries().filter(([, x]) => x === task).map(([at, x]) => [x, at])) : new Map<Task<unknown>, number>();
    result.resumptions.push({ task: viewOf(task), t, after: awaitOf(task, wakes) });
  }

  private finish(result: StepResult, stop: StepResult['stop']): StepResult {
    result.stop = stop;
    result.t = nsToSeconds(this.target.scheduler.nowNanos);
    return result;
  }
}
