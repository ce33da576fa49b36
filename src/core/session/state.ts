/**
 * Per-session state in one place. A command family that keeps state for a
 * session (the cues waited for, the live loops playing, the tempo of each
 * source ...) declares its slice once, at module level, typed by the factory
 * that makes it:
 *
 *     const syncState = defineSessionSlice('sync', () => ({ waiters: new Map<string, Set<Waiter>>() }));
 *
 * and reads it with `syncState.of(ctx)` (a RunContext or a Session: anything
 * that holds a `SessionState`). A session makes each slice the first time it is
 * read, so `session.state.describe()` lists what the session holds, and a
 * fresh `new SessionState()` starts from nothing.
 *
 * This module imports nothing, so the kernel, the commands and the session can
 * all use it without a cycle. Its one module-level variable counts the slices
 * declared (a slice's index into each session's values), not any session's state.
 */

/** One family's part of a session's state. */
export interface SessionSlice<T extends object> {
  readonly name: string;
  /** A session's first value of it. */
  readonly make: () => T;
  /** Where a session keeps its value (slices are counted as they are declared). */
  readonly index: number;
  /** This slice of `holder`'s session (made now if it has none yet). */
  of(holder: StateHolder): T;
}

/** What holds a session's state: the session itself, and every RunContext it gives its commands. */
export interface StateHolder {
  readonly state: SessionState;
}

/** What a slice holds, field by field: the size of a Map, Set or array, `weak` for a WeakMap or WeakSet, else the value if it is plain. */
export type SliceSummary = Record<string, number | string | boolean | null>;

/** How many slices have been declared: each one's index into a session's values (reading one is the hot path of every beat). */
let declared = 0;

/** Declare a family's slice: `make` gives a session's first value of it. The name labels it in `describe()`. */
export function defineSessionSlice<T extends object>(name: string, make: () => T): SessionSlice<T> {
  const slice: SessionSlice<T> = { name, make, index: declared++, of: (holder) => holder.state.get(slice) };
  return slice;
}

/** The state of one session's command families, a slice each, made when first read. */
export class SessionState {
  /** Each slice's value by its index: an array, since reading a slice is on every beat's path. */
  private readonly values: object[] = [];
  /** The slice each value belongs to, by the same index (and so the slices read so far). */
  private readonly owners: SessionSlice<object>[] = [];

  /** The session's value of `slice` (made now if this is the first read). */
  get<T extends object>(slice: SessionSlice<T>): T {
    return this.owners[slice.index] === slice ? (this.values[slice.index] as T) : this.make(slice);
  }

  /** Whether the session has read `slice` yet (without making it). */
  has(slice: SessionSlice<object>): boolean {
    return this.owners[slice.index] === slice;
  }

  private make<T extends object>(slice: SessionSlice<T>): T {
    // Two copies of this module in one program would count their slices apart: refuse, rather than mix them up.
    if (this.owners[slice.index] !== undefined) throw new Error(`session state: slices ${this.owners[slice.index].name} and ${slice.name} share an index`);
    const value = slice.make();
    this.values[slice.index] = value;
    this.owners[slice.index] = slice;
    return value;
  }

  /** Every slice the session holds, by name, in the order declared: for a reader, a debugger and tests. */
  describe(): Record<string, SliceSummary> {
    const out: Record<string, SliceSummary> = {};
    const read = this.owners.filter((slice) => slice !== undefined);
    for (const slice of read) out[slice.name] = summarise(this.values[slice.index]);
    return out;
  }
}

function summarise(value: object): SliceSummary {
  const summary: SliceSummary = {};
  for (const [key, field] of Object.entries(value)) {
    if (field instanceof Map || field instanceof Set) summary[key] = field.size;
    else if (Array.isArray(field)) summary[key] = field.length;
    else if (field instanceof WeakMap || field instanceof WeakSet) summary[key] = 'weak';
    else if (field === null || typeof field === 'number' || typeof field === 'string' || typeof field === 'boolean') summary[key] = field;
    else summary[key] = typeof field;
  }
  return summary;
}
