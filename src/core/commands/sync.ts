import { defineCommand, INVALID, runningTask, type RunContext } from '../language/command';
import { quote } from '../language/diagnostics';
import type { Future } from '../scheduler/future';
import { await_ } from '../scheduler/ops';
import { cuePython, syncPython } from './sync.python';
import { defineSessionSlice } from '../session/state';

// Sonic Pi's cue and sync, which are asyncio.Event: `cue NAME` sets it for
// whoever waits now (and clears it again), `sync NAME` waits for the next one.

interface Waiter {
  future: Future<void>;
  taskId: number;
}

/** Who waits for each cue name now, in this session (a name leaves when nobody waits for it). */
const syncState = defineSessionSlice('sync', () => ({ waiters: new Map<string, Set<Waiter>>() }));

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function readName(r: Parameters<typeof cue.parse>[0], what: string): string | typeof INVALID {
  const word = r.word(`the name of ${what}, like beat or drop`);
  r.end();
  if (word === undefined) return INVALID;
  if (!NAME.test(word.text)) {
    r.error(word, {
      message: `bad cue name ${quote(word.text)}: expected letters, digits, _ or -, starting with a letter`,
      found: word.text,
      expected: 'a name like beat or drop',
    });
    return INVALID;
  }
  return word.text.toLowerCase();
}

/**
 * `cue NAME` (a name in lowercase): wake every sync NAME waiting now; how many.
 * A live loop cues its name so at each pass, stated as a fact only when it woke a sync.
 */
export function cueNow(ctx: RunContext, name: string, quietIfNone = false): number {
  const { waiters } = syncState.of(ctx);
  const woke = [...(waiters.get(name) ?? [])];
  waiters.delete(name);
  for (const w of woke) w.future.resolve(undefined);
  if (woke.length > 0 || !quietIfNone) ctx.fact?.({ type: 'cue', source: ctx.source, name, taskId: ctx.scheduler.current?.id ?? null, woke: woke.map((w) => w.taskId) });
  return woke.length;
}

export const cue = defineCommand({
  name: 'cue',
  python: cuePython,
  usage: 'cue NAME',
  example: 'cue go',
  summary: 'signal NAME: every sync NAME waiting now goes on (asyncio.Event.set, then clear)',
  parse(r): string | typeof INVALID {
    return readName(r, 'the cue');
  },
  *run(name, ctx) {
    return cueNow(ctx, name);
  },
});

export const sync = defineCommand({
  name: 'sync',
  python: syncPython,
  usage: 'sync NAME',
  example: 'sync go',
  summary: 'wait for the next cue NAME (await event.wait())',
  parse(r) {
    return readName(r, 'the cue to wait for');
  },
  *run(name, ctx) {
    const task = runningTask(ctx);
    const waiter: Waiter = { future: ctx.scheduler.future<void>(`cue ${name}`), taskId: task.id };
    const { waiters } = syncState.of(ctx);
    let set = waiters.get(name);
    if (set === undefined) waiters.set(name, (set = new Set()));
    set.add(waiter);
    try {
      yield* await_(waiter.future);
    } finally {
      // Cancelled while waiting (a timeout, stop): no cue will look for it.
      set.delete(waiter);
      if (set.size === 0 && waiters.get(name) === set) waiters.delete(name);
    }
  },
});
