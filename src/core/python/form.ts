/**
 * A command's Python form: how `--to-python` writes it as asyncio. Each
 * command carries its own (`python` in its `defineCommand`, often from a
 * sibling file such as `commands/notes.python.ts`), typed by the arguments its
 * `parse` returns; the translator (`translate.ts`) keeps only the program's
 * frame: main(), phrases, names, the header and the machine.
 *
 * `C` is a parsed command (an `Invocation`): a type parameter, so that this
 * kernel imports nothing of the language that imports it.
 */

/** Writing Python expressions: values of the script as Python, and the helpers they need. */
export interface PythonValues {
  /** A note (a number, or the Python of `C5+7`, `choose(...)`, a parameter). */
  note(value: unknown): string;
  /** A duration in seconds (`beats(N)` once the script sets a tempo). */
  duration(value: unknown): string;
  /** A plain value (a count, a phrase's argument). */
  value(value: unknown): string;
  /** What `asyncio.create_task(coro...)` takes after the coroutine for a spawned task: the tempo it starts with, its own ('' with none set). */
  spawnOptions(): string;
  /** The asyncio.Event of a cue, declared at the top of the program. */
  cue(name: string): string;
  /** Whether evaluating the value draws from the source's chance (choose, rand). */
  drawsChance(value: unknown): boolean;
  /** Have the program define a helper it otherwise leaves out. */
  need(helper: 'chance' | 'live'): void;
}

/** What the host that asks for the program knows besides the script (the CLI's --to-python: the samples it decoded). */
export interface PythonKnown {
  /** How long the audio file `path` (as written in the script) plays at rate 1, in seconds, if it was decoded. */
  sampleSeconds?(path: string): number | undefined;
}

/** What the translator knows of commands without writing them. */
export interface PythonFacts<C> {
  /** Whether the command surely lets time pass. */
  waits(command: C): boolean;
  /** Whether the command can end in an exception. */
  canFail(command: C): boolean;
  /** Whether a duration surely takes time (one known only when it runs is taken to). */
  takesTime(duration: unknown): boolean;
  /** Whether the language has this command (its Python form may depend on it). */
  has(name: string): boolean;
}

/** The place a command is written: its function, its block, and what that function knows. */
export interface PythonScope<C> extends PythonValues, PythonFacts<C> {
  /** The command as written (`beep C5 1`). */
  readonly text: string;
  /** A line of main() itself: a task it starts gets the session's name (t1, t2 ...). */
  readonly main: boolean;
  /** Runs in main()'s own task, not in a task it started. */
  readonly ownTask: boolean;
  /** Write a line at the block's indentation. */
  line(text: string): void;
  /** Write the lines of a block one level deeper (`pass` if it has none). */
  block(write: () => void): void;
  /** Write a nested command as statements; `main: false` for a body that runs more than once. */
  body(command: C, options?: { main?: boolean }): void;
  /** Write a `;`-part of a sequence (a phrase called there runs as a task inside its caller's). */
  part(command: C): void;
  /** An awaitable for the command: its call, or a nested `async def` written just before (named `name`). */
  coroutine(command: C, name?: string): string;
  /** The command as one awaitable call (`chord(...)`, a phrase), or null if it is not one. */
  call(command: C): string | null;
  /** A fresh Python name as close to `name` as the program's names allow. */
  claim(name: string): string;
  /** The name of a task started here in main() (`t1`), or null elsewhere (such a task has none). */
  nameTask(): string | null;
  /** The Python name of a task main() started, by the name the script gives it; null if none. */
  task(ref: string): string | null;
  /** A located warning about this command (or, given `at`, a command inside it). */
  warn(message: string, at?: C): void;
  /** Write the command as a marked `# NOT EXPORTED` comment, and warn why. */
  unfaithful(why: string): void;
  /** Warn that note options (amp=, env=, synth=) are left out: the program plays plain tones. */
  options(options: object | undefined): void;
  /** What the host knows besides the script (nothing, unless it says). */
  readonly known: PythonKnown;
}

/** How a command is written in Python, and what the translator needs to know of it. */
export interface PythonForm<A, C> {
  /** Write the command as statements (default: `await` its `call`). */
  write?(args: A, py: PythonScope<C>): void;
  /** The command as one awaitable expression (`asyncio.sleep(S)`), where it is one. */
  call?(args: A, py: PythonValues): string;
  /** The commands it runs inside it (not those of the phrases it calls). */
  children?(args: A): readonly C[];
  /** Whether it surely lets time pass (default: if one of its children does). */
  waits?(args: A, facts: PythonFacts<C>): boolean;
  /** Whether it can end in an exception (default: if one of its children can). */
  canFail?(args: A, facts: PythonFacts<C>): boolean;
  /** Its failure is an ExceptionGroup (a TaskGroup's), caught with `except*`. */
  groups?(args: A, facts: PythonFacts<C>): boolean;
  /** It starts notes that outlive it (`add`): a failing line lets go of them. */
  addsNotes?: boolean;
  /** It needs the running loop (`loop.run_in_executor`). */
  offloads?: boolean;
  /** It defines a phrase: the frame writes it as an `async def` at the top. */
  definesPhrase?: boolean;
  /** Python definitions its lines call (a helper of its own), written once before main() when the script uses it. */
  prelude?: string;
}
