import type { Scheduler } from '../scheduler/scheduler';
import { nsToSeconds } from '../time';
import { noteFrequency } from './notes';

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
  private readonly active = new Set<number>();
  private published: number[] = [];
  private dirty = false;
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
    return [...this.active].sort((a, b) => a - b);
  }

  /** Notes as last published. */
  get publishedNotes(): readonly number[] {
    return this.published;
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  add(note: number): void {
    if (this.ended || this.active.has(note)) return;
    this.active.add(note);
    this.dirty = true;
  }

  remove(note: number): void {
    if (!this.active.delete(note)) return;
    this.dirty = true;
  }

  has(note: number): boolean {
    return this.active.has(note);
  }

  /** Silence everything at once (panic). */
  clear(): void {
    if (this.active.size === 0) return;
    this.active.clear();
    this.dirty = true;
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

  /** Publish pending changes as of logical time `ns` (called when an instant ends). */
  flush(ns: number): void {
    if (!this.dirty) return;
    this.dirty = false;
    const notes = this.notes;
    if (sameNotes(notes, this.published)) return;
    this.published = notes;
    if (this.listeners.length === 0) return;
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

function sameNotes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
