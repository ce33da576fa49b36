import type { Executor } from '../executor/executor';
import type { SourcePosition, TaskKind } from '../scheduler/events';
import type { Scheduler } from '../scheduler/scheduler';
import type { Co, Task } from '../scheduler/task';
import type { SessionState } from '../session/state';
import type { FrequencyStream } from '../stream/stream';
import type { ArgReader } from './args';
import type { MusicFact } from './music';
import { closest, CommandError, type Diagnostic } from './diagnostics';
import type { Token } from './tokens';
import type { PythonForm } from '../python/form';

/**
 * What a command's `parse` returns when its arguments are bad (after reporting
 * why on the reader): so the arguments `run` gets are whole, with no nulls to assert away.
 */
export const INVALID: unique symbol = Symbol('invalid arguments');
export type Invalid = typeof INVALID;

/**
 * One command of the note language: a table entry. To add a command, write one
 * of these (name, usage, summary, how to read its arguments, what it does as a
 * coroutine) and put it in the table; the parser, `help` and the suggestions
 * for misspelt names pick it up.
 */
export interface CommandSpec<A = unknown> {
  name: string;
  /** Other names for the same command (`exit` for `quit`). */
  aliases?: readonly string[];
  /** One-line usage: `chord S N1 N2 ...`. */
  usage: string;
  /** One line saying what it does. */
  summary: string;
  /** A line that shows it at work, safe to run as it is (`help CMD` prints it; the Help panel runs it). */
  example?: string;
  /** The arguments may contain `;` (the command takes a sequence of commands, as `eval` does). */
  sequence?: boolean;
  /**
   * Reads the arguments. Problems are reported on the reader (which then holds
   * diagnostics), and then it may return INVALID; the value is used only if there were none.
   */
  parse(args: ArgReader, ctx: ParseContext): A | Invalid;
  /** Runs the command inside a task. Throw `CommandError` for a located run-time error. */
  run(args: A, ctx: RunContext, invocation: Invocation<A>): Co<unknown>;
  /** How `--to-python` writes it as asyncio (`core/python/form.ts`); without one it is a marked comment. */
  python?: PythonForm<NoInfer<A>, Invocation>;
}

/** Any command, whatever its argument type. */
export type AnyCommand = CommandSpec<any>;

/** Gives a command spec its argument type by inference. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}

/** A located error for the whole command (or, given `at`, one of its words). */
export function commandError(invocation: Invocation, d: Omit<Diagnostic, 'source' | 'line' | 'col' | 'endCol'>, at?: { col: number; endCol: number }): CommandError {
  return new CommandError([
    {
      source: invocation.pos.source,
      line: invocation.pos.line,
      col: at?.col ?? invocation.pos.col,
      endCol: at?.endCol ?? invocation.endCol,
      ...d,
    },
  ]);
}

/** The task a command runs in (a command always runs inside one). */
export function runningTask(ctx: RunContext): Task<unknown> {
  const task = ctx.scheduler.current;
  if (task === null) throw new Error('a command ran outside a task');
  return task;
}

/** A parsed command, ready to run. */
export interface Invocation<A = unknown> {
  spec: CommandSpec<A>;
  args: A;
  /** The command's text as written (from its first word to its last): the task's name. */
  text: string;
  /** Where its first word is. */
  pos: SourcePosition;
  endCol: number;
}

/** What an argument parser may do besides reading words: parse nested commands. */
export interface ParseContext {
  readonly source: string;
  readonly line: number;
  /** The whole line's text (tokens' columns index into it). */
  readonly text: string;
  readonly table: CommandTable;
  /** Parse `tokens` as a command of its own (for eval, spawn, repeat ...); null if it had errors (reported). */
  parseCommand(tokens: Token[]): Invocation | null;
}

/** What a running command can touch. */
export interface RunContext {
  readonly scheduler: Scheduler;
  readonly stream: FrequencyStream;
  readonly table: CommandTable;
  /** The source (lane) the command runs for. */
  readonly source: string;
  /** Print text for the user (an `output` event). */
  output(text: string): void;
  /** State a fact of the music (a cue, a live loop's swap, a seed) as a session event. */
  fact?(fact: MusicFact): void;
  /** Report a located error now (a `diagnostic` event for the running task). */
  report(diagnostic: Diagnostic): void;
  /**
   * Run `invocation` in a child task of the running task (kind 'command').
   * `quiet`: its failures are not reported as diagnostics (the caller collects them, as settle does).
   */
  spawn(invocation: Invocation, options?: { kind?: TaskKind; quiet?: boolean }): Task<unknown>;
  /** quit/exit: end this source (and, where the session says so, the session: the CLI, as the demo does). */
  quit(): void;
  /** The session's tasks: names for spawned ones, lookup, listing, stop and panic. */
  readonly tasks: SessionTasks;
  /** Where `offload` sends its work: a worker thread, or the virtual clock's stand-in. */
  readonly executor: Executor;
  /** The session's state, a slice per command family (read one with `slice.of(ctx)`: session/state.ts). */
  readonly state: SessionState;
}

/** What the concurrency commands (spawn, tasks, cancel, stop, panic) need of the session. */
export interface SessionTasks {
  /** Give a task a short name the user can refer to (t1, t2 ... counted per source). */
  nameTask(task: Task<unknown>): string;
  /** The name of a task as `source` writes it: `t1` for its own tasks, `SOURCE/t1` for another source's. */
  nameOf(task: Task<unknown>, source: string): string | undefined;
  /** A live task by name as `source` writes it (t3 is its own t3, `other.txt/t3` another source's) or by id (17). */
  find(ref: string, source: string): Task<unknown> | undefined;
  /** Every live task of the session, oldest first. */
  live(): Task<unknown>[];
  /** Cancel one task (as the session's cancelTask does). */
  cancel(task: Task<unknown>): boolean;
  /** Cancel every task of `source` but the running one and those it runs inside; how many. */
  stopSource(source: string): number;
  /** Cancel every task but the running one and those it runs inside, and silence the sound now; how many were cancelled. */
  panic(): number;
}

/**
 * The commands a session understands, by name and alias (case-insensitive),
 * plus the phrases defined with `def` (a session's own table: see `fork`).
 */
/** What a source's table knows of the other sources' phrases. */
export interface OtherSources {
  /** The phrase `name` of `source`, if it defined one. */
  phrase(source: string, name: string): AnyCommand | undefined;
  /** Another source that defined a phrase `name`, if one did. */
  owner(name: string): string | undefined;
}

export class CommandTable {
  private readonly byName = new Map<string, AnyCommand>();
  private readonly defined = new Map<string, AnyCommand>();
  private frozen = false;
  /** The other sources' phrases, for a name written `SOURCE/NAME` (a session gives each source's table them). */
  private elsewhere: OtherSources | null = null;
  readonly commands: readonly AnyCommand[];

  constructor(commands: readonly AnyCommand[]) {
    this.commands = commands;
    for (const spec of commands) {
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        const key = name.toLowerCase();
        if (this.byName.has(key)) throw new Error(`two commands are named "${key}"`);
        this.byName.set(key, spec);
      }
    }
  }

  get(name: string): AnyCommand | undefined {
    const key = name.toLowerCase();
    const own = this.byName.get(key) ?? this.defined.get(key);
    if (own !== undefined || this.elsewhere === null) return own;
    const slash = name.lastIndexOf('/');
    return slash > 0 ? this.elsewhere.phrase(name.slice(0, slash), name.slice(slash + 1)) : undefined;
  }

  /** A phrase this table defined (no built-in), by its bare name. */
  phrase(name: string): AnyCommand | undefined {
    return this.defined.get(name.toLowerCase());
  }

  /** Let `SOURCE/NAME` name another source's phrase (kept by forks). */
  reachOthers(elsewhere: OtherSources): this {
    this.elsewhere = elsewhere;
    return this;
  }

  /** A command of the table itself (not a `def`). */
  isBuiltin(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Define (or redefine) a phrase: lines parsed from now on may use its name. Built-ins cannot be shadowed. */
  define(spec: AnyCommand): void {
    const key = spec.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`"${key}" is a built-in command`);
    // A shared table (the built-in one) keeps no definitions: a line parsed against it alone has nowhere to keep them.
    if (this.frozen) return;
    this.defined.set(key, spec);
  }

  /** Forget a phrase (a def whose body had errors takes back the name it reserved). */
  undefine(name: string): void {
    this.defined.delete(name.toLowerCase());
  }

  /** Keep no definitions from now on (for tables shared by many parsers); `fork` gives a table that does. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  /** The phrases defined so far, in the order first defined. */
  definitions(): AnyCommand[] {
    return [...this.defined.values()];
  }

  /** Every name and alias (and defined phrase). */
  names(): string[] {
    return [...this.byName.keys(), ...this.defined.keys()];
  }

  /** The known name nearest to a misspelt one, if any is near. */
  suggest(name: string): string | undefined {
    // Another source's phrase of exactly this name: how this source writes it.
    const owner = name.includes('/') ? undefined : this.elsewhere?.owner(name);
    return owner !== undefined ? `${owner}/${name}` : closest(name, this.names());
  }

  /** A new table with `spec` added (or replacing a command of the same name). */
  with(spec: AnyCommand): CommandTable {
    return new CommandTable([...this.commands.filter((c) => c.name !== spec.name), spec]);
  }

  /** A table with the same commands and a copy of the definitions: what each session defines into. */
  fork(): CommandTable {
    const table = new CommandTable(this.commands);
    for (const [key, spec] of this.defined) table.defined.set(key, spec);
    table.elsewhere = this.elsewhere;
    return table;
  }
}
