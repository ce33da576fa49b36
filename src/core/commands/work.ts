import { defineCommand } from '../language/command';
import { quote } from '../language/diagnostics';
import { NS_PER_SECOND } from '../time';
import { await_ } from '../scheduler/ops';
import { MAX_BLOCK_SECONDS } from '../scheduler/limits';
import type { Co } from '../scheduler/task';
import { noteBlocked } from './repeat';
import { blockPython, offloadPython } from './work.python';

// Work that takes time without waiting (block: a blocking call in a coroutine),
// and the same work sent to a worker thread (offload: run_in_executor).

// The longest `block` is the scheduler's limit; a longer one is refused when the line is read, too.
export { MAX_BLOCK_SECONDS };

export const block = defineCommand({
  name: 'block',
  python: blockPython,
  usage: 'block S',
  example: 'block 0.2',
  summary: `hold the scheduler busy for S seconds (at most ${MAX_BLOCK_SECONDS}), as a blocking call does: everything else is late`,
  parse(r) {
    const word = r.peek();
    const ns = r.seconds();
    if (word !== undefined && ns > MAX_BLOCK_SECONDS * NS_PER_SECOND) {
      r.error(word, {
        message: `block too long: expected at most ${MAX_BLOCK_SECONDS} seconds, found ${quote(word.text)}`,
        found: word.text,
        expected: `at most ${MAX_BLOCK_SECONDS} seconds`,
        hint: `a block holds everything else up: keep it under ${MAX_BLOCK_SECONDS} s, or use "offload ${word.text}" to do the work without holding the scheduler`,
      });
    }
    r.end();
    return ns;
  },
  *run(ns, ctx): Co {
    // Holding the thread moves logical time on (on the real clock by what the clock moved meanwhile); the loops around us must not count it as waiting.
    const before = ctx.scheduler.nowNanos;
    yield { kind: 'block', ns };
    noteBlocked(ctx, ctx.scheduler.nowNanos - before);
  },
});

export const offload = defineCommand({
  name: 'offload',
  python: offloadPython,
  usage: 'offload S',
  example: 'offload 0.5',
  summary: 'do S seconds of work in a worker thread and wait for it (run_in_executor): nothing is late',
  parse(r) {
    const ns = r.seconds();
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
