import { withParameters } from '../language/args';
import { commandError, defineCommand, INVALID, runningTask, type AnyCommand, type Invocation, type RunContext } from '../language/command';
import { bindArgs } from '../language/deferred';
import { quote } from '../language/diagnostics';
import { runInvocation } from '../language/interpreter';
import type { Token } from '../language/tokens';
import type { Value } from '../language/values';
import type { Task } from '../scheduler/task';
import { defineSessionSlice } from '../session/state';
import { parseBody, phrases } from './body';

// Named phrases: `def NAME CMD; CMD`, `def NAME P1 P2: CMD; CMD`, and the command each one becomes.

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How deep phrases may call phrases (a calls b calls a ...): past it the call fails, located. */
export const MAX_PHRASE_DEPTH = 64;

interface PhraseShape {
  params: readonly string[];
  body: Invocation;
}

/**
 * The phrases of a session, each source's apart (by `SOURCE/name`, as task
 * names are): the newest definition of each that has run (a `def` line reaches
 * running loops when it runs), the tasks playing each (what a redefinition
 * reaches), and the phrase calls running in each task (the depth is the sum
 * along the task's ancestors).
 */
const phrasesState = defineSessionSlice('phrases', () => ({
  current: new Map<string, PhraseShape>(),
  players: new Map<string, Set<Task<unknown>>>(),
  calls: new Map<Task<unknown>, number>(),
}));

/** A phrase's key in the session: the source that defined it and its name. */
function phraseKey(source: string, name: string): string {
  return `${source}/${name.toLowerCase()}`;
}

/**
 * Remember who plays the phrase: the background task or line the call runs in
 * (a loop's task), for as long as it lives.
 */
function notePlayer(players: Map<string, Set<Task<unknown>>>, key: string, task: Task<unknown>): void {
  let player: Task<unknown> | null = task;
  while (player !== null && player.kind !== 'spawned' && player.kind !== 'line') player = player.parent;
  if (player === null || player.ended) return;
  let set = players.get(key);
  if (set === undefined) players.set(key, (set = new Set()));
  if (set.has(player)) return;
  set.add(player);
  const who = player;
  player.onEnd(() => {
    set.delete(who);
    if (set.size === 0 && players.get(key) === set) players.delete(key);
  });
}

/** Whether a task that still plays on (not the one running the def, nor what it runs in) plays the phrase. */
function playedOn(players: ReadonlyMap<string, Set<Task<unknown>>>, key: string, self: Task<unknown> | null): boolean {
  const set = players.get(key);
  if (set === undefined) return false;
  const mine = new Set<Task<unknown>>();
  for (let t = self; t !== null; t = t.parent) mine.add(t);
  for (const task of set) if (!task.ended && !task.cancelRequested && !mine.has(task)) return true;
  return false;
}

function depthOf(calls: ReadonlyMap<Task<unknown>, number>, task: Task<unknown>): number {
  let depth = 0;
  for (let t: Task<unknown> | null = task; t !== null; t = t.parent) depth += calls.get(t) ?? 0;
  return depth;
}

/** A phrase defined with `def`: running it runs the newest body of its name, its parameters bound to the call's values. */
function phrase(name: string, own: PhraseShape, line: number, source: string): AnyCommand {
  const { params, body } = own;
  const key = phraseKey(source, name);
  const usage = [name, ...params].join(' ');
  const spec = defineCommand<unknown[]>({
    name,
    usage,
    summary: `(def, line ${line}) ${body.text}`,
    parse(r) {
      const values: unknown[] = [];
      for (const p of params) values.push(r.value(`${p}, the ${ordinal(values.length + 1)} value of ${name} (usage: ${usage})`));
      r.end();
      return r.failed ? INVALID : values;
    },
    *run(values, ctx, invocation) {
      // A `def` since this call was read reaches it here: the newest body of the name plays.
      const { current, calls, players } = phrasesState.of(ctx);
      const shape = current.get(key) ?? own;
      if (shape.params.length !== values.length) {
        throw commandError(invocation, {
          message: `${name} now takes ${shape.params.length} value${shape.params.length === 1 ? '' : 's'} (${shape.params.join(' ') || 'none'}), this call gives ${values.length}`,
          hint: `it was redefined: call it as "${[name, ...shape.params].join(' ')}"`,
        });
      }
      const task = runningTask(ctx);
      if (depthOf(calls, task) >= MAX_PHRASE_DEPTH) {
        throw commandError(invocation, {
          message: `phrases call each other too deeply: more than ${MAX_PHRASE_DEPTH} calls inside one another (${name} ends up calling itself?)`,
          hint: 'to play a phrase again and again, use "loop" or "live"',
        });
      }
      notePlayer(players, key, task);
      const bound = bind(shape, values as Value[]);
      calls.set(task, (calls.get(task) ?? 0) + 1);
      try {
        return yield* runInvocation(bound, ctx as RunContext);
      } finally {
        const left = (calls.get(task) ?? 1) - 1;
        if (left > 0) calls.set(task, left);
        else calls.delete(task);
      }
    },
  });
  phrases.add(spec);
  return spec;
}

function bind(shape: PhraseShape, values: Value[]): Invocation {
  if (shape.params.length === 0) return shape.body;
  return bindArgs(shape.body, new Map(shape.params.map((p, i) => [p, values[i]]))) as Invocation;
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

/** The words before the one that ends with `:` are parameters (`def arp ROOT: ...`); none without a colon. */
function splitHead(rest: Token[]): { params: Token[]; body: Token[] } | null {
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i].text;
    if (word === ';') return null;
    if (word.endsWith(':')) {
      const params = rest.slice(0, i);
      const last = word.slice(0, -1);
      if (last !== '') params.push({ text: last, col: rest[i].col, endCol: rest[i].endCol - 1 });
      return { params, body: rest.slice(i + 1) };
    }
  }
  return null;
}

export const def = defineCommand({
  name: 'def',
  // --to-python writes a phrase as an `async def` of its own at the top of the program.
  python: { definesPhrase: true },
  usage: 'def NAME CMD; CMD; ...',
  example: 'def riff beep C5 0.2; beep G5 0.2',
  summary: 'name a phrase of this source, run by NAME after this line (another source: SOURCE/NAME). With parameters before ":": def arp ROOT: beep ROOT 0.25, run as arp C5',
  sequence: true,
  parse(r, ctx) {
    const first = r.word('a name for the phrase');
    let rest = r.rest();
    if (first === undefined) return null;
    let word = first;
    let params: Token[] = [];
    if (first.text.endsWith(':') && first.text.length > 1) {
      word = { text: first.text.slice(0, -1), col: first.col, endCol: first.endCol - 1 };
    } else {
      const head = splitHead(rest);
      if (head !== null) {
        params = head.params;
        rest = head.body;
      }
    }
    let bad = false;
    if (!NAME.test(word.text)) {
      r.error(word, {
        message: `bad phrase name ${quote(word.text)}: expected letters, digits, _ or -, starting with a letter`,
        found: word.text,
        expected: 'a name like riff or bass-line',
      });
      bad = true;
    } else if (ctx.table.isBuiltin(word.text)) {
      r.error(word, {
        message: `${quote(word.text)} is a built-in command: a def may not shadow it`,
        found: word.text,
        expected: 'a name that is not a command',
        hint: `choose another name, like "my-${word.text.toLowerCase()}"`,
      });
      bad = true;
    }
    const seen = new Set<string>();
    for (const p of params) {
      if (!PARAM.test(p.text) || seen.has(p.text)) {
        r.error(p, {
          message: seen.has(p.text) ? `parameter ${quote(p.text)} is named twice` : `bad parameter name ${quote(p.text)}: expected letters, digits or _, starting with a letter`,
          found: p.text,
          expected: 'a parameter name like ROOT or LEN',
          hint: 'parameters go between the name and the ":": def arp ROOT: beep ROOT 0.25',
        });
      }
      seen.add(p.text);
    }
    const name = word.text;
    const previous = bad ? undefined : ctx.table.get(name);
    // While its body is read, the name is a phrase that refuses to be called: a phrase may not call itself.
    if (!bad) ctx.table.define(selfCall(name));
    const body = withParameters(
      params.map((p) => p.text),
      () => parseBody(rest, r, ctx, 'the commands of the phrase'),
    );
    if (bad) return null;
    // Defined as it is read, so the lines after it (and only those) may use it.
    if (body !== null && !r.failed) {
      const shape: PhraseShape = { params: params.map((p) => p.text), body };
      ctx.table.define(phrase(name, shape, ctx.line, ctx.source));
      return { shape, name };
    }
    if (previous !== undefined) ctx.table.define(previous);
    else ctx.table.undefine(name);
    return null;
  },
  *run(args, ctx) {
    // The lines after it could use the name as soon as it was read; running it, it reaches the loops already playing the name.
    if (args === null) return;
    const { current, players } = phrasesState.of(ctx);
    const key = phraseKey(ctx.source, args.name);
    current.set(key, args.shape);
    // Said only where it changes what plays: a loop still playing the phrase takes the new body.
    if (playedOn(players, key, ctx.scheduler.current)) ctx.output(`redefined ${args.name}: loops that play it take the new one at their next pass`);
  },
});

function selfCall(name: string): AnyCommand {
  return defineCommand({
    name,
    usage: name,
    summary: 'a phrase being defined',
    parse(r) {
      r.rest();
      r.error(r.commandWord, {
        message: `a phrase may not call itself: ${quote(name)} is being defined here`,
        found: name,
        expected: 'a command or an earlier phrase',
        hint: `to play ${name} again and again, use "loop ${name}" or "live NAME ${name}" after the def`,
      });
      return INVALID;
    },
    *run() {},
  });
}
