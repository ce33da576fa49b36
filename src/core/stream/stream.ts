import type { Scheduler } from '../scheduler/scheduler';
import { nsToSeconds } from '../time';
import { HIGHEST_NOTE, LOWEST_NOTE, noteFrequency } from './notes';

/** The active set changed at logical time `t` (all changes of one instant are one event). */
export interface NotesEvent {
  type: 'notes';
  t: number;
  /** Exact logical time in ns, for sample-exact rendering. */
  ns: number;
  wall: number;
  /** Active notes, ascending. */
  notes: number[];
  /** Their frequencies in Hz, in the same order. */
  freqs: number[];
}

/** The stream ended (quit): nothing sounds after `t`. */
export interface StreamEndEvent {
  type: 'stream-end';
  t: number;
  ns: number;
  wall: number;
}

export type StreamEvent = NotesEvent | StreamEndEvent;
export type StreamListener = (event: StreamEvent) => void;

/**
 * The set of sounding notes (the demo's "aiofreq" state). Adding an active note
 * or removing an inactive one changes nothing. Changes are gathered over one
 * logical instant and published as one event when the instant ends.
 */
export class FrequencyStream {
  /** active[n] is 1 while note n sounds. Notes are whole numbers 0..127. */
  private readonly active = new Uint8Array(HIGHEST_NOTE + 1);
  /** The set as last published. */
  private readonly shown = new Uint8Array(HIGHEST_NOTE + 1);
  /** How many notes differ between `active` and `shown`: 0 means nothing to publish. */
  private differing = 0;
  private count = 0;
  private ended = false;
  private listeners: StreamListener[] = [];

  constructor(private readonly scheduler: Scheduler) {
    scheduler.onInstantEnd((ns) => this.flush(ns));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Active notes now (including changes not yet published), ascending. */
  get notes(): number[] {
    return listOf(this.active, this.count);
  }

  /** Notes as last published. */
  get publishedNotes(): readonly number[] {
    return listOf(this.shown, -1);
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  add(note: number): void {
    checkNote(note);
    if (this.ended || this.active[note] === 1) return;
    this.active[note] = 1;
    this.count++;
    this.differing += this.shown[note] === 1 ? -1 : 1;
  }

  remove(note: number): void {
    checkNote(note);
    if (this.active[note] === 0) return;
    this.active[note] = 0;
    this.count--;
    this.differing += this.shown[note] === 0 ? -1 : 1;
  }

  has(note: number): boolean {
    return this.active[note] === 1;
  }

  /** Silence everything at once (panic). */
  clear(): void {
    if (this.count === 0) return;
    for (let n = 0; n <= HIGHEST_NOTE; n++) if (this.active[n] === 1) this.remove(n);
  }

  /** Stop the stream (quit): silence now, publish, and ignore further adds. */
  end(): void {
    if (this.ended) return;
    this.clear();
    this.flush(this.scheduler.nowNanos);
    this.ended = true;
    const ns = this.scheduler.nowNanos;
    this.emit({ type: 'stream-end', t: nsToSeconds(ns), ns, wall: this.scheduler.wall });
  }

  /**
   * Publish the set as of logical time `ns` if it differs from what was last
   * published (called when an instant ends). A chord that ends as an equal one
   * begins changes nothing. Cheap when nothing changed or nobody listens: this
   * runs at the end of every logical instant.
   */
  flush(ns: number): void {
    if (this.differing === 0) return;
    this.differing = 0;
    this.shown.set(this.active);
    if (this.listeners.length === 0) return;
    const notes = this.notes;
    this.emit({
      type: 'notes',
      t: nsToSeconds(ns),
      ns,
      wall: this.scheduler.wall,
      notes,
      freqs: notes.map(noteFrequency),
    });
  }

  private emit(event: StreamEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function checkNote(note: number): void {
  if (!Number.isInteger(note) || note < LOWEST_NOTE || note > HIGHEST_NOTE) {
    throw new RangeError(`a note is a whole number ${LOWEST_NOTE}..${HIGHEST_NOTE}, not ${note}`);
  }
}

/** The notes flagged in `flags`, ascending; `count` (when known) sizes the list. */
function listOf(flags: Uint8Array, count: number): number[] {
  const notes: number[] = [];
  if (count === 0) return notes;
  for (let n = 0; n < flags.length; n++) if (flags[n] === 1) notes.push(n);
  return notes;
}
