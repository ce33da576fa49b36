import { builtinCommands } from '../commands';
import type { CommandTable, Invocation } from '../language/command';
import { phrases } from '../commands/body';
import { parseLine, parseLineItem, type ParsedLine } from '../language/parser';
import { tokenize } from '../language/tokens';
import { splitText } from '../lines/text';
import type { Diagnostic } from '../session/api';
import { PythonWriter, isStatement, pySeconds, pyString } from './code';
import { MACHINE } from './machine';
import { PythonNames } from './names';

/** A script as a Python asyncio program, and what could not be carried over faithfully. */
export interface PythonExport {
  code: string;
  /** Located notes (`source:line:col`) on what was written as a marked comment instead of code. */
  warnings: Diagnostic[];
}

interface Phrase {
  python: string;
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
}

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
  private nextTask = 1;
  /** `gather` means asyncio.TaskGroup until the language has `group` for that. */
  private readonly gatherIsGroup: boolean;

  constructor(
    private readonly source: string,
    private readonly table: CommandTable,
  ) {
    this.gatherIsGroup = table.get('group') === undefined;
  }

  translate(text: string): PythonExport {
    const module = new PythonWriter();
    const main = new PythonWriter();
    let pending: string[] = [];
    let header: string[] | null = null;
    const mainScope: Scope = { w: main, main: true, ownTask: true, parts: { count: 0 } };
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
        module.line(`async def ${phrase.python}():`);
        const scope: Scope = { w: module, main: false, ownTask: false, parts: { count: 0 } };
        module.block(() => this.withLoop(phrase.body, scope, () => this.body(phrase.body, scope)));
        if (comment !== null) module.comment(at, comment);
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
    out.line(`"""${file.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}, as Python asyncio (written by corotone --to-python).`);
    out.line('');
    out.line(`Play it:      python3 ${stem}.py | play -q -t raw -r 8000 -c 1 -b 8 -e unsigned --buffer 256 -`);
    out.line(`Its events:   python3 ${stem}.py --events   (the JSON lines of corotone --events)`);
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
      out.line('notes.update(keys)');
      out.line('try:');
      out.block(() => out.line('await asyncio.sleep(seconds)'));
      out.line('finally:');
      out.block(() => out.line('notes.difference_update(keys)'));
    });
    out.line('');
    out.line('');
    out.line('async def beep(key, seconds=0.5):');
    out.block(() => out.line('await chord(seconds, key)'));
    if (phrases.size > 0) out.lines.push('', '');
    out.lines.push(...phrases.lines);
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

  private globals(): string[] {
    return [...this.usedInPhrases].filter((name) => this.mainTasks.has(name));
  }

  /** A def line: its phrase (the table now knows it) with the body it runs, read again from the line. */
  private definePhrase(raw: string, parsed: Extract<ParsedLine, { kind: 'command' }>): Phrase | null {
    const tokens = tokenize(raw);
    const nameToken = tokens[1];
    const spec = this.table.get(nameToken.text);
    if (spec === undefined || !phrases.has(spec)) return null;
    // The body, at its own columns: the words after the name, parsed as the def's parser did.
    const rest = tokens.slice(2);
    const head = this.table.get(rest[0]?.text ?? '');
    const blank = (upTo: number, prefix: string) => prefix + ' '.repeat(upTo - prefix.length) + raw.slice(upTo);
    let body: Invocation | null = null;
    if (head?.sequence === true) {
      const again = parseLine(blank(rest[0].col - 1, ''), this.source, parsed.line, this.table);
      body = again.kind === 'command' ? again.invocation : null;
    } else {
      const again = parseLine(blank(rest[0].col - 1, 'eval'), this.source, parsed.line, this.table);
      if (again.kind === 'command') {
        const parts = again.invocation.args as Invocation[];
        body = parts.length === 1 ? parts[0] : { ...again.invocation, spec: this.sequenceSpec(), args: parts };
      }
    }
    if (body === null) return null;
    const phrase: Phrase = { python: this.names.claim(nameToken.text), body };
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
      w.line(`# corotone cannot read this line, so it does not run: ${parsed.text}`);
      for (const d of parsed.diagnostics) {
        w.line(`#   ${d.message}`);
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
    w.line('try:');
    w.block(() => this.statement(inv, scope));
    if (group) {
      w.line('except* Exception as errors:');
      w.block(() => w.line('print("error:", *errors.exceptions, file=sys.stderr)'));
    } else {
      w.line('except Exception as error:');
      w.block(() => w.line('print("error:", repr(error), file=sys.stderr)'));
    }
  }

  /** The statements of a body: a sequence's parts one after another, or the one command. */
  private body(inv: Invocation, scope: Scope): void {
    if (this.isSequence(inv)) for (const part of inv.args as Invocation[]) this.statement(part, scope, true);
    else this.statement(inv, scope);
  }

  /** `step`: a `;`-part of a sequence, where corotone runs a phrase call as a task inside the caller's. */
  private statement(inv: Invocation, scope: Scope, step = false): void {
    const w = scope.w;
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) {
      w.line(step ? `await asyncio.create_task(${phrase.python}())` : `await ${phrase.python}()`);
      return;
    }
    const args = inv.args as never;
    switch (inv.spec.name) {
      case 'add':
        w.line(`notes.add(${(args as { note: number }).note})`);
        return;
      case 'remove':
        w.line(`notes.discard(${args as number})`);
        return;
      case 'chord':
      case 'beep':
      case 'wait': {
        // Notes written by name keep their names beside the numbers.
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
        w.line(`async with asyncio.timeout(${pySeconds(ns)}):`);
        w.block(() => this.body(body, scope));
        return;
      }
      case 'repeat': {
        const { count, body } = args as { count: number; body: Invocation };
        w.line(`for _ in range(${count}):`);
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
      case 'quit': {
        const what = inv.spec.name === 'quit' ? 'quit: silence, cancel every task (this one too) and end' : 'panic: silence at once and cancel every task';
        w.line(`notes.clear()  # ${what}`);
        w.line('for task in asyncio.all_tasks():');
        w.block(() => w.line('task.cancel()'));
        if (inv.spec.name === 'quit') w.line('return');
        return;
      }
      case 'block':
        w.line(`time.sleep(${pySeconds(args as number)})  # blocks the event loop's thread: nothing else runs`);
        return;
      case 'offload':
        w.line(`await loop.run_in_executor(None, time.sleep, ${pySeconds(args as number)})  # in a worker thread`);
        return;
      case 'fail':
        w.line(`raise RuntimeError(${pyString(args as string)})`);
        return;
      case 'def':
        return;
      default:
        this.unfaithful(inv, scope, `${inv.spec.name} is corotone's own; it has no asyncio form`);
    }
  }

  /** Written as a marked comment, and said on stderr. */
  private unfaithful(inv: Invocation, scope: Scope, why: string): void {
    scope.w.line(`# NOT EXPORTED (corotone: ${inv.text}): ${why}`);
    this.warnings.push({ ...inv.pos, endCol: inv.endCol, message: `not exported: "${inv.text}": ${why}; written as a comment` });
  }

  private spawn(body: Invocation, scope: Scope): void {
    const w = scope.w;
    if (scope.main) {
      const name = `t${this.nextTask++}`;
      this.mainTasks.add(name);
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
      if (!scope.ownTask) this.usedInPhrases.add(name);
      return;
    }
    this.unfaithful(inv, scope, /^\d+$/.test(ref) ? 'a task id is corotone\'s own numbering' : `no task named ${ref} was started before this line`);
  }

  // ---- expressions ---------------------------------------------------------

  /** The coroutine call of a command that is one await: chord, beep, wait, a phrase. */
  private call(inv: Invocation): string | null {
    const phrase = this.phrases.get(inv.spec);
    if (phrase !== undefined) return `${phrase.python}()`;
    switch (inv.spec.name) {
      case 'chord': {
        const { ns, notes } = inv.args as { ns: number; notes: number[] };
        return `chord(${[pySeconds(ns), ...notes].join(', ')})`;
      }
      case 'beep': {
        const { ns, notes } = inv.args as { ns: number; notes: number[] };
        return `beep(${notes[0]}, ${pySeconds(ns)})`;
      }
      case 'wait':
        return `asyncio.sleep(${pySeconds(inv.args as number)})`;
      case 'offload':
        // A coroutine around run_in_executor: what a part or a task needs.
        return `asyncio.to_thread(time.sleep, ${pySeconds(inv.args as number)})`;
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
      case 'timeout':
      case 'repeat':
        return [(args as { body: Invocation }).body];
      default:
        return [];
    }
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
      const ns = typeof args === 'number' ? (args as number) : (args as { ns: number }).ns;
      return ns > 0;
    }
    switch (inv.spec.name) {
      case 'race':
        return (args as Invocation[]).every((c) => this.waits(c));
      case 'repeat':
        return (args as { count: number }).count > 0 && this.waits((args as { body: Invocation }).body);
      case 'timeout':
        return (args as { ns: number }).ns > 0 && this.waits((args as { body: Invocation }).body);
      case 'spawn':
        return false;
      default:
        return this.children(inv).some((c) => this.waits(c));
    }
  }
}

/** The comment of a line (`# ...`, where the tokenizer stops), or null. */
function commentOf(raw: string): string | null {
  const tokens = tokenize(raw);
  const from = tokens.length > 0 ? tokens[tokens.length - 1].endCol - 1 : 0;
  const at = raw.indexOf('#', from);
  return at < 0 ? null : `#${raw.slice(at + 1).trimEnd()}`;
}
