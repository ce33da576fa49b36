import type { EngineBehindEvent } from '../scheduler/events';
import { builtinCommands, isInLiveLoop } from '../commands';
import { SourceTables } from '../language/source-tables';
import type { CommandTable, RunContext, SessionTasks } from '../language/command';
import { CommandError } from '../language/diagnostics';
import { runInvocation, runLine } from '../language/interpreter';
import { resetMusic } from '../language/music';
import { inheritSettings } from '../language/task-settings';
import { parseLineItem, type ParsedLine } from '../language/parser';
import { ScriptParse, type ScriptParseOptions } from '../language/script-parse';
import type { LineItem } from '../lines/line';
import { ArrivalQueue } from '../lines/queue';
import { LineSplitter } from '../lines/splitter';
import { describeError, isCancelled } from '../scheduler/errors';
import type { CancelCause, CancelControl } from '../scheduler/events';
import { join, type Co } from '../scheduler/ops';
import { CATCH_UP_STEPS, LimitError, type SchedulerLimits } from '../scheduler/limits';
import { Scheduler } from '../scheduler/scheduler';
import type { Task, TaskOptions } from '../scheduler/task';
import { VirtualExecutor, type Executor } from '../executor/executor';
import { FrequencyStream } from '../stream/stream';
import { nsToSeconds } from '../time';
import type {
  Diagnostic,
  LineSourceHandle,
  LoadResult,
  SessionControl,
  SessionEvent,
  SessionEventListener,
  SessionOptions,
  SessionSnapshot,
  SnapshotTask,
  Stamp,
} from './api';
import { SessionEvents } from './events';
import { meteredTable } from './metered';
import { stopReading, type EndReason, type QueuedLine, type SourceState } from './source-state';
import { SessionState } from './state';
import { TaskNames } from './task-names';

export interface SessionConfig extends SessionOptions {
  /** The commands the session understands (default: the built-in table). Phrases defined with `def` are each source's own. */
  commands?: CommandTable;
  /**
   * Where `offload` runs its work. Default: the virtual clock's stand-in, which
   * finishes a job of S seconds after S of logical time (right for tests and
   * offline renders); live players pass a worker-thread executor.
   */
  executor?: Executor;
  /** The engine's budgets (default: those of scheduler/limits.ts); tests lower them. */
  limits?: Partial<SchedulerLimits>;
}

const DEFAULT_RECENT = 500;
const encoder = new TextEncoder();

/**
 * One scheduler, one frequency stream, any number of line sources. Each source
 * is a task (kind 'source') that takes its lines one at a time and runs each as
 * a child task (kind 'line', named by the line's text) to the end before the
 * next; sources run concurrently. `eval`'s parts are children of their line
 * (kind 'command').
 *
 * Runs on the virtual clock (`session.scheduler.runUntilIdle()`) or on the real
 * one (`new RealTimeDriver(session.scheduler).start()`).
 */
export class Session implements SessionControl {
  readonly scheduler: Scheduler;
  readonly stream: FrequencyStream;
  readonly commands: CommandTable;
  /** What the command families keep for this session (cues, live loops, tempo ...): `state.describe()` lists it. */
  readonly state = new SessionState();
  private readonly strict: boolean;
  private readonly events: SessionEvents;
  private readonly live = new Map<number, Task<unknown>>();
  private readonly sources = new Set<SourceState>();
  private readonly sourceByTask = new Map<number, SourceState>();
  private isEnded = false;
  private errors = 0;
  private readonly executor: Executor;
  private readonly names = new TaskNames();
  /** Each source's table: the session's commands and the phrases that source defined (`SOURCE/NAME` reaches another's). */
  private readonly tables: SourceTables;
  private readonly quitEnds: 'session' | 'source';
  private readonly tasks: SessionTasks = this.sessionTasks();
  /** How many times a command has looked up the tasks alive (`cancel t1`, `tasks`): the interleaving explorer's sign that a resumption read them. */
  taskLookups = 0;

  constructor(config: SessionConfig = {}) {
    this.scheduler = new Scheduler({ lagThreshold: config.lagThreshold, limits: config.limits });
    this.scheduler.onLimit = (task, error) => this.limitReached(task, error);
    this.stream = new FrequencyStream(this.scheduler);
    this.commands = meteredTable((config.commands ?? builtinCommands).fork(), this.scheduler);
    this.tables = new SourceTables(this.commands);
    this.executor = config.executor ?? new VirtualExecutor(this.scheduler);
    this.strict = config.strict ?? false;
    this.quitEnds = config.quitEnds ?? 'session';
    this.events = new SessionEvents((forward) => [this.scheduler.subscribe(forward), this.stream.subscribe(forward)], config.recentEvents ?? DEFAULT_RECENT);
  }

  get ended(): boolean {
    return this.isEnded;
  }

  get errorCount(): number {
    return this.errors;
  }

  // ---- events ------------------------------------------------------------

  /**
   * Every event from now on: task lifecycle, notes, diagnostics, output,
   * sources. Nothing is built for events while nobody listens.
   */
  subscribe(listener: SessionEventListener): () => void {
    return this.events.subscribe(listener);
  }

  private get listening(): boolean {
    return this.events.listening;
  }

  private emit(event: SessionEvent): void {
    this.events.emit(event);
  }

  /** The real clock's driver fell behind and skipped ahead (RealTimeDriver.onBehind): the views are told, at the time the engine stood at. */
  engineBehind(report: EngineBehindEvent): void {
    if (this.listening) this.emit({ type: 'engine-behind', t: report.t, wall: report.wall, behind: report.behind, skipped: report.skipped });
  }

  private stamp(): Stamp {
    return { t: nsToSeconds(this.scheduler.presentNanos), wall: this.scheduler.wall };
  }

  private report(diagnostic: Diagnostic, taskId: number | null): void {
    this.errors++;
    if (this.listening) this.emit({ type: 'diagnostic', ...this.stamp(), diagnostic, taskId });
  }

  private output(source: string, text: string): void {
    if (this.listening) this.emit({ type: 'output', ...this.stamp(), source, text, taskId: this.scheduler.current?.id ?? null });
  }

  // ---- sources -----------------------------------------------------------

  openSource(name: string): LineSourceHandle {
    const state = this.isEnded ? null : this.createSource(name, true);
    const push = (items: LineItem[]): void => {
      if (state === null) return;
      for (const item of items) state.queue.push({ parsed: parseLineItem(item, state.name, this.tableOf(state.name)), reported: false });
    };
    return {
      name,
      pushLine: (text: string) => {
        if (state !== null && !state.queue.closed) push(state.splitter.push(encoder.encode(`${text}\n`)));
      },
      pushBytes: (bytes: Uint8Array) => {
        if (state !== null && !state.queue.closed) push(state.splitter.push(bytes));
      },
      end: () => {
        if (state === null || state.queue.closed) return;
        push(state.splitter.end());
        state.queue.close();
      },
    };
  }

  loadScript(name: string, text: string): LoadResult {
    return this.loadParsed(this.parseScript(name, text).finish());
  }

  parseScript(name: string, text: string, options?: ScriptParseOptions): ScriptParse {
    return new ScriptParse(name, text, this.tableOf(name), options);
  }

  /** The table a source's lines are parsed and run against: its own phrases, others' as `SOURCE/NAME`. */
  private tableOf(source: string): CommandTable {
    return this.tables.of(source);
  }

  loadParsed(script: ScriptParse): LoadResult {
    if (script.origin !== this.tableOf(script.source)) throw new Error(`${script.source} was parsed for another session`);
    script.finish();
    const name = script.source;
    // Played again while it plays: the old copy stops, but its live loops play on for the new one to swap.
    this.replaceSource(name);
    // Its names are freed (even of tasks still ending) and it counts from t1 again, so its `cancel t1` means its own t1.
    this.names.restart(name, (task) => !task.ended && !task.cancelRequested);
    resetMusic(this, name);
    // Its phrases become its source's, as if it had been parsed against that source's own table.
    for (const spec of script.defined()) this.tableOf(name).define(spec);
    for (const d of script.diagnostics) this.report(d, null);
    if (this.isEnded) return { diagnostics: script.diagnostics, taskId: null };
    const state = this.createSource(name, false, false);
    if (this.strict && script.errorCount > 0) {
      state.endReason = 'error';
    } else {
      for (const parsed of script.lines) {
        if (parsed.kind !== 'empty') state.queue.push({ parsed, reported: true });
      }
    }
    state.queue.close();
    return { diagnostics: script.diagnostics, taskId: state.task!.id };
  }

  check(name: string, text: string): Diagnostic[] {
    // A fork: definitions in a checked script do not leak into the session.
    return this.parseScript(name, text).finish().diagnostics;
  }

  private createSource(name: string, typed = false, restartIdle = true): SourceState {
    // A source opened again once none of its named tasks is alive counts its tasks from t1 again (a script played again has restarted already).
    if (restartIdle) this.names.restartIfIdle(name, this.live);
    const state: SourceState = {
      typed,
      name,
      queue: new ArrivalQueue<QueuedLine>(this.scheduler, `next line of ${name}`),
      splitter: new LineSplitter(name),
      ctx: this.runContext(name),
      task: null,
      endReason: null,
      endReported: false,
    };
    const task = this.spawn(this.readSource(state), { name, kind: 'source', source: name, parent: null, pos: null });
    state.task = task as Task<unknown>;
    this.sources.add(state);
    this.sourceByTask.set(task.id, state);
    task.onEnd(() => this.sourceEnded(state));
    if (this.listening) this.emit({ type: 'source-opened', ...this.stamp(), source: name, taskId: task.id });
    return state;
  }

  /** The source's task: its lines, strictly one after another. */
  private *readSource(state: SourceState): Co {
    const self = this.scheduler.current!;
    for (;;) {
      const next = yield* state.queue.next();
      if (next === undefined) return;
      const { parsed, reported } = next;
      if (parsed.kind === 'empty') continue;
      const line = this.spawn(runLine(parsed, state.ctx, reported), {
        name: parsed.text,
        kind: 'line',
        pos: parsed.pos,
        source: state.name,
        parent: self,
      });
      try {
        yield* join(line);
      } catch (error) {
        if (self.cancelRequested) throw error;
        if (isCancelled(error)) continue; // just that line was cancelled: go on with the next
        if (!(error instanceof CommandError)) {
          // Not a command's located error: a bug; still located at the line, and the source goes on.
          this.report({ ...parsed.pos, message: `internal error: ${describeError(error).message}` }, line.id);
        }
        if (this.strict) {
          state.endReason = 'error';
          state.queue.discard();
          return;
        }
      }
    }
  }

  private sourceEnded(state: SourceState): void {
    this.sources.delete(state);
    if (state.task !== null) this.sourceByTask.delete(state.task.id);
    state.queue.discard();
    if (state.endReported) return;
    state.endReported = true;
    const task = state.task!;
    const reason: EndReason = state.endReason ?? (task.state === 'cancelled' ? 'stopped' : task.state === 'failed' ? 'error' : 'eof');
    if (this.listening) this.emit({ type: 'source-ended', ...this.stamp(), source: state.name, reason });
  }

  private runContext(source: string): RunContext {
    const make = (quiet: boolean): RunContext => {
      const ctx: RunContext = {
        scheduler: this.scheduler,
        stream: this.stream,
        table: this.tableOf(source),
        source,
        output: (text) => this.output(source, text),
        fact: (fact) => {
          if (this.listening) this.emit({ ...this.stamp(), ...fact });
        },
        // A quiet task's failures are collected by whoever spawned it (settle), not reported.
        report: quiet ? () => {} : (d) => this.report(d, this.scheduler.current?.id ?? null),
        spawn: (invocation, options) => {
          const spawner = this.scheduler.current;
          const task = this.spawn(runInvocation(invocation, options?.quiet === true || quiet ? quietCtx() : ctx), {
            name: invocation.text,
            kind: options?.kind ?? 'command',
            pos: invocation.pos,
            source,
          });
          // A spawned task (spawn, a live loop) starts with its spawner's sound and tempo, and owns them from then on.
          if (task.kind === 'spawned') inheritSettings(this, spawner, task);
          return task;
        },
        quit: () => this.quitFromSource(),
        tasks: this.tasks,
        executor: this.executor,
        state: this.state,
      };
      return ctx;
    };
    let quietOne: RunContext | null = null;
    const quietCtx = (): RunContext => (quietOne ??= make(true));
    return make(false);
  }

  private sessionTasks(): SessionTasks {
    return {
      nameTask: (task) =>
        this.names.name(task, (alias) => {
          if (this.listening) this.emit({ type: 'task-named', ...this.stamp(), id: task.id, alias, source: task.source });
        }),
      nameOf: (task, source) => this.names.nameOf(task, source),
      find: (ref, source) => {
        this.taskLookups++;
        const byName = this.names.find(ref, source);
        if (byName !== undefined) return byName;
        return /^\d+$/.test(ref) ? this.live.get(Number(ref)) : undefined;
      },
      live: () => {
        this.taskLookups++;
        return [...this.live.values()].sort((a, b) => a.id - b.id);
      },
      cancel: (task) => this.cancelTask(task.id),
      stopSource: (source) => this.cancelAround(this.causeOf('stop'), (task) => task.source === source),
      panic: () => {
        const count = this.cancelAround(this.causeOf('panic'), () => true);
        this.stream.clear();
        return count;
      },
    };
  }

  /**
   * Cancel the live tasks `which` picks but the running one and what it runs
   * inside (its line, its source: those go on to the next line). How many, as
   * the user sees them: a loop and the pass it is in are one task stopped; a
   * source cancelled counts once, and reads no more lines.
   */
  private cancelAround(cause: CancelCause, which: (task: Task<unknown>) => boolean): number {
    this.taskLookups++;
    const spared = new Set<Task<unknown>>();
    for (let t = this.scheduler.current; t !== null; t = t.parent) spared.add(t);
    const stopped = new Set<Task<unknown>>();
    // `live` is in the order of spawning, which is the order of ids.
    for (const task of this.live.values()) {
      if (!which(task) || spared.has(task)) continue;
      const source = this.sourceByTask.get(task.id);
      if (source !== undefined) {
        // `stop` spares every source; `panic` ends the other sources.
        if (cause.reason !== 'panic') continue;
        stopReading(source, 'stopped');
      }
      stopped.add(task);
    }
    // Bounded per slice however many there are; none of them runs again before its cancel.
    this.scheduler.cancelAll([...stopped], 'cancelled', cause);
    return [...stopped].filter((t) => t.parent === null || !stopped.has(t.parent)).length;
  }

  /** `quit`/`exit` run by a command: the session (the CLI) or the source that ran it (the app). */
  private quitFromSource(): void {
    const current = this.scheduler.current;
    let root = current;
    while (root !== null && root.parent !== null) root = root.parent;
    const state = root === null ? undefined : this.sourceByTask.get(root.id);
    if (this.quitEnds === 'session' || state === undefined) {
      this.quit();
      return;
    }
    if (state.typed) {
      // A terminal stays open: quit stops what it runs, as `stop` does.
      const count = this.cancelAround(this.causeOf('quit'), (task) => task.source === state.name && !this.sourceByTask.has(task.id));
      this.output(state.name, `quit: this source stays open (stopped ${count} task${count === 1 ? '' : 's'}); close the window to end the session`);
      return;
    }
    state.endReason = 'quit';
    state.queue.discard();
    const within = (task: Task<unknown>): boolean => {
      for (let t: Task<unknown> | null = task; t !== null; t = t.parent) if (t === root) return true;
      return false;
    };
    const cause = this.causeOf('quit');
    for (const task of [...this.live.values()]) if (within(task) && task !== current) this.scheduler.cancel(task, 'cancelled', cause);
  }

  /**
   * A task ended: the voices it holds stop now, at the logical time it ended
   * (cancelled, failed, or a source that ended: its drum hits sound out), or, when it finished
   * normally, go on held by the nearest live task it ran in (a top-level
   * `add`: its line's source; `spawn add 60`: likewise).
   */
  private releaseVoices(task: Task<unknown>): void {
    if (!this.stream.holds(task.id)) return;
    let heir: Task<unknown> | null = null;
    if (task.state === 'done') for (heir = task.parent; heir !== null && heir.ended; ) heir = heir.parent;
    if (heir !== null) this.stream.transferOwner(task.id, heir.id);
    else this.stream.releaseOwner(task.id, task.state === 'done');
  }

  private spawn<T>(body: Co<T>, options: TaskOptions): Task<T> {
    let task: Task<T>;
    try {
      task = this.scheduler.spawn(body, options);
    } catch (error) {
      // Too many tasks: an error of the line that spawns, located there.
      if (error instanceof LimitError && error.pos !== null) throw new CommandError([{ ...error.pos, message: error.message }]);
      throw error;
    }
    const id = task.id;
    this.live.set(id, task as Task<unknown>);
    task.onEnd(() => {
      this.live.delete(id);
      this.releaseVoices(task as Task<unknown>);
    });
    return task;
  }

  // ---- limits ------------------------------------------------------------

  /** A task went over a limit of the scheduler: report it at its line, and fail the line's every task with it. */
  private limitReached(culprit: Task<unknown>, error: LimitError): void {
    const failure = new CommandError(error.pos === null ? [] : [{ ...error.pos, message: error.message }]);
    if (error.pos !== null) this.report(failure.diagnostics[0], culprit.id);
    failure.reported = true;
    const within = (task: Task<unknown>): boolean => {
      for (let t: Task<unknown> | null = task; t !== null; t = t.parent) if (t === culprit) return true;
      return false;
    };
    if (!culprit.ended) this.scheduler.fail(culprit, failure);
    for (const task of [...this.live.values()]) if (task !== culprit && within(task)) this.scheduler.fail(task, failure);
  }

  // ---- control -----------------------------------------------------------

  /**
   * On a real clock, a control from outside the scheduler acts at the present:
   * first run what fell due up to now (each at its own time), then move
   * logical time to now.
   */
  private catchUp(): void {
    const s = this.scheduler;
    if (s.current !== null || !s.isReal) return;
    const present = s.presentNanos;
    // Bounded: an engine far behind (or held by a block) does not make the control wait; the backlog runs late.
    s.runDue(present, CATCH_UP_STEPS);
    s.advanceTo(present);
    // The tasks run here may have set timers earlier than the one the driver waits for: have it look again.
    s.onWork?.();
  }

  /** Who cancels, for a control: the task that ran the command, or the control itself from outside. */
  private causeOf(control: CancelControl): CancelCause {
    return { by: this.scheduler.current?.id ?? control, reason: control };
  }

  cancelTask(id: number): boolean {
    const task = this.live.get(id);
    if (task === undefined) return false;
    this.catchUp();
    const source = this.sourceByTask.get(id);
    if (source !== undefined) {
      stopReading(source, 'stopped');
    }
    return this.scheduler.cancel(task, 'cancelled', this.causeOf('cancel'));
  }

  stopSource(name: string): boolean {
    this.catchUp();
    const cause = this.causeOf('stop');
    let any = false;
    for (const state of [...this.sources]) {
      if (state.name !== name) continue;
      stopReading(state, 'stopped');
      if (state.task !== null && this.scheduler.cancel(state.task, 'cancelled', cause)) any = true;
    }
    for (const task of [...this.live.values()]) {
      if (task.source === name && this.scheduler.cancel(task, 'cancelled', cause)) any = true;
    }
    return any;
  }

  /** Stop what a script of this name still plays (its reading, its lines, its background tasks, even once its lines are done) except its live loops. */
  private replaceSource(name: string): void {
    const cause = this.causeOf('stop');
    for (const state of [...this.sources]) {
      if (state.name !== name) continue;
      stopReading(state, 'stopped');
    }
    for (const task of [...this.live.values()].sort((a, b) => a.id - b.id)) {
      if (task.source === name && !isInLiveLoop(this, task) && !this.holdsLiveLoop(task)) this.scheduler.cancel(task, 'cancelled', cause);
    }
  }

  /** A task a live loop runs inside (its line, its source): cancelling it must not take the loop along. */
  private holdsLiveLoop(task: Task<unknown>): boolean {
    for (const other of this.live.values()) {
      if (other === task || !isInLiveLoop(this, other)) continue;
      for (let t = other.parent; t !== null; t = t.parent) if (t === task) return true;
    }
    return false;
  }

  interruptSource(name: string): boolean {
    this.catchUp();
    let any = false;
    for (const state of this.sources) {
      if (state.name !== name) continue;
      if (state.queue.length > 0) any = true;
      state.queue.clear();
    }
    for (const task of [...this.live.values()]) {
      if (task.source !== name || this.sourceByTask.has(task.id)) continue;
      if (this.scheduler.cancel(task, 'cancelled', this.causeOf('interrupt'))) any = true;
    }
    return any;
  }

  stopAll(): void {
    this.catchUp();
    this.cancelEverything('stopped', this.causeOf('stop'));
  }

  panic(): void {
    this.catchUp();
    this.cancelEverything('stopped', this.causeOf('panic'));
    this.stream.clear();
    this.stream.flush(this.scheduler.nowNanos);
  }

  quit(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.catchUp();
    // Sources end with reason 'quit' now, before session-ended, not when their cancelled tasks get to run.
    for (const state of this.sources) {
      state.endReason = 'quit';
      state.endReported = true;
      if (this.listening) this.emit({ type: 'source-ended', ...this.stamp(), source: state.name, reason: 'quit' });
    }
    this.cancelEverything('quit', this.causeOf('quit'));
    this.stream.end();
    if (this.listening) this.emit({ type: 'session-ended', ...this.stamp() });
  }

  private cancelEverything(reason: EndReason, cause: CancelCause): void {
    for (const state of [...this.sources]) {
      stopReading(state, reason);
      if (state.task !== null) this.scheduler.cancel(state.task, 'cancelled', cause);
    }
    this.scheduler.cancelAll([...this.live.values()], 'cancelled', cause);
  }

  /** The tasks that have not ended, by id (what the stepper inspects: core/debug). */
  liveTasks(): Task<unknown>[] {
    return [...this.live.values()].sort((a, b) => a.id - b.id);
  }

  snapshot(): SessionSnapshot {
    const tasks = [...this.live.values()]
      .sort((a, b) => a.id - b.id)
      .map((task): SnapshotTask => {
        const alias = this.names.alias(task.id);
        const info: SnapshotTask = {
          id: task.id,
          parent: task.parent?.id ?? null,
          name: task.name,
          kind: task.kind,
          source: task.source,
          pos: task.pos,
          state: task.state,
        };
        return alias === undefined ? info : { ...info, alias };
      });
    return { ...this.stamp(), notes: this.stream.notes, tasks, recent: this.events.recentEvents() };
  }
}
