import { commandError, defineCommand, INVALID, runningTask, type Invocation } from '../language/command';
import { quote } from '../language/diagnostics';
import { runInvocation } from '../language/interpreter';
import type { SourcePosition } from '../scheduler/events';
import type { Task } from '../scheduler/task';
import { defineSessionSlice, type StateHolder } from '../session/state';
import { parseBody } from './body';
import { trackBlocked, untrackBlocked } from './repeat';
import { cueNow } from './sync';
import { livePython } from './live.python';

// Sonic Pi's live_loop: a named loop in a task of its own, whose body can be
// replaced while it plays. The new body takes over at the next pass boundary,
// in the same task, so there is no gap, no overlap and no second copy. Each
// pass starts with `cue NAME`, so `sync NAME` in another loop follows this one.

/** A running live loop (a class, so the argument resolver leaves it alone). */
class LiveLoop {
  next: Invocation | null = null;
  /** The `live` line that brought `next`: the loop's task takes its text and place when the body swaps. */
  nextLine: { text: string; pos: SourcePosition } | null = null;
  task: Task<unknown> | null = null;
  passes = 0;
  constructor(
    readonly name: string,
    public body: Invocation,
  ) {}
}

/**
 * The live loops of a session: the one playing under each name (lowercase),
 * and every task that is or was a live loop (weak: a task spawned inside a
 * loop that has ended still counts as inside one).
 */
const liveState = defineSessionSlice('live', () => ({
  loops: new Map<string, LiveLoop>(),
  tasks: new WeakSet<Task<unknown>>(),
}));

/** Is `task` a live loop, or inside one? (A replayed script keeps these, and swaps their bodies.) */
export function isInLiveLoop(holder: StateHolder, task: Task<unknown>): boolean {
  const { tasks } = liveState.of(holder);
  for (let t: Task<unknown> | null = task; t !== null; t = t.parent) if (tasks.has(t)) return true;
  return false;
}

/** The task of the live loop playing under `name` now (any case), if one is. */
export function liveLoopTask(holder: StateHolder, name: string): Task<unknown> | undefined {
  const task = liveState.of(holder).loops.get(name.toLowerCase())?.task;
  return task !== null && task !== undefined && !task.ended ? task : undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The task of a live loop: pass after pass, taking the newest body at each boundary. */
const liveLoop = defineCommand<LiveLoop>({
  name: 'live-loop',
  usage: 'live-loop',
  summary: 'the task of a live loop',
  parse() {
    return INVALID;
  },
  *run(state, ctx, invocation) {
    const self = runningTask(ctx);
    const blocked = trackBlocked(ctx, self);
    try {
      for (;;) {
        if (state.next !== null) {
          state.body = state.next;
          state.next = null;
          if (state.nextLine !== null) {
            // `tasks`, the timeline and the editor's lit line show the body that plays now
            self.name = state.nextLine.text;
            self.pos = state.nextLine.pos;
            state.nextLine = null;
          }
          ctx.fact?.({ type: 'live-swap', source: ctx.source, name: state.name, taskId: self.id, pass: state.passes, text: self.name, pos: self.pos });
        }
        state.passes++;
        // Each pass starts with `cue NAME`, as Sonic Pi's live_loop does: a `sync NAME` elsewhere follows the loop.
        cueNow(ctx, state.name.toLowerCase(), true);
        const start = ctx.scheduler.nowNanos;
        const blockedBefore = blocked.ns;
        const body = state.body;
        yield* runInvocation(body, ctx);
        if (ctx.scheduler.nowNanos - start - (blocked.ns - blockedBefore) <= 0) {
          throw commandError(invocation, {
            message: `live loop ${state.name} never waits: one pass of ${quote(body.text)} took no time, so it would hold the scheduler forever`,
            found: `${quote(body.text)}, which takes no time`,
            expected: 'a body that waits (wait, beep, chord, sync ...)',
            hint: `give each pass some time, e.g. "live ${state.name} ${body.text}; wait 1"`,
          });
        }
      }
    } finally {
      untrackBlocked(ctx, self);
    }
  },
});

export const live = defineCommand({
  name: 'live',
  python: livePython,
  usage: 'live NAME CMD',
  example: 'live drums beep C3 0.25; wait 0.75',
  summary: 'loop CMD in a task of its own named NAME, each pass starting with cue NAME; live NAME again replaces CMD from the next pass',
  sequence: true,
  parse(r, ctx) {
    const word = r.word('a name for the live loop, like drums');
    if (word === undefined) return INVALID;
    if (!NAME.test(word.text)) {
      r.error(word, {
        message: `bad live loop name ${quote(word.text)}: expected letters, digits, _ or -, starting with a letter`,
        found: word.text,
        expected: 'a name like drums or bass',
      });
      r.rest();
      return INVALID;
    }
    const body = parseBody(r.rest(), r, ctx, `the commands of live ${word.text}`);
    return body === null ? INVALID : { name: word.text, body };
  },
  *run({ name, body }, ctx, invocation) {
    const { loops, tasks: loopTasks } = liveState.of(ctx);
    const key = name.toLowerCase();
    const running = loops.get(key);
    if (running !== undefined && running.task !== null && !running.task.ended) {
      running.next = body;
      running.nextLine = { text: invocation.text, pos: invocation.pos };
      const alias = ctx.tasks.nameOf(running.task, ctx.source);
      ctx.output(`live ${name}${alias !== undefined ? ` (${alias})` : ''}: replaced, the new body plays from its next pass`);
      return alias;
    }
    const state = new LiveLoop(name, body);
    loops.set(key, state);
    const task = ctx.spawn({ spec: liveLoop, args: state, text: invocation.text, pos: invocation.pos, endCol: invocation.endCol }, { kind: 'spawned' });
    state.task = task;
    loopTasks.add(task);
    task.onEnd(() => {
      if (loops.get(key) === state) loops.delete(key);
    });
    const alias = ctx.tasks.nameTask(task);
    ctx.output(`[${alias}] live ${name}`);
    return alias;
  },
});
