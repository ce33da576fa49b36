import { builtinCommands } from '../commands';
import type { CommandSpec, CommandTable, Invocation } from '../language/command';
import { withParameters } from '../language/args';
import { parseLine, parseLineItem, type ParsedLine } from '../language/parser';
import { tokenize } from '../language/tokens';
import { splitText } from '../lines/text';
import type { Diagnostic } from '../session/api';
import { PythonWriter } from './code';
import type { PythonFacts, PythonForm, PythonKnown, PythonScope } from './form';
import { writeProgram } from './header';
import { isTaken, PythonNames } from './names';
import { pyComment } from './quote';
import { PythonExpressions, takesTime } from './values';

/** A script as a Python asyncio program, and what could not be carried over faithfully. */
export interface PythonExport {
  code: string;
  /** Located notes (`source:line:col`) on what was written as a marked comment instead of code. */
  warnings: Diagnostic[];
}

interface Phrase {
  python: string;
  /** The name calls use (the first definition's): a later def rebinds it where it runs. */
  callName: string;
  params: string[];
  body: Invocation;
}

/** Where a statement is written: the function's writer and what the function knows. */
interface Scope {
  w: PythonWriter;
  /** A line of main() itself: its spawns get the session's names t1, t2 ... in order. */
  main: boolean;
  /** The code runs in main()'s own task (not in a task it started), so stop spares just that task. */
  ownTask: boolean;
  /** Numbers the nested coroutines of one top-level function (part_1, part_2 ...). */
  parts: { count: number };
  /** The Python names of the phrase's parameters (none in main): what a hoisted body is passed. */
  params: string[];
  /** Written outside main() (a phrase, a hoisted body): main()'s task names are globals here. */
  outside: boolean;
}

/** Past this indentation a body is hoisted into a function of its own (Python allows 20 nested blocks and 100 indents). */
const DEEPEST = 8;

/**
 * Writes a corotone script as the asyncio program it stands for: each command
 * as the construct it teaches (its `python` form: spawn is create_task, gather
 * is gather, race is wait(FIRST_COMPLETED) ...), each phrase an `async def`,
 * the lines one after another in `main()`, with the script's comments where
 * they were. Under it goes the machine that plays the notes (and prints
 * corotone's events with `--events`, on a virtual clock).
 */
export function toPython(text: string, source: string, commands: CommandTable = builtinCommands, known: PythonKnown = {}): PythonExport {
  const usesBpm = /(^|[\s;|&])bpm\s+\d/im.test(text);
  return new Translator(source, commands.fork(), usesBpm, known).translate(text);
}

class Translator implements PythonFacts<Invocation> {
  readonly warnings: Diagnostic[] = [];
  readonly names = new PythonNames();
  private readonly phrases = new Map<CommandSpec, Phrase>();
  /** The first phrase of each name (lowercase): a redefinition rebinds its Python name. */
  private readonly phraseByName = new Map<string, Phrase>();
  private readonly rebound = new Set<string>();
  private nextTask = 1;
  readonly values: PythonExpressions;
  private readonly usedInPhrases = new Set<string>();
  private mainOffloads = false;
  private readonly mainTasks = new Set<string>();
  /** Deep bodies written as functions of their own (`hoist`), in the order they were finished. */
  private readonly hoisted: PythonWriter[] = [];
  /** The preludes of the forms used (a command's own helpers), in the order first used. */
  private readonly preludes = new Set<string>();
  private readonly module = new PythonWriter();
  private readonly main = new PythonWriter();
  /** Comments (and blank lines, as '') waiting for the next command, to go just above it. */
  private pending: string[] = [];

  constructor(
    private readonly source: string,
    private readonly table: CommandTable,
    /** The script sets a tempo: beats are written as beats(N), which reads the tempo when it runs. */
    usesBpm: boolean,
    readonly known: PythonKnown,
  ) {
    this.values = new PythonExpressions(usesBpm, this.warnings, (name) => this.names.claim(name), param);
  }

  translate(text: string): PythonExport {
    let header: string[] | null = null;
    const mainScope: Scope = { w: this.main, main: true, ownTask: true, parts: { count: 0 }, params: [], outside: false };
    for (const item of splitText(this.source, text)) {
      const raw = item.kind === 'line' ? item.text : '';
      const comment = commentOf(raw);
      const parsed = parseLineItem(item, this.source, this.table);
      if (parsed.kind === 'empty') {
        this.pending.push(comment ?? '');
        continue;
      }
      if (header === null) {
        // The comments before the first command are the script's story: they open the program,
        // but for the block just above the command (after the last blank line), which stays with it.
        const split = this.pending.lastIndexOf('');
        header = this.pending.slice(0, Math.max(0, split)).filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
        this.pending = this.pending.slice(split + 1);
      }
      if (parsed.kind === 'command' && parsed.invocation.spec.python?.definesPhrase === true) {
        this.writePhrase(raw, parsed, comment);
        continue;
      }
      this.flush(this.main, true);
      const at = this.main.size;
      if (parsed.kind === 'command' && this.offloads(parsed.invocation)) this.mainOffloads = true;
      this.line(parsed, mainScope);
      if (comment !== null) this.main.comment(at, comment);
    }
    this.flush(this.main, false);
    const globals = [...[...this.usedInPhrases].filter((name) => this.mainTasks.has(name)), ...this.rebound];
    const code = writeProgram({
      source: this.source,
      header: header ?? this.pending,
      phrases: this.module,
      hoisted: this.hoisted,
      main: this.main,
      globals,
      mainOffloads: this.mainOffloads,
      values: this.values,
      preludes: [...this.preludes],
    });
    return { code, warnings: this.warnings };
  }

  /** Write the pending comments to `w` (after a blank line, if `gap` and there are some). */
  private flush(w: PythonWriter, gap: boolean): void {
    const pending = this.pending;
    while (pending.length > 0 && pending[pending.length - 1] === '') pending.pop();
    if (gap && pending.some((l) => l !== '')) w.gap();
    for (const line of pending) if (line === '') w.gap();
    else w.line(line);
    this.pending = [];
  }

  // ---- phrases -----------------------------------------------------------

  /** A def line: an `async def` at the top, and where it redefines a name, the rebinding in main(). */
  private writePhrase(raw: string, parsed: Extract<ParsedLine, { kind: 'command' }>, comment: string | null): void {
    const phrase = this.definePhrase(raw, parsed);
    if (phrase === null) return;
    const module = this.module;
    module.blankLines(2);
    this.flush(module, false);
    const at = module.size;
    module.line(`async def ${phrase.python}(${phrase.params.join(', ')}):`);
    const scope: Scope = { w: module, main: false, ownTask: false, parts: { count: 0 }, params: phrase.params, outside: true };
    module.block(() => this.withLoop(phrase.body, scope, () => this.body(phrase.body, scope)));
    if (comment !== null) module.comment(at, comment);
    if (phrase.callName !== phrase.python) {
      // corotone: a def reaches the calls (and the loops playing it) from when its line runs.
      this.flush(this.main, true);
      this.main.line(`${phrase.callName} = ${phrase.python}  # def ${phrase.callName} again: calls from here on play the new one`);
      this.rebound.add(phrase.callName);
    }
  }

  /** A def line: its phrase (the table now knows it) with the body it runs, read again from the line. */
  private definePhrase(raw: string, parsed: Extract<ParsedLine, { kind: 'command' }>): Phrase | null {
    const tokens = tokenize(raw);
    let nameToken = tokens[1];
    let rest = tokens.slice(2);
    let params: string[] = [];
    if (nameToken.text.endsWith(':') && nameToken.text.length > 1) {
      nameToken = { ...nameToken, text: nameToken.text.slice(0, -1) };
    } else {
      const colon = rest.findIndex((t) => t.text.endsWith(':'));
      if (colon >= 0) {
        params = rest.slice(0, colon + 1).map((t) => t.text.replace(/:$/, '')).filter((p) => p !== '');
        rest = rest.slice(colon + 1);
      }
    }
    const spec = this.table.get(nameToken.text);
    // A phrase is a command of this table that is not one of its built-ins.
    if (spec === undefined || this.table.isBuiltin(nameToken.text) || rest.length === 0) return null;
    const body = this.phraseBody(raw, rest, params, parsed.line);
    if (body === null) return null;
    const first = this.phraseByName.get(nameToken.text.toLowerCase());
    const python = this.names.claim(nameToken.text);
    const phrase: Phrase = { python, callName: first?.callName ?? python, params: params.map(param), body };
    if (first === undefined) this.phraseByName.set(nameToken.text.toLowerCase(), phrase);
    this.phrases.set(spec, phrase);
    return phrase;
  }

  /** The body, at its own columns: the words after the name, parsed as the def's parser did. */
  private phraseBody(raw: string, rest: ReturnType<typeof tokenize>, params: string[], line: number): Invocation | null {
    const head = this.table.get(rest[0]?.text ?? '');
    const blank = (upTo: number, prefix: string) => prefix + ' '.repeat(upTo - prefix.length) + raw.slice(upTo);
    const reparse = (prefix: string) => withParameters(params, () => parseLine(blank(rest[0].col - 1, prefix), this.source, line, this.table));
    if (head?.sequence === true) {
      const again = reparse('');
      return again.kind === 'command' ? again.invocation : null;
    }
    // Read as eval reads its parts (`A; B`): the words the def runs one after another.
    const again = reparse('eval');
    if (again.kind !== 'command') return null;
    const parts = Array.isArray(again.invocation.args) ? again.invocation.args.filter(isInvocation) : [];
    return parts.length === 1 ? parts[0] : again.invocation;
  }

  private phraseCall(inv: Invocation, phrase: Phrase): string {
    const values: unknown[] = Array.isArray(inv.args) ? inv.args : [];
    return `${phrase.callName}(${values.map((v) => this.values.value(v)).join(', ')})`;
  }

  // ---- lines and statements ---------------------------------------------

  /** A line of main(): its command, in a try if it can fail (a failing line does not stop the script). */
  private line(parsed: ParsedLine, scope: Scope): void {
    const w = scope.w;
    if (parsed.kind === 'error') {
      w.line(`# corotone cannot read this line, so it does not run: ${pyComment(parsed.text)}`);
      for (const d of parsed.diagnostics) {
        w.line(`#   ${pyComment(d.message)}`);
        this.warnings.push({ ...d, message: `not exported: ${d.message}` });
      }
      return;
    }
    if (parsed.kind !== 'command') return;
    const inv = parsed.invocation;
    if (!this.canFail(inv)) {
      this.statement(inv, scope);
      return;
    }
    const group = inv.spec.python?.groups?.(inv.args, this) === true;
    // corotone runs each line as a task: one that fails lets go of the notes it started with add.
    const holds = this.addsNotes(inv);
    if (holds) w.line('line = notes.mark()');
    const release = () => {
      if (holds) w.line('notes.release_since(line)  # a failed line lets go of the notes it started');
    };
    w.line('try:');
    w.block(() => this.statement(inv, scope));
    w.line(group ? 'except* Exception as errors:' : 'except Exception as error:');
    w.block(() => {
      w.line(group ? 'print("error:", *errors.exceptions, file=sys.stderr)' : 'print("error:", repr(error), file=sys.stderr)');
      release();
    });
  }

  /** The statements of a body: a sequence's parts one after another, or the one command. */
  body(inv: Invocation, scope: Scope): void {
    if (scope.w.indent >= DEEPEST) this.hoist(inv, scope);
    else this.statement(inv, scope);
  }

  /**
   * A deeply nested body as a function of its own at the top of the file,
   * awaited where it stands: the same task runs it, and the program stays
   * within Python's 20 nested blocks and 100 levels of indentation.
   */
  private hoist(inv: Invocation, scope: Scope): void {
    const name = this.names.claim('nested');
    const args = scope.params.join(', ');
    const w = new PythonWriter();
    const inner: Scope = { ...scope, w, parts: { count: 0 }, outside: true };
    w.line(`async def ${name}(${args}):`);
    w.block(() => this.withLoop(inv, inner, () => this.body(inv, inner)));
    this.hoisted.push(w);
    scope.w.line(`await ${name}(${args})`);
  }

  /** `step`: a `;`-part of a sequence, where corotone runs a phrase call as a task inside the caller's. */
  statement(inv: Invocation, scope: Scope, step = false): void {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) {
      const call = this.phraseCall(inv, phrase);
      scope.w.line(step ? `await asyncio.create_task(${call})` : `await ${call}`);
      return;
    }
    const form: PythonForm<unknown, Invocation> | undefined = inv.spec.python;
    // A def inside a line defines nothing the program can call: only a def line is an `async def`.
    if (form?.definesPhrase === true) return;
    const py = new Place(this, inv, scope);
    if (form?.prelude !== undefined) this.preludes.add(form.prelude);
    if (form?.write !== undefined) form.write(inv.args, py);
    else if (form?.call !== undefined) py.line(`await ${form.call(inv.args, this.values)}`);
    else py.unfaithful(`${inv.spec.name} is corotone's own; it has no asyncio form`);
  }

  /** Written as a marked comment, and said on stderr. */
  unfaithful(inv: Invocation, scope: Scope, why: string): void {
    scope.w.line(pyComment(`# NOT EXPORTED (corotone: ${inv.text}): ${why}`));
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `not exported: "${inv.text}": ${why}; written as a comment` });
  }

  /** Options of a note (amp=, env=, synth=, pan=, fx=) shape the sound only: the Python plays plain tones. */
  options(inv: Invocation, options: object | undefined): void {
    if (options === undefined || Object.keys(options).length === 0) return;
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `not exported: the note options of "${inv.text}" (amp=, env=, synth=, pan=, fx=) shape corotone's sound only; the Python plays plain tones` });
  }

  /** A task started in main() itself gets the session's next name (t1, t2 ...); elsewhere none. */
  nameTask(scope: Scope): string | null {
    if (!scope.main) return null;
    const name = `t${this.nextTask++}`;
    this.mainTasks.add(name);
    if (scope.outside) {
      // A hoisted part of main(): the name is main()'s, so a global both share.
      scope.w.line(`global ${name}`);
      this.usedInPhrases.add(name);
    }
    return name;
  }

  /** A task main() started, by the name the script gives it. */
  task(ref: string, scope: Scope): string | null {
    const name = ref.toLowerCase();
    if (!this.mainTasks.has(name)) return null;
    if (!scope.ownTask || scope.outside) this.usedInPhrases.add(name);
    return name;
  }

  /** The coroutine call of a command that is one await: chord, beep, wait, a phrase. */
  call(inv: Invocation): string | null {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.phraseCall(inv, phrase);
    const call = inv.spec.python?.call;
    return call === undefined ? null : call(inv.args, this.values);
  }

  /** A coroutine for `inv`: its call, or a nested `async def` written just before. */
  coroutine(inv: Invocation, scope: Scope, name?: string): string {
    const call = this.call(inv);
    if (call !== null) return call;
    const fn = name ?? `part_${++scope.parts.count}`;
    scope.w.line(`async def ${fn}():`);
    scope.w.block(() => this.body(inv, { ...scope, main: false, ownTask: false }));
    return `${fn}()`;
  }

  /** Functions that offload get the running loop first. */
  private withLoop(inv: Invocation, scope: Scope, write: () => void): void {
    if (this.offloads(inv)) scope.w.line('loop = asyncio.get_running_loop()');
    write();
  }

  // ---- what a command does, statically ----------------------------------

  has(name: string): boolean {
    return this.table.get(name) !== undefined;
  }

  takesTime(duration: unknown): boolean {
    return takesTime(duration);
  }

  /** The commands a command runs inside it (not those of the phrases it calls). */
  private children(inv: Invocation): readonly Invocation[] {
    return inv.spec.python?.children?.(inv.args) ?? [];
  }

  /** Whether the command (or a phrase it calls) starts notes with add. */
  private addsNotes(inv: Invocation, depth = 0): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return depth < 64 && this.addsNotes(phrase.body, depth + 1);
    return inv.spec.python?.addsNotes === true || this.children(inv).some((c) => this.addsNotes(c, depth));
  }

  /** Whether the command (not the phrases it calls) offloads, so its function needs the running loop. */
  private offloads(inv: Invocation): boolean {
    return inv.spec.python?.offloads === true || this.children(inv).some((c) => this.offloads(c));
  }

  /** Whether the line's command can end in an exception (so main() must catch it and go on). */
  canFail(inv: Invocation): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.canFail(phrase.body);
    const canFail = inv.spec.python?.canFail;
    return canFail !== undefined ? canFail(inv.args, this) : this.children(inv).some((c) => this.canFail(c));
  }

  /** Whether the command surely lets time pass (a `loop` of it does not hold the event loop). */
  waits(inv: Invocation): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.waits(phrase.body);
    const waits = inv.spec.python?.waits;
    return waits !== undefined ? waits(inv.args, this) : this.children(inv).some((c) => this.waits(c));
  }
}

/** What a command's Python form writes with, at the place it stands: its function's writer and scope. */
class Place implements PythonScope<Invocation> {
  constructor(
    private readonly t: Translator,
    private readonly inv: Invocation,
    private readonly scope: Scope,
  ) {}

  get text(): string {
    return this.inv.text;
  }

  get known(): PythonKnown {
    return this.t.known;
  }

  get main(): boolean {
    return this.scope.main;
  }

  get ownTask(): boolean {
    return this.scope.ownTask;
  }

  line(text: string): void {
    this.scope.w.line(text);
  }

  block(write: () => void): void {
    this.scope.w.block(write);
  }

  body(command: Invocation, options?: { main?: boolean }): void {
    this.t.body(command, { ...this.scope, main: options?.main ?? this.scope.main });
  }

  part(command: Invocation): void {
    this.t.statement(command, this.scope, true);
  }

  coroutine(command: Invocation, name?: string): string {
    return this.t.coroutine(command, this.scope, name);
  }

  call(command: Invocation): string | null {
    return this.t.call(command);
  }

  note(value: unknown): string {
    return this.t.values.note(value);
  }

  duration(value: unknown): string {
    return this.t.values.duration(value);
  }

  value(value: unknown): string {
    return this.t.values.value(value);
  }

  cue(name: string): string {
    return this.t.values.cue(name);
  }

  spawnOptions(): string {
    return this.t.values.spawnOptions();
  }

  need(helper: 'chance' | 'live'): void {
    this.t.values.need(helper);
  }

  drawsChance(value: unknown): boolean {
    return this.t.values.drawsChance(value);
  }

  claim(name: string): string {
    return this.t.names.claim(name);
  }

  nameTask(): string | null {
    return this.t.nameTask(this.scope);
  }

  task(ref: string): string | null {
    return this.t.task(ref, this.scope);
  }

  warn(message: string, at: Invocation = this.inv): void {
    this.t.warnings.push({ ...at.pos, endCol: at.endCol, message });
  }

  unfaithful(why: string): void {
    this.t.unfaithful(this.inv, this.scope, why);
  }

  options(options: object | undefined): void {
    this.t.options(this.inv, options);
  }

  waits(command: Invocation): boolean {
    return this.t.waits(command);
  }

  canFail(command: Invocation): boolean {
    return this.t.canFail(command);
  }

  takesTime(duration: unknown): boolean {
    return takesTime(duration);
  }

  has(name: string): boolean {
    return this.t.has(name);
  }
}

/** A phrase's parameter as a Python name (one that is Python's or the program's own gets a trailing `_`). */
function param(name: string): string {
  return isTaken(name) || TAKEN_PARAMS.has(name) ? `${name}_` : name;
}

const TAKEN_PARAMS = new Set(['bpm', 'tempo', 'chance', 'notes', 'loop', 'time', 'sys', 'asyncio', 'math']);

function isInvocation(value: unknown): value is Invocation {
  return typeof value === 'object' && value !== null && 'spec' in value && 'args' in value && 'pos' in value;
}

/** The comment of a line (`# ...`, where the tokenizer stops), or null. */
function commentOf(raw: string): string | null {
  const tokens = tokenize(raw);
  const from = tokens.length > 0 ? tokens[tokens.length - 1].endCol - 1 : 0;
  const at = raw.indexOf('#', from);
  return at < 0 ? null : `#${pyComment(raw.slice(at + 1).trimEnd())}`;
}
