/**
 * Child process: task resumptions per second on the virtual clock.
 *   tsx bench/workers/resumptions.ts <mode> <tasks> <yields> <runs>
 * Prints one JSON line: { mode, tasks, yields, rates, cpuRates }: resumptions per second of
 * wall time and per second of this process's CPU time (user + system, all threads), per run.
 * On a machine shared with other work the CPU-time rate is what the code costs; the wall
 * rate also counts the time the process waited for a core.
 *
 * Modes (each in a process of its own, so the JIT is trained by that workload only):
 *   quiet     the normal path: instrumentation compiled in, nobody subscribed
 *   listener  one subscriber that keeps the last 1,024 events in a ring, as a timeline
 *             view would (so every event object is really allocated)
 *   rawop     quiet, but tasks yield the Op directly (`yield op`) instead of `yield* sleep(0)`
 *   timers    quiet, but every yield is a timed sleep (`yield* sleepNs(d)`, d from 1 to 1,000 µs,
 *             different per task and step), so each resumption also goes through the timer heap
 *   body      floor: the same task bodies (`yield* sleep(0)`) resumed by a plain loop, no scheduler
 *   bare      floor: bare generators (`for (;;) yield`) resumed by a plain loop
 */
import { Scheduler, sleep, sleepNs, type Co, type Op, type TaskEvent } from '../../src/core/scheduler';
import { NO_LIMITS } from '../../src/core/scheduler/limits';

const [mode = 'quiet', tasksArg = '1000', yieldsArg = '2000', runsArg = '7'] = process.argv.slice(2);
const tasks = Number(tasksArg);
const yields = Number(yieldsArg);
const runs = Number(runsArg);
const WARMUP = 2;

const YIELD_OP: Op = { kind: 'sleep', ns: 0 };

function* sleeper(n: number): Co {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

let timedSeed = 0;
function* timedSleeper(n: number): Co {
  let x = ++timedSeed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0; // a small LCG: distinct times, no Math.random in the loop
    yield* sleepNs(1000 + (x % 1000) * 1000);
  }
}

function* rawSleeper(n: number): Co {
  for (let i = 0; i < n; i++) yield YIELD_OP;
}

function* bare(): Generator<number, void, unknown> {
  for (;;) yield 0;
}

interface Timed {
  count: number;
  wallS: number;
  cpuS: number;
}

/** Times `work`, which returns how many resumptions it did. */
function timed(work: () => number): Timed {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const count = work();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { count, wallS, cpuS: (cpu.user + cpu.system) / 1e6 };
}

function scheduled(body: (n: number) => Co, listen: boolean): Timed {
  const s = new Scheduler({ limits: NO_LIMITS }); // raw speed: no budget of resumptions per instant
  let events = 0;
  const kept: TaskEvent[] = new Array(1024);
  if (listen) s.subscribe((event) => { kept[events++ & 1023] = event; });
  for (let i = 0; i < tasks; i++) s.spawn(body(yields), { name: 'yielder' });
  const result = timed(() => {
    s.runUntilIdle();
    return s.resumptions;
  });
  if (s.liveTasks !== 0 || s.resumptions !== tasks * (yields + 1)) throw new Error('the workload did not run to the end');
  if (listen && events < s.resumptions) throw new Error('the listener heard fewer events than resumptions');
  return result;
}

/** Round-robin over `tasks` generators with a plain loop: what resuming costs with no scheduler at all. */
function unscheduled(make: () => Iterator<unknown>): Timed {
  const gens = Array.from({ length: tasks }, make);
  return timed(() => {
    let count = 0;
    for (let round = 0; round <= yields; round++) {
      for (let i = 0; i < tasks; i++) {
        gens[i].next();
        count++;
      }
    }
    return count;
  });
}

function once(): Timed {
  switch (mode) {
    case 'quiet': return scheduled(sleeper, false);
    case 'listener': return scheduled(sleeper, true);
    case 'rawop': return scheduled(rawSleeper, false);
    case 'timers': return scheduled(timedSleeper, false);
    case 'body': return unscheduled(() => sleeper(Number.MAX_SAFE_INTEGER));
    case 'bare': return unscheduled(bare);
    default: throw new Error(`unknown mode ${mode}`);
  }
}

const rates: number[] = [];
const cpuRates: number[] = [];
for (let r = 0; r < WARMUP + runs; r++) {
  const run = once();
  if (r < WARMUP) continue;
  rates.push(run.count / run.wallS);
  cpuRates.push(run.count / run.cpuS);
}
console.log(JSON.stringify({ mode, tasks, yields, rates, cpuRates }));
