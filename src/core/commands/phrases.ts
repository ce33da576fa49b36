import { defineCommand, type AnyCommand, type Invocation } from '../language/command';
import { quote } from '../language/diagnostics';
import { parseBody, phrases } from './body';

// Named phrases: `def NAME CMD; CMD`, and the command each one becomes.

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A phrase defined with `def`: running it runs its body (which keeps the def line's positions). */
function phrase(name: string, body: Invocation, line: number): AnyCommand {
  const spec = defineCommand<null>({
    name,
    usage: name,
    summary: `(def, line ${line}) ${body.text}`,
    parse(r) {
      r.end();
      return null;
    },
    *run(_args, ctx) {
      return yield* body.spec.run(body.args, ctx, body);
    },
  });
  phrases.add(spec);
  return spec;
}

export const def = defineCommand({
  name: 'def',
  usage: 'def NAME CMD; CMD; ...',
  example: 'def riff beep C5 0.2; beep G5 0.2',
  summary: 'name a phrase; lines after this one can run it by NAME',
  sequence: true,
  parse(r, ctx) {
    const word = r.word('a name for the phrase');
    const rest = r.rest();
    if (word === undefined) return null;
    if (!NAME.test(word.text)) {
      r.error(word, {
        message: `bad phrase name ${quote(word.text)}: expected letters, digits, _ or -, starting with a letter`,
        found: word.text,
        expected: 'a name like riff or bass-line',
      });
    } else if (ctx.table.isBuiltin(word.text)) {
      r.error(word, {
        message: `${quote(word.text)} is a built-in command: a def may not shadow it`,
        found: word.text,
        expected: 'a name that is not a command',
        hint: `choose another name, like "my-${word.text.toLowerCase()}"`,
      });
    }
    const body = parseBody(rest, r, ctx, 'the commands of the phrase');
    // Defined as it is read, so the lines after it (and only those) may use it.
    if (body !== null && !r.failed) ctx.table.define(phrase(word.text, body, ctx.line));
    return null;
  },
  *run() {
    // Everything happened when the line was read.
  },
});
