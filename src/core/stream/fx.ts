/**
 * Effects a voice goes through (`fx NAME ARGS`, `fx=NAME:ARG`): what they are
 * and their ranges. The sound itself is src/core/synth/fx-dsp.ts, the one DSP
 * both the WAV render and the app (in an AudioWorklet) run.
 */
import { nsToMs, nsToSeconds, secondsToNs } from '../time';

/**
 * One effect of a chain. Times are ns (a delay's TIME in beats is fixed at the
 * tempo when `fx` runs, as a duration is); levels are fractions.
 */
export type Effect =
  /** Freeverb: ROOM 0..1 (its room size), added to the dry sound. */
  | { type: 'reverb'; room: number }
  /** An echo every `ns`, each FEEDBACK times the one before (the first at FEEDBACK of the note). */
  | { type: 'delay'; ns: number; feedback: number }
  /** Resonant 2-pole filters (RBJ biquads): cutoff in Hz, `res` the filter's Q. */
  | { type: 'lpf'; hz: number; res: number }
  | { type: 'hpf'; hz: number; res: number }
  /** A soft clipper (tanh-like): AMOUNT 0..1 of drive, a note at the default level keeping its peak. */
  | { type: 'distort'; amount: number };

export type EffectType = Effect['type'];
export const EFFECT_TYPES: readonly EffectType[] = ['reverb', 'delay', 'lpf', 'hpf', 'distort'];

/** A filter's Q when `res=` is not given: Butterworth, no resonant peak. */
export const DEFAULT_RES = Math.SQRT1_2;
export const MIN_RES = 0.1;
export const MAX_RES = 30;
export const MIN_HZ = 20;
export const MAX_HZ = 20_000;
/** The longest delay TIME (ns): 4 s. */
export const MAX_DELAY_NS: number = secondsToNs(4);
/** Feedback stops short of 1, so every echo dies away. */
export const MAX_FEEDBACK = 0.95;

/**
 * The most effects a chain holds: one of each kind (withEffect), so the
 * language cannot pass it; a chain that does (from outside: a message) is refused.
 */
export const MAX_CHAIN_EFFECTS = EFFECT_TYPES.length;
/**
 * The most different chains the held voices go through at once: each is an
 * instance of its effects (a reverb's delay lines, live an AudioWorklet), so
 * a note that would start one more fails, located. Tails of chains no voice
 * holds are kept within MAX_LIVE_CHAINS by cutting the oldest.
 */
export const MAX_HELD_CHAINS = 16;
export const MAX_LIVE_CHAINS = 32;

/**
 * `chain` with `effect` set: an effect of its kind already there is replaced
 * in its place (a loop's `fx lpf rand(300,2000)` changes its cutoff, it does
 * not grow the chain by one each pass), else it is added at the end. So a
 * chain holds at most one effect of each kind.
 */
export function withEffect(chain: readonly Effect[], effect: Effect): Effect[] {
  const at = chain.findIndex((e) => e.type === effect.type);
  return at < 0 ? [...chain, effect] : chain.map((e, i) => (i === at ? effect : e));
}

/** A chain's identity: voices with equal chains share one instance of it (as notes in one `with_fx` block do). */
export function chainKey(chain: readonly Effect[]): string {
  return chain.map(effectWords).join(' | ');
}

/** An effect as `fx` would take it (delay TIME in ms). */
export function effectWords(e: Effect): string {
  switch (e.type) {
    case 'reverb':
      return `reverb ${e.room}`;
    case 'delay':
      return `delay ${nsToMs(e.ns)}ms ${e.feedback}`;
    case 'lpf':
    case 'hpf':
      return `${e.type} ${e.hz} res=${e.res}`;
    case 'distort':
      return `distort ${e.amount}`;
  }
}

/** Why `e` is not an effect (a sentence), or null. */
export function effectError(e: Effect): string | null {
  const within = (what: string, v: number, lo: number, hi: number) => (v >= lo && v <= hi ? null : `${what} is ${lo}..${hi}, not ${v}`);
  switch (e.type) {
    case 'reverb':
      return within('a reverb ROOM', e.room, 0, 1);
    case 'delay':
      return e.ns > 0 && e.ns <= MAX_DELAY_NS ? within('a delay FEEDBACK', e.feedback, 0, MAX_FEEDBACK) : `a delay TIME is more than 0 and at most 4 s, not ${nsToSeconds(e.ns)} s`;
    case 'lpf':
    case 'hpf':
      return within(`an ${e.type} cutoff (Hz)`, e.hz, MIN_HZ, MAX_HZ) ?? within('res=', e.res, MIN_RES, MAX_RES);
    case 'distort':
      return within('a distort AMOUNT', e.amount, 0, 1);
    default:
      return `an effect is one of ${EFFECT_TYPES.join(', ')}`;
  }
}

/** Why `chain` is not a chain, or null. */
export function chainError(chain: readonly Effect[]): string | null {
  if (chain.length > MAX_CHAIN_EFFECTS) return `a chain holds at most ${MAX_CHAIN_EFFECTS} effects, not ${chain.length}`;
  for (const e of chain) {
    const problem = effectError(e);
    if (problem !== null) return problem;
  }
  return null;
}

/**
 * About how long `chain` rings after its last note ends until it is under
 * -90 dBFS (the app keeps a chain's node this long; the WAV render measures
 * its tails instead). At most `cap` seconds.
 */
export function tailSeconds(chain: readonly Effect[], cap: number): number {
  const toSilence = Math.log(10 ** (-90 / 20));
  let seconds = 0.05;
  for (const e of chain) {
    if (e.type === 'reverb') seconds += (toSilence / Math.log(0.7 + 0.28 * e.room)) * 0.037 + 0.1;
    else if (e.type === 'delay') seconds += nsToSeconds(e.ns) * (1 + (e.feedback > 0 ? toSilence / Math.log(e.feedback) : 0));
    else if (e.type !== 'distort') seconds += (4 * (e.res + 1)) / e.hz;
  }
  return Math.min(cap, seconds);
}
