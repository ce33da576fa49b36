import { musicFingerprint, musicOf } from '../language/music';
import { settingsVersion } from '../language/task-settings';
import { Session } from '../session/session';
import type { Task } from '../scheduler/task';
import { viewOf, type TaskView } from './inspect';
import { OutcomeRecorder, type Outcome } from './outcome';

/**
 * The interleaving explorer. At an instant where several tasks are ready,
 * corotone runs them first in, first out, as asyncio does; another valid
 * scheduler could run them in any order. This runs a script again under the
 * other orders (a fresh session each time, on the virtual clock), within a
 * budget of runs, and groups the runs by outcome (the notes heard and how
 * each task ended).
 *
 * Orders that cannot change the outcome are skipped, as a dynamic
 * partial-order reduction does: a run says, for each resumption, what it
 * touched (its footprint); running a ready task earlier is tried only where its
 * next resumption and one it would overtake touch something both care about.
 * Two resumptions that only sleep (and sound their own notes) commute, so their
 * orders are never tried.
 */

export interface ExploreOptions {
  /** The most runs (orders) to try. */
  budget: number;
  /** Logical time (ns) each run stops at (a script that loops forever). */
  limitNs: number;
  /** The most resumptions of one run. */
  maxSteps?: number;
}

/** A moment with a choice: several tasks ready, and the one this run ran (`choice`, an index into them; 0 is FIFO). */
export interface Decision {
  t: number;
  /** How many were ready (at most MAX_CHOICES are tried). */
  readyCount: number;
  choice: number;
  /** The task first in line, and the one run. */
  fifo: TaskView;
  ran: TaskView;
}

export interface ExploredOutcome {
  outcome: Outcome;
  /** How many runs ended in it. */
  runs: number;
  /** The choices of the first run that made it (0 at every decision is asyncio's order). */
  schedule: number[];
  /** That run's decisions. */
  decisions: Decision[];
}

export interface Exploration {
  runs: number;
  /** The distinct outcomes, the first-in-first-out run's first. */
  outcomes: ExploredOutcome[];
  /** Orders still to try when the budget ran out (0: every order that could matter was tried). */
  unexplored: number;
}

/** What one resumption touched. */
interface Footprint {
  task: number;
  parent: number | null;
  /** When it ran (ns). */
  at: number;
  /** The resumption that made its task ready (woke or spawned it), or -1 (a timer, or before the first). */
  cause: number;
  /** It only slept (or yielded) and sounded or ended its own notes: it commutes with every other such resumption. */
  local: boolean;
  /** It changed what any resumption reads: a tempo, a chance, another task's notes. */
  shared: boolean;
  /** Its task ended (the tasks alive changed), and it looked the tasks alive up (`cancel t1`, `tasks`, `stop`). */
  ended: boolean;
  readsTasks: boolean;
  /** Ready tasks it asked to cancel (their next resumption is not what it was). */
  cancelled: number[];
}

interface Run {
  outcome: Outcome;
  steps: Footprint[];
  decisions: { t: number; tasks: Task<unknown>[]; ids: number[]; choice: number; step: number }[];
}

export const DEFAULT_MAX_STEPS = 200_000;

/** Run `load`'s script under every order that could matter, up to the budget. */
export function explore(load: (session: Session) => void, options: ExploreOptions): Exploration {
  const runs = exploring(load, options);
  for (;;) {
    const next = runs.next();
    if (next.done === true) return next.value;
  }
}

/**
 * The same, one run at a time: it yields the number of runs so far after
 * each, and returns the exploration (a host that must stay live runs it in
 * slices between its other work).
 */
export function* exploring(load: (session: Session) => void, options: ExploreOptions): Generator<number, Exploration, void> {
  const tried = new Tried();
  const pending = new Pending();
  pending.push([]);
  const groups = new Map<string, ExploredOutcome>();
  let runs = 0;
  while (pending.size > 0 && runs < options.budget) {
    const schedule = pending.take();
    if (tried.has(schedule)) continue;
    const run = runOnce(load, schedule, options);
    runs++;
    const choices = run.decisions.map((d) => d.choice);
    const group = groups.get(run.outcome.key);
    if (group !== undefined) group.runs++;
    else {
      const decisions = run.decisions.map(({ t, tasks, choice }) => ({ t, readyCount: tasks.length, choice, fifo: viewOf(tasks[0]), ran: viewOf(tasks[choice]) }));
      groups.set(run.outcome.key, { outcome: run.outcome, runs: 1, schedule: choices, decisions });
    }
    const nodes = tried.add(choices);
    run.decisions.forEach((_, i) => {
      for (const alt of alternatives(run, i)) if (!nodes[i].done.has(alt)) pending.push([...choices.slice(0, i), alt]);
    });
    yield runs;
  }
  const unexplored = pending.all().filter((schedule) => !tried.has(schedule)).length;
  return { runs, outcomes: [...groups.values()], unexplored };
}

interface TriedNode {
  /** The choices run at this decision, after this prefix of choices. */
  done: Set<number>;
  next: Map<number, TriedNode>;
}

/** The orders run so far, as a tree of their choices: a run's every decision is a node, what it chose an edge. */
class Tried {
  private readonly root: TriedNode = { done: new Set(), next: new Map() };

  /** Records a run's choices; returns the node of each of its decisions. */
  add(choices: number[]): TriedNode[] {
    const nodes: TriedNode[] = [];
    let node = this.root;
    for (const choice of choices) {
      nodes.push(node);
      node.done.add(choice);
      let child = node.next.get(choice);
      if (child === undefined) node.next.set(choice, (child = { done: new Set(), next: new Map() }));
      node = child;
    }
    return nodes;
  }

  /** A schedule whose last choice was already made after the same prefix (the empty one: once anything ran). */
  has(schedule: number[]): boolean {
    let node = this.root;
    for (let i = 0; i < schedule.length - 1; i++) {
      const child = node.next.get(schedule[i]);
      if (child === undefined) return false;
      node = child;
    }
    return schedule.length === 0 ? node.done.size > 0 || node.next.size > 0 : node.done.has(schedule[schedule.length - 1]);
  }
}

/**
 * The orders still to try, fewest departures from asyncio's order first (a
 * race is mostly one swap: within a budget, every single swap that could
 * matter is tried before any pair of them), the latest found first among equals.
 */
class Pending {
  private readonly byDepartures: number[][][] = [];
  private readonly seen = new Set<string>();
  size = 0;

  push(schedule: number[]): void {
    const key = schedule.join(',');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const departures = schedule.filter((c) => c !== 0).length;
    (this.byDepartures[departures] ??= []).push(schedule);
    this.size++;
  }

  take(): number[] {
    const bucket = this.byDepartures.find((b) => b !== undefined && b.length > 0)!;
    this.size--;
    return bucket.pop()!;
  }

  all(): number[][] {
    return this.byDepartures.flatMap((b) => b ?? []);
  }
}

/**
 * The ready tasks worth running first at decision `i`. For each later
 * resumption of the same instant that depends on the one chosen there (a
 * race), the ready task that leads to it (itself, or the task whose
 * resumption woke or spawned the one that ... ran it), unless that is the
 * chosen task itself (then the two are in order whatever the scheduler does).
 */
function alternatives(run: Run, i: number): number[] {
  const decision = run.decisions[i];
  const chosen = run.steps[decision.step];
  const out = new Set<number>();
  const last = Math.min(run.steps.length, decision.step + RACE_WINDOW);
  for (let j = decision.step + 1; j < last && run.steps[j].at === chosen.at; j++) {
    const later = run.steps[j];
    if (later.task === chosen.task || !dependent(chosen, later)) continue;
    let k = j;
    while (!decision.ids.includes(run.steps[k].task) && run.steps[k].cause > decision.step) k = run.steps[k].cause;
    const index = decision.ids.indexOf(run.steps[k].task);
    if (index >= 0 && index !== decision.choice) out.add(index);
  }
  return [...out];
}

/** How many resumptions after a decision are looked at for a race with the one chosen there. */
const RACE_WINDOW = 2_000;

function dependent(a: Footprint, b: Footprint): boolean {
  if (a.cancelled.includes(b.task) || b.cancelled.includes(a.task)) return true;
  // An end is read by whoever looks the tasks up, and by the command that ran the task (a race, a gather, a line).
  if (a.ended && (b.readsTasks || b.task === a.parent)) return true;
  if (b.ended && (a.readsTasks || a.task === b.parent)) return true;
  if (a.local && b.local) return false;
  if (a.local || b.local) return a.shared || b.shared;
  return true;
}

/** One run: at each decision the schedule's choice (FIFO past its end). */
function runOnce(load: (session: Session) => void, schedule: number[], options: ExploreOptions): Run {
  const session = new Session({ recentEvents: 0 });
  const recorder = new OutcomeRecorder(session);
  const voices = watchVoices(session, recorder);
  load(session);
  // Each source's tempo and chance made now, not at its first beat: a resumption that reads them first changes nothing.
  for (const task of session.liveTasks()) if (task.kind === 'source') musicOf(session, task.source);
  const s = session.scheduler;
  const steps: Footprint[] = [];
  const decisions: Run['decisions'] = [];
  const readiedBy = new Map<number, number>();
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  let ready = s.readyTasks();
  while (steps.length < maxSteps) {
    if (ready.length === 0) {
      const next = s.nextTimerNs();
      if (next === undefined || next > options.limitNs) break;
      s.advanceToNextTimer();
      ready = s.readyTasks();
      for (const t of ready) readiedBy.set(t.id, -1);
      continue;
    }
    let choice = 0;
    if (ready.length > 1) {
      const d = decisions.length;
      const tasks = ready.length > MAX_CHOICES ? ready.slice(0, MAX_CHOICES) : ready;
      choice = d < schedule.length ? Math.min(schedule[d], tasks.length - 1) : 0;
      decisions.push({ t: s.now, tasks, ids: tasks.map((t) => t.id), choice, step: steps.length });
    }
    const task = ready[choice];
    const { footprint, after } = stepWithFootprint(session, recorder, voices, ready, choice, readiedBy.get(task.id) ?? -1);
    // What the resumption woke or spawned (itself too, after a `wait 0`) is queued behind the rest.
    for (let i = ready.length - 1; i < after.length; i++) readiedBy.set(after[i].id, steps.length);
    steps.push(footprint);
    ready = after;
  }
  // What is left ends as the CLI's run ends: cancelled by the quit (delivered here, so each run states it).
  if (!session.ended) session.quit();
  s.runUntilIdle();
  return { outcome: recorder.outcome(), steps, decisions };
}

/** At an instant with more ready tasks than this, only the first are run out of turn (a run's memory stays in bounds). */
export const MAX_CHOICES = 128;

/**
 * Whether a resumption touched the notes of a task other than itself (`remove
 * N` of a line's `add`, a voice handed on): the stream's every change, watched
 * on this run's own session.
 */
function watchVoices(session: Session, recorder: OutcomeRecorder): { others: boolean } {
  const seen = { others: false };
  const stream = session.stream;
  const by = (owner: unknown): void => {
    if (typeof owner !== 'number' || owner !== recorder.running) seen.others = true;
  };
  const add = stream.add.bind(stream);
  const remove = stream.remove.bind(stream);
  const removeWhere = stream.removeWhere.bind(stream);
  const transferOwner = stream.transferOwner.bind(stream);
  const releaseOwner = stream.releaseOwner.bind(stream);
  const clear = stream.clear.bind(stream);
  const anyone = (): void => void (seen.others = true);
  stream.add = (note, owner, options) => {
    by(owner);
    return add(note, owner, options);
  };
  stream.remove = (note, owner) => {
    by(owner);
    remove(note, owner);
  };
  stream.removeWhere = (note, ends) => {
    anyone();
    removeWhere(note, ends);
  };
  stream.transferOwner = (from, to) => {
    anyone();
    transferOwner(from, to);
  };
  stream.releaseOwner = (owner) => {
    by(owner);
    releaseOwner(owner);
  };
  stream.clear = () => {
    anyone();
    clear();
  };
  return seen;
}

function stepWithFootprint(
  session: Session,
  recorder: OutcomeRecorder,
  voices: { others: boolean },
  ready: Task<unknown>[],
  choice: number,
  cause: number,
): { footprint: Footprint; after: Task<unknown>[] } {
  const s = session.scheduler;
  const task = ready[choice];
  const at = s.nowNanos;
  // a tempo or voice a task set, or a source's chance, read by another task's next beat or note
  const music = musicFingerprint(session) + settingsVersion(session);
  const foreign = recorder.foreign;
  const lookups = session.taskLookups;
  const cancelledBefore = countCancelled(ready);
  voices.others = false;
  recorder.running = task.id;
  s.stepAt(choice);
  recorder.running = null;
  const after = s.readyTasks();
  const shared = voices.others || musicFingerprint(session) + settingsVersion(session) !== music;
  const waits = task.state === 'waiting' || task.state === 'blocking';
  // Only itself back in the queue (a `wait 0`), nothing woken or spawned.
  const woke = after.length > ready.length - 1 + (task.state === 'ready' ? 1 : 0);
  const cancelled = countCancelled(ready) === cancelledBefore ? [] : ready.filter((t) => t !== task && t.cancelRequested).map((t) => t.id);
  const local = !waits && !shared && !woke && recorder.foreign === foreign && cancelled.length === 0;
  const readsTasks = session.taskLookups !== lookups;
  return { footprint: { task: task.id, parent: task.parent?.id ?? null, at, cause, local, shared, ended: task.ended, readsTasks, cancelled }, after };
}

function countCancelled(tasks: Task<unknown>[]): number {
  let n = 0;
  for (let i = 0; i < tasks.length; i++) if (tasks[i].cancelRequested) n++;
  return n;
}

/** The first decision where a run left asyncio's order: the time, the task FIFO would have run and the one run instead. */
export function firstDeparture(decisions: Decision[]): { t: number; fifo: TaskView; ran: TaskView } | null {
  const d = decisions.find((x) => x.choice !== 0);
  return d === undefined ? null : { t: d.t, fifo: d.fifo, ran: d.ran };
}

