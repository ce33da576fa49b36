import { builtinCommands } from '../commands';
import type { CommandTable, Invocation } from '../language/command';
import { phrases } from '../commands/body';
import { withParameters } from '../language/args';
import { Deferred } from '../language/deferred';
import { UNITS, type Expr } from '../language/values';
import { parseLine, parseLineItem, type ParsedLine } from '../language/parser';
import { tokenize } from '../language/tokens';
import { splitText } from '../lines/text';
import type { Diagnostic } from '../session/api';
import { PythonWriter, isStatement, pySeconds } from './code';
import { pyComment, pyDocstring, pyString, shellWord } from './quote';
import { MACHINE } from './machine';
import { PythonNames, isTaken } from './names';

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

/** Commands that take time only in a worker or a timer: what makes a `loop` pass wait. */
const WAITING = new Set(['wait', 'chord', 'beep', 'offload']);

/**
 * Writes a corotone script as the asyncio program it stands for: each command
 * as the construct it teaches (spawn is create_task, gather is gather, race is
 * wait(FIRST_COMPLETED) ...), each phrase an `async def`, the lines one after
 * another in `main()`, with the script's comments where they were. Under it
 * goes the machine that plays the notes (and prints corotone's events with
 * `--events`, on a virtual clock).
 */
export function toPython(text: string, source: string, commands: CommandTable = builtinCommands): PythonExport {
  return new Translator(source, commands.fork()).translate(text);
}

class Translator {
  private readonly warnings: Diagnostic[] = [];
  private readonly names = new PythonNames();
  private readonly phrases = new Map<unknown, Phrase>();
  /** The first phrase of each name (lowercase): a redefinition rebinds its Python name. */
  private readonly phraseByName = new Map<string, Phrase>();
  private readonly rebound = new Set<string>();
  private nextTask = 1;
  /** The script sets a tempo: beats are written as beats(N), which reads the tempo when it runs. */
  private usesBpm = false;
  private usesChance = false;
  private ticks = 0;
  private readonly cues = new Map<string, string>();
  private usesLive = false;
  /** `gather` means asyncio.TaskGroup until the language has `group` for that. */
  private readonly gatherIsGroup: boolean;

  constructor(
    private readonly source: string,
    private readonly table: CommandTable,
  ) {
    this.gatherIsGroup = table.get('group') === undefined;
  }

  translate(text: string): PythonExport {
    this.usesBpm = /(^|[\s;|&])bpm\s+\d/im.test(text);
    const module = new PythonWriter();
    const main = new PythonWriter();
    let pending: string[] = [];
    let header: string[] | null = null;
    const mainScope: Scope = { w: main, main: true, ownTask: true, parts: { count: 0 }, params: [], outside: false };
    const flush = (w: PythonWriter): void => {
      while (pending.length > 0 && pending[pending.length - 1] === '') pending.pop();
      for (const line of pending) if (line === '') w.gap();
      else w.line(line);
      pending = [];
    };
    for (const item of splitText(this.source, text)) {
      const raw = item.kind === 'line' ? item.text : '';
      const comment = commentOf(raw);
      const parsed = parseLineItem(item, this.source, this.table);
      if (parsed.kind === 'empty') {
        pending.push(comment ?? '');
        continue;
      }
      if (header === null) {
        // The comments before the first command are the script's story: they open the program,
        // but for the block just above the command (after the last blank line), which stays with it.
        const split = pending.lastIndexOf('');
        header = pending.slice(0, Math.max(0, split)).filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
        pending = pending.slice(split + 1);
      }
      if (parsed.kind === 'command' && parsed.invocation.spec.name === 'def') {
        const phrase = this.definePhrase(raw, parsed);
        if (phrase === null) continue;
        module.blankLines(2);
        flush(module);
        const at = module.size;
        module.line(`async def ${phrase.python}(${phrase.params.join(', ')}):`);
        const scope: Scope = { w: module, main: false, ownTask: false, parts: { count: 0 }, params: phrase.params, outside: true };
        module.block(() => this.withLoop(phrase.body, scope, () => this.body(phrase.body, scope)));
        if (comment !== null) module.comment(at, comment);
        if (phrase.callName !== phrase.python) {
          // corotone: a def reaches the calls (and the loops playing it) from when its line runs.
          if (pending.some((l) => l !== '')) main.gap();
          flush(main);
          main.line(`${phrase.callName} = ${phrase.python}  # def ${phrase.callName} again: calls from here on play the new one`);
          this.rebound.add(phrase.callName);
        }
        continue;
      }
      if (pending.some((l) => l !== '')) main.gap();
      flush(main);
      const at = main.size;
      if (parsed.kind === 'command' && this.uses(parsed.invocation, 'offload')) this.mainOffloads = true;
      this.line(parsed, mainScope);
      if (comment !== null) main.comment(at, comment);
    }
    flush(main);
    return { code: this.program(header ?? pending, module, main), warnings: this.warnings };
  }

  private program(header: string[], phrases: PythonWriter, main: PythonWriter): string {
    const file = this.source.replace(/^.*[\\/]/, '');
    const stem = file.replace(/\.[^.]*$/, '') || 'script';
    const out = new PythonWriter();
    out.line('#!/usr/bin/env python3');
    const program = pyDocstring(shellWord(`${stem}.py`));
    out.line(`"""${pyDocstring(file)}, as Python asyncio (written by corotone --to-python).`);
    out.line('');
    out.line(`Play it:      python3 ${program} | play -q -t raw -r 8000 -c 1 -b 8 -e unsigned --buffer 256 -`);
    out.line(`Its events:   python3 ${program} --events   (the JSON lines of corotone --events)`);
    out.line('Needs Python 3.11 or later and nothing else.');
    out.line('"""');
    if (header.length > 0) {
      out.line('');
      for (const line of header) out.line(line);
    }
    out.line('');
    out.line('import asyncio');
    out.line('import sys');
    out.line('import time');
    out.line('');
    out.line(`SOURCE = ${pyString(this.source)}`);
    out.line('');
    out.line('');
    out.line('async def chord(seconds, *keys):');
    out.block(() => {
      out.line('"""Sound the notes together for some seconds. Cancelled, it stops them at once (finally)."""');
      out.line('voices = notes.hold(keys)  # notes of this chord, even where another holds the same key');
      out.line('try:');
      out.block(() => out.line('await asyncio.sleep(seconds)'));
      out.line('finally:');
      out.block(() => out.line('notes.let_go(voices)'));
    });
    out.line('');
    out.line('');
    out.line('async def beep(key, seconds=0.5):');
    out.block(() => out.line('await chord(seconds, key)'));
    this.musicHelpers(out);
    if (phrases.size > 0) out.lines.push('', '');
    out.lines.push(...phrases.lines);
    for (const helper of this.hoisted) out.lines.push('', '', ...helper.lines);
    out.line('');
    out.line('');
    out.line('async def main():');
    const globals = this.globals();
    if (globals.length > 0) out.lines.push(`    global ${globals.join(', ')}`);
    if (this.mainOffloads) out.lines.push('    loop = asyncio.get_running_loop()');
    const body = main.lines.some(isStatement) ? main.lines : [...main.lines, 'pass'];
    for (const line of body) out.lines.push(line === '' ? '' : `    ${line}`);
    out.line('');
    out.line('');
    out.lines.push(...MACHINE.split('\n').slice(0, -1));
    out.line('');
    out.line('');
    out.line('if __name__ == "__main__":');
    out.block(() => out.line('run(main)'));
    return out.text();
  }

  // ---- phrases -----------------------------------------------------------

  private readonly usedInPhrases = new Set<string>();
  private mainOffloads = false;
  private readonly mainTasks = new Set<string>();
  /** Deep bodies written as functions of their own (`hoist`), in the order they were finished. */
  private readonly hoisted: PythonWriter[] = [];

  private globals(): string[] {
    return [...[...this.usedInPhrases].filter((name) => this.mainTasks.has(name)), ...this.rebound];
  }

  /** What the script's musical commands need: tempo, chance, cues, live loops (only those it uses). */
  private musicHelpers(out: PythonWriter): void {
    const gap = () => {
      out.line('');
      out.line('');
    };
    if (this.usesBpm) {
      gap();
      out.line('bpm = 60  # beats a minute (bpm N): durations are in beats');
      gap();
      out.line('def use_bpm(n):');
      out.block(() => {
        out.line('global bpm');
        out.line('bpm = n');
      });
      gap();
      out.line('def beats(count):');
      out.block(() => out.line('return count * 60 / bpm'));
    }
    if (this.usesChance) {
      gap();
      out.line('def choose(*options):');
      out.block(() => {
        out.line('"""One of the options, by corotone\'s seeded chance (seed N starts it again)."""');
        out.line('return options[math.floor(chance.next() * len(options))]');
      });
      gap();
      out.line('def rand(low, high):');
      out.block(() => out.line('return math.floor(low * 1e9 + chance.next() * (high * 1e9 - low * 1e9) + 0.5) / 1e9'));
    }
    if (this.ticks > 0) {
      gap();
      out.line('tick_counts = {}');
      gap();
      out.line('def tick(site, *options):');
      out.block(() => {
        out.line('"""The next of the options each time this tick runs."""');
        out.line('n = tick_counts.get(site, 0)');
        out.line('tick_counts[site] = n + 1');
        out.line('return options[n % len(options)]');
      });
    }
    if (this.cues.size > 0) {
      out.line('');
      out.line('');
      for (const [name, py] of this.cues) out.line(`${py} = asyncio.Event()  # cue ${pyComment(name)} / sync ${pyComment(name)}`);
    }
    if (this.usesLive) {
      gap();
      out.line('live_bodies = {}');
      out.line('live_tasks = {}');
      gap();
      out.line('async def live_loop(name):');
      out.block(() => {
        out.line('"""A live loop: pass after pass, the newest body it was given."""');
        out.line('while True:');
        out.block(() => {
          out.line('start = machine.waited()');
          out.line('await live_bodies[name]()');
          out.line('if machine.waited() == start:  # as corotone: a pass that took no time would hold the event loop forever');
          out.block(() => out.line('raise RuntimeError(f"live loop {name} never waits: one pass took no time")'));
        });
      });
      gap();
      out.line('async def live(name, body):');
      out.block(() => {
        out.line('"""live NAME CMD: start the loop, or hand the running one its body for the next pass."""');
        out.line('live_bodies[name] = body');
        out.line('task = live_tasks.get(name)');
        out.line('if task is None or task.done() or task.cancelling():  # none, or one that ended or is being cancelled');
        out.block(() => {
          out.line('live_tasks[name] = asyncio.create_task(live_loop(name))');
          out.line('await asyncio.sleep(0)  # it starts before the next line');
        });
      });
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
    if (spec === undefined || !phrases.has(spec) || rest.length === 0) return null;
    // The body, at its own columns: the words after the name, parsed as the def's parser did.
    const head = this.table.get(rest[0]?.text ?? '');
    const blank = (upTo: number, prefix: string) => prefix + ' '.repeat(upTo - prefix.length) + raw.slice(upTo);
    let body: Invocation | null = null;
    const reparse = (prefix: string) => withParameters(params, () => parseLine(blank(rest[0].col - 1, prefix), this.source, parsed.line, this.table));
    if (head?.sequence === true) {
      const again = reparse('');
      body = again.kind === 'command' ? again.invocation : null;
    } else {
      const again = reparse('eval');
      if (again.kind === 'command') {
        const parts = again.invocation.args as Invocation[];
        body = parts.length === 1 ? parts[0] : { ...again.invocation, spec: this.sequenceSpec(), args: parts };
      }
    }
    if (body === null) return null;
    const first = this.phraseByName.get(nameToken.text.toLowerCase());
    const python = this.names.claim(nameToken.text);
    const phrase: Phrase = { python, callName: first?.callName ?? python, params: params.map((p) => this.param(p)), body };
    if (first === undefined) this.phraseByName.set(nameToken.text.toLowerCase(), phrase);
    this.phrases.set(spec, phrase);
    return phrase;
  }

  /** `A; B` written as statements one after another: the same as eval's parts. */
  private sequenceSpec(): Invocation['spec'] {
    return this.table.get('eval')!;
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
    const group = this.isGroup(inv);
    // corotone runs each line as a task: one that fails lets go of the notes it started with add.
    const holds = this.addsNotes(inv);
    if (holds) w.line('line = notes.mark()');
    const release = () => {
      if (holds) w.line('notes.release_since(line)  # a failed line lets go of the notes it started');
    };
    w.line('try:');
    w.block(() => this.statement(inv, scope));
    if (group) {
      w.line('except* Exception as errors:');
      w.block(() => {
        w.line('print("error:", *errors.exceptions, file=sys.stderr)');
        release();
      });
    } else {
      w.line('except Exception as error:');
      w.block(() => {
        w.line('print("error:", repr(error), file=sys.stderr)');
        release();
      });
    }
  }

  /** The statements of a body: a sequence's parts one after another, or the one command. */
  private body(inv: Invocation, scope: Scope): void {
    if (scope.w.indent >= DEEPEST) {
      this.hoist(inv, scope);
      return;
    }
    if (this.isSequence(inv)) for (const part of inv.args as Invocation[]) this.statement(part, scope, true);
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
  private statement(inv: Invocation, scope: Scope, step = false): void {
    const w = scope.w;
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) {
      const call = this.phraseCall(inv, phrase);
      w.line(step ? `await asyncio.create_task(${call})` : `await ${call}`);
      return;
    }
    const args = inv.args as never;
    switch (inv.spec.name) {
      case 'add':
        this.options(inv, (args as { options?: object }).options);
        w.line(`notes.add(${this.note((args as { note: unknown }).note)})`);
        return;
      case 'remove':
        w.line(`notes.discard(${this.note(args)})`);
        return;
      case 'bpm':
        w.line(`use_bpm(${pyUnits((args as { units: number }).units)})`);
        return;
      case 'seed':
        this.usesChance = true;
        w.line(`chance.seed(${args as number})`);
        return;
      case 'cue': {
        const event = this.cue(args as string);
        w.line(`${event}.set()  # cue ${pyComment(args as string)}: every sync waiting now goes on`);
        w.line(`${event}.clear()  # a sync from now on waits for the next cue`);
        return;
      }
      case 'sync':
        w.line(`await ${this.cue(args as string)}.wait()`);
        return;
      case 'live':
        this.live(args as { name: string; body: Invocation }, scope);
        return;
      case 'chord':
      case 'beep':
      case 'wait': {
        // Notes written by name keep their names beside the numbers.
        this.options(inv, (args as { options?: object }).options);
        const names = inv.text.split(/\s+/).filter((word) => /^[A-Ga-g][#b]?-?\d+$/.test(word));
        w.line(`await ${this.call(inv)!}${names.length > 0 ? `  # ${names.join(' ')}` : ''}`);
        return;
      }
      case 'eval':
      case 'sequence':
        for (const part of args as Invocation[]) this.statement(part, scope, true);
        return;
      case 'spawn':
        this.spawn(args as Invocation, scope);
        return;
      case 'gather':
        if (this.gatherIsGroup) this.taskGroup(args as Invocation[], scope);
        else w.line(`await asyncio.gather(${this.awaitables(args as Invocation[], scope).join(', ')})`);
        return;
      case 'group':
        this.taskGroup(args as Invocation[], scope);
        return;
      case 'settle':
        w.line(`results = await asyncio.gather(${[...this.awaitables(args as Invocation[], scope), 'return_exceptions=True'].join(', ')})`);
        w.line('print(results, file=sys.stderr)');
        return;
      case 'race':
        this.race(args as Invocation[], scope);
        return;
      case 'timeout': {
        const { ns, body } = args as { ns: number; body: Invocation };
        w.line(`async with asyncio.timeout(${this.duration(ns)}):`);
        w.block(() => this.body(body, scope));
        return;
      }
      case 'repeat': {
        const { count, body } = args as { count: number; body: Invocation };
        w.line(`for _ in range(${typeof count === 'number' ? count : this.value(count)}):`);
        w.block(() => this.body(body, { ...scope, main: false }));
        return;
      }
      case 'loop':
        this.loop(inv, args as Invocation, scope);
        return;
      case 'tasks':
        w.line('for task in asyncio.all_tasks():');
        w.block(() => w.line('print(task, file=sys.stderr)'));
        return;
      case 'cancel':
        this.cancel(inv, (args as { text: string }).text, scope);
        return;
      case 'stop':
        if (!scope.ownTask) {
          this.unfaithful(inv, scope, 'stop inside a task spares the tasks that run it; asyncio has no such family of tasks to spare');
          return;
        }
        w.line('for task in asyncio.all_tasks():  # stop: cancel everything else this program runs');
        w.block(() => {
          w.line('if task is not asyncio.current_task():');
          w.block(() => w.line('task.cancel()'));
        });
        return;
      case 'panic':
        if (!scope.ownTask) {
          this.unfaithful(inv, scope, 'panic inside a task spares the tasks that run it; asyncio has no such family of tasks to spare');
          return;
        }
        w.line('notes.clear()  # panic: silence at once, and cancel every task but this one');
        w.line('for task in asyncio.all_tasks():');
        w.block(() => {
          w.line('if task is not asyncio.current_task():');
          w.block(() => w.line('task.cancel()'));
        });
        return;
      case 'quit': {
        const what = inv.spec.name === 'quit' ? 'quit: silence, cancel every task (this one too) and end' : 'panic: silence at once and cancel every task';
        w.line(`notes.clear()  # ${what}`);
        w.line('for task in asyncio.all_tasks():');
        w.block(() => w.line('task.cancel()'));
        if (inv.spec.name === 'quit') w.line('return');
        return;
      }
      case 'block':
        w.line(`time.sleep(${this.duration(args)})  # blocks the event loop's thread: nothing else runs`);
        return;
      case 'offload':
        w.line(`await loop.run_in_executor(None, time.sleep, ${this.duration(args)})  # in a worker thread`);
        return;
      case 'fail':
        w.line(`raise RuntimeError(${pyString(args as string)})`);
        return;
      case 'def':
        return;
      case 'amp':
      case 'env':
      case 'synth':
        this.unfaithful(inv, scope, `${inv.spec.name} shapes corotone's sound only; the program plays plain tones (the compared note events carry no levels)`);
        return;
      default:
        this.unfaithful(inv, scope, `${inv.spec.name} is corotone's own; it has no asyncio form`);
    }
  }

  /** Written as a marked comment, and said on stderr. */
  private unfaithful(inv: Invocation, scope: Scope, why: string): void {
    scope.w.line(pyComment(`# NOT EXPORTED (corotone: ${inv.text}): ${why}`));
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `not exported: "${inv.text}": ${why}; written as a comment` });
  }

  private spawn(body: Invocation, scope: Scope): void {
    const w = scope.w;
    if (scope.main) {
      const name = `t${this.nextTask++}`;
      this.mainTasks.add(name);
      if (scope.outside) {
        // A hoisted part of main(): the name is main()'s, so a global both share.
        w.line(`global ${name}`);
        this.usedInPhrases.add(name);
      }
      const coro = this.coroutine(body, scope, `${name}_body`);
      w.line(`${name} = asyncio.create_task(${coro})`);
      // corotone starts the next line as a task of its own, so the new task's first step comes first.
      if (scope.ownTask) w.line(`await asyncio.sleep(0)  # ${name} starts before the next line`);
    } else {
      w.line(`asyncio.create_task(${this.coroutine(body, scope)})`);
    }
  }

  private taskGroup(parts: Invocation[], scope: Scope): void {
    const w = scope.w;
    const coros = parts.map((part) => this.coroutine(part, scope));
    w.line('async with asyncio.TaskGroup() as tg:');
    w.block(() => {
      for (const coro of coros) w.line(`tg.create_task(${coro})`);
    });
  }

  private race(parts: Invocation[], scope: Scope): void {
    const w = scope.w;
    const racers = parts.map((part) => `asyncio.create_task(${this.coroutine(part, scope)}, name=${pyString(part.text)})`);
    w.line(`racers = [${racers.join(', ')}]`);
    w.line('done, pending = await asyncio.wait(racers, return_when=asyncio.FIRST_COMPLETED)');
    w.line('for task in pending:');
    w.block(() => w.line('task.cancel()'));
    w.line('if pending:');
    w.block(() => w.line('await asyncio.wait(pending)  # their cleanup runs: their notes stop'));
    w.line('winner = next(task for task in racers if task in done)');
    w.line('print("race: first to finish:", winner.get_name(), file=sys.stderr)');
    w.line('winner.result()  # the winner\'s exception, if it failed');
  }

  private loop(inv: Invocation, body: Invocation, scope: Scope): void {
    const w = scope.w;
    const inner = { ...scope, main: false };
    if (this.waits(body)) {
      w.line('while True:');
      w.block(() => this.body(body, inner));
      return;
    }
    // corotone fails such a loop after one pass; in Python it would hold the event loop forever.
    w.line('# A pass of this loop never waits, so "while True" would hold the event loop forever:');
    w.line('# corotone runs one pass and fails instead, and so does this.');
    this.body(body, inner);
    const message = `loop never waits: one pass of "${body.text}" took no time, so the loop would hold the scheduler forever`;
    w.line(`raise RuntimeError(${pyString(message)})`);
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `"${inv.text}" never waits: written as one pass and an error, as corotone runs it` });
  }

  private cancel(inv: Invocation, ref: string, scope: Scope): void {
    const name = ref.toLowerCase();
    if (this.mainTasks.has(name)) {
      scope.w.line(`${name}.cancel()`);
      if (!scope.ownTask || scope.outside) this.usedInPhrases.add(name);
      return;
    }
    this.unfaithful(inv, scope, /^\d+$/.test(ref) ? 'a task id is corotone\'s own numbering' : `no task named ${ref} was started before this line`);
  }

  // ---- expressions ---------------------------------------------------------

  private phraseCall(inv: Invocation, phrase: Phrase): string {
    const values = Array.isArray(inv.args) ? (inv.args as unknown[]) : [];
    return `${phrase.callName}(${values.map((v) => this.value(v)).join(', ')})`;
  }

  /** A phrase's parameter as a Python name. */
  private param(name: string): string {
    return TAKEN_PARAMS.has(name) || isTaken(name) ? `${name}_` : name;
  }

  private cue(name: string): string {
    let py = this.cues.get(name);
    if (py === undefined) {
      py = this.names.claim(`cue_${name}`);
      this.cues.set(name, py);
    }
    return py;
  }

  private live({ name, body }: { name: string; body: Invocation }, scope: Scope): void {
    this.usesLive = true;
    const call = this.call(body);
    const fn = call !== null ? `lambda: ${call}` : this.coroutine(body, scope, this.names.claim(`${name}_pass`)).replace(/\(\)$/, '');
    scope.w.line(`await live(${pyString(name.toLowerCase())}, ${fn})`);
    if (!this.waits(body)) {
      this.warnings.push({ ...body.pos, endCol: body.endCol, message: `live ${name}: "${body.text}" may never wait; on the virtual clock (--events) the loop fails after such a pass, as corotone's does, but played live it would hold the event loop` });
    }
  }

  /** Options of a note (amp=, env=, synth=) shape the sound only: the Python plays plain tones. */
  private options(inv: Invocation, options: object | undefined): void {
    if (options === undefined || Object.keys(options).length === 0) return;
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `not exported: the note options of "${inv.text}" (amp=, env=, synth=) shape corotone's sound only; the Python plays plain tones` });
  }

  /** A note argument: a number, or the Python for its expression (rounded to a whole note, as corotone does, if rand is in it). */
  private note(value: unknown): string {
    if (typeof value === 'number') return String(value);
    if (!(value instanceof Deferred)) return String(value);
    const py = this.deferred(value, 'note');
    return hasRand(value.expr) ? `math.floor(${py} + 0.5)` : py;
  }

  /** A phrase's argument (a note or a count of beats). */
  private value(value: unknown): string {
    if (typeof value === 'number') return pyUnits(value);
    if (value instanceof Deferred) return this.deferred(value, 'value');
    return String(value);
  }

  /** A duration: seconds; beats are seconds at bpm 60, and beats(N) once the script sets a tempo. */
  private duration(value: unknown): string {
    if (typeof value === 'number') return this.usesBpm ? `beats(${pySeconds(value)})` : pySeconds(value);
    if (!(value instanceof Deferred)) return String(value);
    if (isAbsolute(value.expr)) return this.deferred(value, 'seconds');
    const beats = this.deferred(value, 'value');
    return this.usesBpm ? `beats(${beats})` : beats;
  }

  /** The Python of a word's expression (a choose whose options draw chance too is said to differ). */
  private deferred(d: Deferred, kind: 'note' | 'value' | 'seconds'): string {
    if (nestedChance(d.expr)) {
      this.warnings.push({
        ...d.at,
        message: `not faithful: "${d.text}": Python evaluates every option of choose(...), so it draws the chance of each; corotone draws only the chosen one's, so the seeded sequence differs from here on`,
      });
    }
    return this.expr(d.expr, kind);
  }

  private expr(e: Expr, kind: 'note' | 'value' | 'seconds'): string {
    switch (e.kind) {
      case 'number':
        return kind === 'note' ? String(Math.round(e.units / UNITS)) : pyUnits(e.units);
      case 'note':
        return String(e.units / UNITS);
      case 'absolute':
        return pySeconds(e.ns);
      case 'param':
        return this.param(e.name);
      case 'const':
        return e.value.unit === 'ns' ? pySeconds(e.value.amount) : pyUnits(e.value.amount);
      case 'sum':
        return `${this.expr(e.left, kind)} ${e.sign === 1 ? '+' : '-'} ${this.expr(e.right, kind)}`;
      case 'choose':
        this.usesChance = true;
        return `choose(${e.options.map((o) => this.expr(o, kind)).join(', ')})`;
      case 'tick':
        return `tick(${++this.ticks}, ${e.options.map((o) => this.expr(o, kind)).join(', ')})`;
      case 'rand':
        this.usesChance = true;
        return `rand(${this.expr(e.low, kind)}, ${this.expr(e.high, kind)})`;
    }
  }

  /** The coroutine call of a command that is one await: chord, beep, wait, a phrase. */
  private call(inv: Invocation): string | null {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.phraseCall(inv, phrase);
    switch (inv.spec.name) {
      case 'chord': {
        const { ns, notes } = inv.args as { ns: unknown; notes: unknown[] };
        return `chord(${[this.duration(ns), ...notes.map((n) => this.note(n))].join(', ')})`;
      }
      case 'beep': {
        const { ns, notes } = inv.args as { ns: unknown; notes: unknown[] };
        // corotone draws the duration's chance before the note's: keywords keep that order.
        if (drawsChance(ns) && drawsChance(notes[0])) return `beep(seconds=${this.duration(ns)}, key=${this.note(notes[0])})`;
        return `beep(${this.note(notes[0])}, ${this.duration(ns)})`;
      }
      case 'wait':
        return `asyncio.sleep(${this.duration(inv.args)})`;
      case 'sync':
        return `${this.cue(inv.args as string)}.wait()`;
      case 'offload':
        // A coroutine around run_in_executor: what a part or a task needs.
        return `asyncio.to_thread(time.sleep, ${this.duration(inv.args)})`;
      default:
        return null;
    }
  }

  /** A coroutine for `inv`: its call, or a nested `async def` written just before. */
  private coroutine(inv: Invocation, scope: Scope, name?: string): string {
    const call = this.call(inv);
    if (call !== null) return call;
    const fn = name ?? `part_${++scope.parts.count}`;
    scope.w.line(`async def ${fn}():`);
    scope.w.block(() => this.body(inv, { ...scope, main: false, ownTask: false }));
    return `${fn}()`;
  }

  /** What asyncio.gather takes: a coroutine for each part, so each part is a task, as in corotone. */
  private awaitables(parts: Invocation[], scope: Scope): string[] {
    return parts.map((part) => this.coroutine(part, scope));
  }

  /** Functions that offload get the running loop first. */
  private withLoop(inv: Invocation, scope: Scope, write: () => void): void {
    if (this.uses(inv, 'offload')) scope.w.line('loop = asyncio.get_running_loop()');
    write();
  }

  // ---- what a command does, statically ----------------------------------

  private isSequence(inv: Invocation): boolean {
    return inv.spec.name === 'sequence' || inv.spec.name === 'eval';
  }

  private isGroup(inv: Invocation): boolean {
    return inv.spec.name === 'group' || (inv.spec.name === 'gather' && this.gatherIsGroup);
  }

  /** The commands a command runs inside it (not those of the phrases it calls). */
  private children(inv: Invocation): Invocation[] {
    const args = inv.args as never;
    switch (inv.spec.name) {
      case 'eval':
      case 'sequence':
      case 'gather':
      case 'group':
      case 'settle':
      case 'race':
        return args as Invocation[];
      case 'spawn':
      case 'loop':
        return [args as Invocation];
      case 'live':
        return [(args as { body: Invocation }).body];
      case 'timeout':
      case 'repeat':
        return [(args as { body: Invocation }).body];
      default:
        return [];
    }
  }

  /** Whether the command (or a phrase it calls) starts notes with add. */
  private addsNotes(inv: Invocation, depth = 0): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return depth < 64 && this.addsNotes(phrase.body, depth + 1);
    return inv.spec.name === 'add' || this.children(inv).some((c) => this.addsNotes(c, depth));
  }

  uses(inv: Invocation, name: string): boolean {
    return inv.spec.name === name || this.children(inv).some((c) => this.uses(c, name));
  }

  /** Whether the line's command can end in an exception (so main() must catch it and go on). */
  private canFail(inv: Invocation): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.canFail(phrase.body);
    switch (inv.spec.name) {
      case 'fail':
      case 'timeout':
        return true;
      case 'spawn':
      case 'settle':
        return false;
      case 'loop':
        return !this.waits(inv.args as Invocation) || this.canFail(inv.args as Invocation);
      default:
        return this.children(inv).some((c) => this.canFail(c));
    }
  }

  /** Whether the command surely lets time pass (a `loop` of it does not hold the event loop). */
  private waits(inv: Invocation): boolean {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return this.waits(phrase.body);
    const args = inv.args as never;
    if (WAITING.has(inv.spec.name)) {
      const ns = isDuration(args) ? args : (args as { ns: unknown }).ns;
      return positive(ns);
    }
    switch (inv.spec.name) {
      case 'race':
        return (args as Invocation[]).every((c) => this.waits(c));
      case 'repeat':
        return (args as { count: unknown }).count !== 0 && this.waits((args as { body: Invocation }).body);
      case 'timeout':
        return positive((args as { ns: unknown }).ns) && this.waits((args as { body: Invocation }).body);
      case 'spawn':
      case 'live':
        return false;
      case 'sync':
        return true;
      default:
        return this.children(inv).some((c) => this.waits(c));
    }
  }
}

const TAKEN_PARAMS = new Set(['bpm', 'chance', 'notes', 'loop', 'time', 'sys', 'asyncio', 'math']);

function isDuration(value: unknown): boolean {
  return typeof value === 'number' || value instanceof Deferred;
}

/** Whether a duration surely takes time (one known only when it runs is taken to). */
function positive(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (value instanceof Deferred) {
    const e = value.expr;
    if (e.kind === 'number') return e.units > 0;
    if (e.kind === 'absolute') return e.ns > 0;
    return true;
  }
  return false;
}

/** Whether evaluating the value draws from the source's chance (choose, rand). */
function drawsChance(value: unknown): boolean {
  return value instanceof Deferred && draws(value.expr);
}

function draws(e: Expr): boolean {
  switch (e.kind) {
    case 'choose':
    case 'rand':
      return true;
    case 'sum':
      return draws(e.left) || draws(e.right);
    case 'tick':
      return e.options.some(draws);
    default:
      return false;
  }
}

/** A choose (or tick) with an option that draws chance: evaluated eagerly in Python, lazily in corotone. */
function nestedChance(e: Expr): boolean {
  switch (e.kind) {
    case 'choose':
    case 'tick':
      return e.options.some(draws) || e.options.some(nestedChance);
    case 'sum':
      return nestedChance(e.left) || nestedChance(e.right);
    case 'rand':
      return nestedChance(e.low) || nestedChance(e.high);
    default:
      return false;
  }
}

function hasRand(e: Expr): boolean {
  switch (e.kind) {
    case 'rand':
      return true;
    case 'sum':
      return hasRand(e.left) || hasRand(e.right);
    case 'choose':
    case 'tick':
      return e.options.some(hasRand);
    default:
      return false;
  }
}

/** An absolute duration (250ms, 1.5s, and sums or choices of them). */
function isAbsolute(e: Expr): boolean {
  switch (e.kind) {
    case 'absolute':
      return true;
    case 'const':
      return e.value.unit === 'ns';
    case 'sum':
      return isAbsolute(e.left);
    case 'choose':
    case 'tick':
      return e.options.length > 0 && isAbsolute(e.options[0]);
    case 'rand':
      return isAbsolute(e.low);
    default:
      return false;
  }
}

/** A unitless amount in billionths as a Python number: 250_000_000 is 0.25. */
function pyUnits(units: number): string {
  return units < 0 ? `-${pySeconds(-units)}` : pySeconds(units);
}

/** The comment of a line (`# ...`, where the tokenizer stops), or null. */
function commentOf(raw: string): string | null {
  const tokens = tokenize(raw);
  const from = tokens.length > 0 ? tokens[tokens.length - 1].endCol - 1 : 0;
  const at = raw.indexOf('#', from);
  return at < 0 ? null : `#${pyComment(raw.slice(at + 1).trimEnd())}`;
}
