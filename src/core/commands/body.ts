import type { ArgReader } from '../language/args';
import { defineCommand, INVALID, type AnyCommand, type Invalid, type Invocation, type ParseContext } from '../language/command';
import { runInvocation } from '../language/interpreter';
import type { Token } from '../language/tokens';
import { join } from '../scheduler/ops';
import { sequencePython } from './body.python';

/**
 * How commands that take commands read them:
 * - a body (spawn, repeat, loop, timeout, def) is everything after it, to the
 *   end of the line or of its `|` part; `;` in it makes a sequence, as in eval
 *   (`loop beep 60; wait 1` loops both);
 * - gather, settle and race split at `|`, and each part may be a sequence
 *   (`gather beep 60; beep 62 | chord 1 67`);
 * - a body that begins with a command that takes commands is all that
 *   command's: `spawn loop beep 60; wait 1` spawns the loop of both, and in
 *   `loop gather A | B; C` the gather's parts are `A` and `B; C`. (`eval`
 *   always splits at `;`: `loop eval gather A | B; C` loops the gather, then C.)
 */

/** The commands that are phrases defined with `def` (calling one is awaiting a coroutine). */
export const phrases = new WeakSet<AnyCommand>();

/**
 * The sequence of a body with `;`: its parts run one after another in the task
 * that holds it, as the statements of a coroutine do (so `add 76; block 0.1;
 * remove 76` is one step that nothing can come between). A part that calls a
 * phrase runs in a child task and is waited for, as `await phrase()` does, so
 * the await chain shows in the timeline as tasks inside tasks.
 */
export const sequence = defineCommand<Invocation[]>({
  name: 'sequence',
  usage: 'A; B; C',
  summary: 'the ;-separated commands, one after another',
  python: sequencePython,
  parse() {
    return [];
  },
  *run(parts, ctx) {
    let result: unknown;
    for (const part of parts) {
      result = phrases.has(part.spec) ? yield* join(ctx.spawn(part)) : yield* runInvocation(part, ctx);
    }
    return result;
  },
});

/** The words between separators `sep` (empty parts kept, with the separator after each). */
export function splitAt(tokens: readonly Token[], sep: string): { words: Token[]; after: Token | undefined }[] {
  const parts: { words: Token[]; after: Token | undefined }[] = [];
  let words: Token[] = [];
  for (const token of tokens) {
    if (token.text === sep) {
      parts.push({ words, after: token });
      words = [];
    } else words.push(token);
  }
  parts.push({ words, after: undefined });
  return parts;
}

/** The text of the line from the first token to the last. */
export function textOf(ctx: ParseContext, tokens: readonly Token[]): string {
  return ctx.text.slice(tokens[0].col - 1, tokens[tokens.length - 1].endCol - 1);
}

/** A body: one command, or a `;`-separated sequence of them. Null if it had errors (reported) or is empty (reported as missing). */
export function parseBody(tokens: Token[], r: ArgReader, ctx: ParseContext, expected = 'a command'): Invocation | null {
  const head = tokens.length > 0 ? ctx.table.get(tokens[0].text) : undefined;
  if (head?.sequence === true) return ctx.parseCommand(tokens);
  const parts = splitAt(tokens, ';').filter((p) => p.words.length > 0);
  if (parts.length === 0) {
    r.missing(expected);
    return null;
  }
  if (parts.length === 1) return ctx.parseCommand(parts[0].words);
  const invocations: Invocation[] = [];
  let failed = false;
  for (const part of parts) {
    const invocation = ctx.parseCommand(part.words);
    if (invocation === null) failed = true;
    else invocations.push(invocation);
  }
  if (failed) return null;
  // Parts are not empty: their first and last words are the sequence's.
  const first = parts[0].words[0];
  const lastWords = parts[parts.length - 1].words;
  const last = lastWords[lastWords.length - 1];
  return {
    spec: sequence,
    args: invocations,
    text: textOf(ctx, [first, last]),
    pos: { source: ctx.source, line: ctx.line, col: first.col },
    endCol: last.endCol,
  };
}

/** `A | B | C`: at least one part, none empty. INVALID if anything had errors (all reported). */
export function parseParts(r: ArgReader, ctx: ParseContext): Invocation[] | Invalid {
  const tokens = r.rest();
  if (tokens.length === 0) {
    r.missing('commands separated by "|"');
    return INVALID;
  }
  const invocations: Invocation[] = [];
  let failed = false;
  let before: Token | undefined;
  for (const { words, after } of splitAt(tokens, '|')) {
    if (words.length === 0) {
      // Empty before a `|`, or after the last one (`before`: there is a `|`, since the line is not empty).
      const bar = after ?? before;
      if (after !== undefined) {
        r.error(after, { message: 'expected a command before "|", found "|"', found: '|', expected: 'a command' });
      } else if (bar !== undefined) {
        r.error(bar, { message: 'expected a command after "|", found end of line', found: 'end of line', expected: 'a command' });
      }
      failed = true;
    } else {
      const invocation = parseBody(words, r, ctx);
      if (invocation === null) failed = true;
      else invocations.push(invocation);
    }
    before = after;
  }
  return failed ? INVALID : invocations;
}
