import { await_, type Co } from '../../scheduler/ops';
import { defineCommand, type AnyCommand, type Invocation } from '../command';
import { quote } from '../diagnostics';
import { parseBody, phrases } from './parts';
import { noteBlocked } from './tasks';

// Work that takes time without waiting (block: a blocking call in a coroutine),
// the same work sent to a worker thread (offload: run_in_executor), and named
// phrases (def).

export const block = defineCommand({
  name: 'block',
  usage: 'block S',
  summary: 'hold the scheduler busy for S seconds, as a blocking call does: everything else is late',
  parse(r) {
    const ns = r.duration();
    r.end();
    return ns;
  },
  *run(ns, ctx): Co {
    // On the virtual clock holding the thread moves logical time on; the loops around us must not count it as waiting.
    if (!ctx.scheduler.isReal) noteBlocked(ctx.scheduler.current, ns);
    yield { kind: 'block', ns };
  },
});

export const offload = defineCommand({
  name: 'offload',
  usage: 'offload S',
  summary: 'do S seconds of work in a worker thread and wait for it (run_in_executor): nothing is late',
  parse(r) {
    const ns = r.duration();
    r.end();
    return ns;
  },
  *run(ns, ctx, invocation): Co {
    const done = ctx.scheduler.future<void>(`worker: ${invocation.text}`);
    // Resolved when a worker of the pool takes the job; until then the timeline shows the task waiting for one.
    const started = ctx.scheduler.future<void>(`waiting for a worker: ${invocation.text}`);
    const abandon = ctx.executor.run({ ns, label: `worker: ${invocation.text}` }, done, started);
    try {
      if (!started.settled) yield* await_(started);
      yield* await_(done);
    } finally {
      // Cancelled while the worker works: it is told to stop (its answer would go nowhere).
      if (!done.settled) abandon();
    }
  },
});

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
