import type { Scheduler } from '../scheduler/scheduler';
import type { SourcePosition } from '../scheduler/events';
import { defineSessionSlice, type StateHolder } from '../session/state';
import type { Expr } from './values';
import { MULBERRY32_STEP, mulberry32 } from '../random';

/**
 * The musical state of a session, per source: its chance (a task's tempo is a
 * setting of the task: task-settings.ts). And
 * the exact (rational) times that sleeps in beats end at, so that a run of
 * beats at bpm 90 lands on exactly 2/3 s each, rounded once to ns, with no drift.
 */
export interface Rational {
  p: bigint;
  q: bigint;
}

export const DEFAULT_BPM = 60;
/** The seed every source starts from: an offline render is the same every time. */
export const DEFAULT_SEED = 1;

export interface SourceMusic {
  seed: number;
  state: number;
  /** The seed has been announced (a `seed` fact) since it was set. */
  announced: boolean;
}

interface SessionMusic {
  sources: Map<string, SourceMusic>;
  /** Exact end times of recent sleeps, by the ns they were rounded to: that ns plus r/q (|r/q| <= 1/2). */
  exact: Map<number, { r: number; q: number }>;
  ticks: WeakMap<Expr, number>;
}

const musicState = defineSessionSlice('music', (): SessionMusic => ({ sources: new Map(), exact: new Map(), ticks: new WeakMap() }));

/** What the musical state is read through: the session's state, and its clock (a RunContext is one). */
export interface MusicHolder extends StateHolder {
  readonly scheduler: Scheduler;
}

export function musicOf(holder: StateHolder, source: string): SourceMusic {
  const music = musicState.of(holder);
  let state = music.sources.get(source);
  if (state === undefined) {
    state = { seed: DEFAULT_SEED, state: 0, announced: false };
    reseed(state, DEFAULT_SEED, source);
    music.sources.set(source, state);
  }
  return state;
}

/**
 * Every source's place in its chance, as one string: the interleaving explorer
 * compares it (with the tasks' settings, task-settings.ts) around a resumption
 * to see whether that resumption changed what another task's next choice would read.
 */
export function musicFingerprint(holder: StateHolder): string {
  let out = '';
  if (!holder.state.has(musicState)) return out;
  for (const [source, m] of musicState.of(holder).sources) out += `${source}:${m.seed}:${m.state};`;
  return out;
}

/** A script loaded (again) starts at the default seed, whatever an earlier script of its name set (and at the default tempo: its source is a new task). */
export function resetMusic(holder: StateHolder, source: string): void {
  if (holder.state.has(musicState)) musicState.of(holder).sources.delete(source);
}

/** Start the source's chance again from `seed` (mixed with the source's name, so two sources differ). */
export function reseed(music: SourceMusic, seed: number, source: string): void {
  let h = (seed >>> 0) ^ 0x9e3779b9;
  for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193) >>> 0;
  music.seed = seed;
  music.state = h >>> 0;
  music.announced = false;
}

/** The source's next chance, 0..1 (random.ts). */
export function nextRandom(music: SourceMusic): number {
  music.state = (music.state + MULBERRY32_STEP) >>> 0;
  return mulberry32(music.state);
}

export function nextTick(holder: StateHolder, expr: Expr): number {
  const ticks = musicState.of(holder).ticks;
  const n = ticks.get(expr) ?? 0;
  ticks.set(expr, n + 1);
  return n;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export function rational(p: bigint, q: bigint): Rational {
  const g = gcd(p, q) || 1n;
  return { p: p / g, q: q / g };
}

function gcdNumber(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

const MAX_EXACT = 4096;

/**
 * How many ns to sleep, from now, for a duration of `n / d` ns (exact): counted
 * from the exact time the sleep that ended now meant to end at, so rounding to
 * whole ns happens once per end and never adds up. Plain integer arithmetic
 * while it is exact (the common case); BigInt past 2^53.
 */
export function sleepFromNow(holder: MusicHolder, n: number, d: number, exact?: Rational): number {
  const music = musicState.of(holder);
  const now = holder.scheduler.nowNanos;
  const start = music.exact.size === 0 ? undefined : music.exact.get(now);
  const duration = exact ?? { p: BigInt(n), q: BigInt(d) };
  if (start === undefined && n % d === 0) return Math.max(0, n / d);
  const r = start?.r ?? 0;
  const q = start?.q ?? 1;
  const l = (q / gcdNumber(q, d)) * d;
  const whole = Math.floor(n / d);
  const fraction = r * (l / q) + (n - whole * d) * (l / d);
  if (exact !== undefined || !Number.isSafeInteger(n) || !Number.isSafeInteger(l) || !Number.isSafeInteger(fraction) || !Number.isSafeInteger(now + whole + 1)) {
    return sleepFromNowBig(music, now, start, duration);
  }
  const carry = Math.floor(fraction / l);
  let rest = fraction - carry * l;
  let endNs = now + whole + carry;
  if (2 * rest >= l) {
    endNs++;
    rest -= l;
  }
  remember(music, now, endNs, rest, l);
  return Math.max(0, endNs - now);
}

/** Now as an exact time in ns: a sleep in beats that ended now meant to end a fraction of a ns off it. */
export function exactNow(holder: MusicHolder): Rational {
  const music = musicState.of(holder);
  const now = holder.scheduler.nowNanos;
  const carry = music.exact.size === 0 ? undefined : music.exact.get(now);
  return carry === undefined ? { p: BigInt(now), q: 1n } : rational(BigInt(now) * BigInt(carry.q) + BigInt(carry.r), BigInt(carry.q));
}

/**
 * How many ns to sleep from now to the exact time `at` (0 once it has passed),
 * so that a grid of steps (a seq, a euclid) lands on its exact times, whatever
 * its commands took in between.
 */
export function sleepUntil(holder: MusicHolder, at: Rational): number {
  const now = exactNow(holder);
  const left = at.p * now.q - now.p * at.q;
  if (left <= 0n) return 0;
  const d = rational(left, at.q * now.q);
  return sleepFromNow(holder, Number(d.p), Number(d.q), d);
}

function remember(music: SessionMusic, now: number, endNs: number, r: number, q: number): void {
  if (r === 0) return;
  if (music.exact.size >= MAX_EXACT) for (const key of music.exact.keys()) if (key < now) music.exact.delete(key);
  if (music.exact.size < MAX_EXACT) {
    const g = gcdNumber(r, q);
    music.exact.set(endNs, { r: r / g, q: q / g });
  }
}

function sleepFromNowBig(music: SessionMusic, now: number, start: { r: number; q: number } | undefined, duration: Rational): number {
  const q = BigInt(start?.q ?? 1);
  const startP = BigInt(now) * q + BigInt(start?.r ?? 0);
  const end = rational(startP * duration.q + duration.p * q, q * duration.q);
  const endNs = (2n * end.p + end.q) / (2n * end.q);
  const rest = end.p - endNs * end.q;
  if (end.q <= BigInt(Number.MAX_SAFE_INTEGER) && rest <= BigInt(Number.MAX_SAFE_INTEGER) && -rest <= BigInt(Number.MAX_SAFE_INTEGER)) {
    remember(music, now, Number(endNs), Number(rest), Number(end.q));
  }
  return Math.max(0, Number(endNs) - now);
}

/**
 * What the musical commands state as facts (session events, for the timeline and the trace):
 * a cue and the syncs it woke, a live loop's new body taking over, the seed a source's chance comes from,
 * a pattern's step, a change of tempo.
 */
export type MusicFact =
  | { type: 'cue'; source: string; name: string; taskId: number | null; woke: number[] }
  /** `text` and `pos`: the `live` line whose body plays from now on (the loop's task takes them as its name and place). */
  | { type: 'live-swap'; source: string; name: string; taskId: number; pass: number; text: string; pos: SourcePosition | null }
  | { type: 'seed'; source: string; seed: number }
  /** A step of a pattern (`seq`, `euclid`) begins: `hit` when it sounds (not a rest). */
  | { type: 'step'; source: string; taskId: number; index: number; hit: boolean }
  /** `bpm` ran: the running task's tempo from now on (a line's: its source's); a MIDI file's tempo map follows it. */
  | { type: 'tempo'; source: string; bpm: number; taskId: number | null };
