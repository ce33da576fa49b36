import type { Invocation, RunContext } from './command';
import { defineSessionSlice } from '../session/state';
import { CommandError } from './diagnostics';
import { DEFAULT_BPM, musicOf, nextRandom, nextTick, rational, sleepFromNow, type Rational } from './music';
import { tempoIn } from './task-settings';
import { noteName } from './pitch';
import { bindParams, Deferred, evaluate, EvalError, UNITS, type EvalEnv, type Value } from './values';

export { Deferred, placeholder, type DeferredKind } from './values';

const settled = new WeakSet<object>();

function isInvocation(value: object): value is Invocation {
  return 'spec' in value && 'args' in value && 'pos' in value;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** The arguments with every Deferred evaluated for this run (nested commands are left for their own run). */
export function resolveArgs(args: unknown, ctx: RunContext): unknown {
  if (args instanceof Deferred) return resolve(args, ctx);
  if (typeof args !== 'object' || args === null || settled.has(args)) return args;
  let changed = false;
  if (Array.isArray(args)) {
    const out = args.map((item) => {
      const value = resolveArgs(item, ctx);
      if (value !== item) changed = true;
      return value;
    });
    if (changed) return out;
  } else if (isPlain(args) && !isInvocation(args)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(args)) {
      const item = args[key];
      const value = resolveArgs(item, ctx);
      if (value !== item) changed = true;
      out[key] = value;
    }
    if (changed) return out;
  }
  settled.add(args);
  return args;
}

function fail(d: Deferred, message: string, hint?: string): never {
  throw new CommandError([{ ...d.at, message, found: d.text, ...(hint !== undefined ? { hint } : {}) }]);
}

/** The session's evaluation environments, one per context (weak: a context goes with its source). */
const evalState = defineSessionSlice('eval', () => ({ envs: new WeakMap<RunContext, EvalEnv>() }));

/** The chance of the context's source (made once per context: resolving is the hottest path there is). */
function envOf(ctx: RunContext): EvalEnv {
  const { envs } = evalState.of(ctx);
  let env = envs.get(ctx);
  if (env === undefined) {
    const music = musicOf(ctx, ctx.source);
    env = {
      random: () => {
        if (!music.announced) {
          music.announced = true;
          ctx.fact?.({ type: 'seed', source: ctx.source, seed: music.seed });
        }
        return nextRandom(music);
      },
      tick: (expr) => nextTick(ctx, expr),
    };
    envs.set(ctx, env);
  }
  return env;
}

export function resolve(d: Deferred, ctx: RunContext): number | string | Value {
  const expr = d.expr;
  let value: Value;
  if (expr.kind === 'number') value = { unit: 'units', amount: expr.units };
  else if (expr.kind === 'absolute') value = { unit: 'ns', amount: expr.ns };
  else {
    try {
      value = evaluate(expr, envOf(ctx));
    } catch (error) {
      if (error instanceof EvalError) fail(d, `${error.message} (in ${JSON.stringify(d.text)})`);
      throw error;
    }
  }
  if (d.kind === 'value') return value;
  if (d.kind === 'note') return noteValue(d, value);
  if (d.kind === 'number') return numberValue(d, value);
  if (d.kind === 'choice') return d.limits.choices?.[Math.round(value.amount / UNITS)] ?? '';
  if (value.amount < 0) fail(d, `negative duration: ${d.text} came to less than 0`);
  if (value.unit === 'ns') return sleepFromNow(ctx, value.amount, 1);
  // The running task's tempo (its own, or the one it was spawned with).
  const tempo = tempoIn(ctx, ctx.scheduler.current);
  // amount is in billionths of a beat; a beat is 60 * q / p s: n / d ns, in plain numbers while they are exact.
  const n = value.amount * 60 * (tempo?.q ?? 1);
  if (Number.isSafeInteger(n)) return sleepFromNow(ctx, n, tempo?.p ?? DEFAULT_BPM);
  const big = durationNs(d, value, tempo?.bpm ?? DEFAULT_TEMPO);
  return sleepFromNow(ctx, Number(big.p), Number(big.q), big);
}

const DEFAULT_TEMPO: Rational = { p: BigInt(DEFAULT_BPM), q: 1n };

function noteValue(d: Deferred, value: Value): number {
  if (value.unit === 'ns') fail(d, `expected a note, found a duration ${JSON.stringify(d.text)}`);
  const note = Math.round(value.amount / UNITS);
  if (note < 0 || note > 127) {
    fail(d, `note out of range: ${d.text} is ${note}, expected a note 0..127 (${noteName(0)} to ${noteName(127)})`, 'move it by octaves: -12 or +12');
  }
  return note;
}

/** An option's plain number (`amp=rand(0.05,0.2)`), checked in its range as the note starts. */
function numberValue(d: Deferred, value: Value): number {
  const number = value.amount / UNITS;
  const [low, high] = d.limits.range ?? [-Infinity, Infinity];
  if (value.unit === 'ns' || !(number >= low && number <= high)) {
    fail(d, `expected a value ${low}..${high}, found ${d.text} = ${value.unit === 'ns' ? 'a duration' : String(number)}`, 'keep chance in range, as rand(LOW,HIGH) is');
  }
  return number;
}

/** A duration's exact length in ns at `bpm`, as a fraction n/d: beats are 60/bpm s each. */
export function durationNs(d: Deferred, value: Value, bpm: Rational): Rational {
  if (value.amount < 0) fail(d, `negative duration: ${d.text} came to less than 0`);
  if (value.unit === 'ns') return { p: BigInt(value.amount), q: 1n };
  // amount is in billionths of a beat; a beat is 60e9 * q / p ns.
  return rational(BigInt(value.amount) * 60n * bpm.q, bpm.p);
}

const unbound = new WeakSet<object>();

/** A copy of the arguments (nested commands included) with the phrase's parameters given values. */
export function bindArgs(args: unknown, values: ReadonlyMap<string, Value>): unknown {
  if (args instanceof Deferred) {
    const expr = bindParams(args.expr, values);
    return expr === args.expr ? args : new Deferred(expr, args.kind, args.text, args.at, args.limits);
  }
  if (typeof args !== 'object' || args === null || unbound.has(args)) return args;
  let changed = false;
  const bind = (item: unknown): unknown => {
    const value = bindArgs(item, values);
    if (value !== item) changed = true;
    return value;
  };
  let out: unknown = args;
  if (Array.isArray(args)) out = args.map(bind);
  else if (isPlain(args) && isInvocation(args)) out = { ...args, args: bind(args.args) };
  else if (isPlain(args)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(args)) copy[key] = bind(args[key]);
    out = copy;
  }
  if (changed) return out;
  unbound.add(args);
  return args;
}
