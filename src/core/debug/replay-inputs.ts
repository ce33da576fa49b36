/**
 * What enters a session from outside, with the logical time it arrived: a run
 * is a pure function of these (and of the seeds, which every source takes from
 * DEFAULT_SEED until a `seed` line, itself an input, changes them). The host
 * records them as they come (src/node/app-session/input-recorder.ts) and
 * `rebuildAt` (replay.ts) plays them again on the virtual clock.
 *
 * The log is bounded (MAX_REPLAY_INPUTS, the README's Limits): past it the
 * oldest inputs cannot be dropped (a rebuild needs every one from the start),
 * so recording stops and says so (`full`), and replay is refused.
 */
import { DEFAULT_SEED } from '../language/music';
import { secondsToNs } from '../time';

/** One input, as the session's controls (SessionControl) take it. */
export type SessionInput =
  /** A source of lines opened (a terminal); later inputs name it by `handle`, the count of opens before it. */
  | { kind: 'open-source'; name: string }
  | { kind: 'push-line'; handle: number; text: string }
  | { kind: 'end-source'; handle: number }
  /** A whole script (a lesson is one) played as source `name`. */
  | { kind: 'load-script'; name: string; text: string }
  | { kind: 'cancel-task'; id: number }
  | { kind: 'stop-source'; name: string }
  | { kind: 'interrupt-source'; name: string }
  | { kind: 'stop-all' }
  | { kind: 'panic' }
  | { kind: 'quit' }
  /** A debugger's step while paused (core/debug/stepper.ts): one resumption of the ready task at `index`. */
  | { kind: 'step'; index: number }
  /** A debugger's move of the clock to the next timer, nothing being ready. */
  | { kind: 'next-timer' }
  /** The notes a debugger's step changed, published at once (the app lets a step be heard before its instant ends). */
  | { kind: 'flush-notes' }
  /** The clock's speed and pause: kept for the record; logical time, and so the run, does not depend on them. */
  | { kind: 'speed'; speed: number }
  | { kind: 'paused'; paused: boolean };

/** An input, the logical time (ns) it arrived at, and how much work the scheduler had done by then. */
export interface TimedInput {
  ns: number;
  /**
   * The scheduler's resumptions plus work (its count of units of work) when
   * the input arrived: a rebuild runs exactly that much before applying it,
   * so an input lands between the same two resumptions as it did live, even
   * where the real clock had not yet run everything due before its time.
   */
  work: number;
  input: SessionInput;
}

/** Inputs a session records at most (the README's Limits): about 100 bytes each, so some 20 MB. */
export const MAX_REPLAY_INPUTS = 200_000;

/**
 * Inputs that queue work at the present (a line, a script, a source): on a
 * real clock it runs after what fell due before that time and before a timer
 * due at that very time. The others are controls, which first catch up with
 * everything due up to the present (Session.catchUp), then act.
 */
export function queuesWork(input: SessionInput): boolean {
  return input.kind === 'open-source' || input.kind === 'push-line' || input.kind === 'end-source' || input.kind === 'load-script';
}

export class InputLog {
  private readonly items: TimedInput[];
  /** The logical time (ns) of the first input not kept, once the log is full. */
  private overflowAtNs: number | null = null;
  /** The seed every source's chance starts from (a `seed` line changes it: that line is an input). */
  readonly seed = DEFAULT_SEED;

  constructor(
    readonly cap = MAX_REPLAY_INPUTS,
    from: readonly TimedInput[] = [],
  ) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`input log cap must be a positive integer, got ${cap}`);
    this.items = from.slice(0, cap);
    if (from.length > cap) this.overflowAtNs = from[cap].ns;
  }

  /** Record `input` at logical time `ns`; false (and nothing kept from now on) once the log is full. */
  record(ns: number, work: number, input: SessionInput): boolean {
    if (this.overflowAtNs !== null) return false;
    if (this.items.length >= this.cap) {
      this.overflowAtNs = ns;
      return false;
    }
    this.items.push({ ns, work, input });
    return true;
  }

  /** The log is full: inputs past the cap were not kept, so no moment after the last kept one can be rebuilt. */
  get full(): boolean {
    return this.overflowAtNs !== null;
  }

  get length(): number {
    return this.items.length;
  }

  /** Every input kept, oldest first. */
  get inputs(): readonly TimedInput[] {
    return this.items;
  }

  /** The inputs that arrived at or before logical time `ns`. */
  upTo(ns: number): TimedInput[] {
    const out: TimedInput[] = [];
    for (const item of this.items) {
      if (item.ns > ns) break;
      out.push(item);
    }
    return out;
  }

  /** Can the moment at logical `t` seconds be rebuilt from what was kept? */
  covers(t: number): boolean {
    return this.overflowAtNs === null || secondsToNs(t) < this.overflowAtNs;
  }
}
