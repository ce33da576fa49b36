import type { Scheduler } from '../scheduler/scheduler';
import { nsToSeconds } from '../time';
import { HIGHEST_NOTE, LOWEST_NOTE, noteFrequency } from './notes';
import { DEFAULT_LEVEL, DRUM_KEYS, drumLengthNs, isHit, SAMPLE_KEY, voiceOptionsError, type VoiceInfo, type VoiceOptions } from './voice';

/** The voices changed at logical time `t` (all changes of one instant are one event). */
export interface NotesEvent {
  type: 'notes';
  t: number;
  /** Exact logical time in ns, for sample-exact rendering. */
  ns: number;
  wall: number;
  /** Sounding notes (held by at least one voice), ascending. */
  notes: number[];
  /** Their frequencies in Hz, in the same order. */
  freqs: number[];
  /**
   * Every held voice, oldest first (so the notes in the order they were added,
   * as the demo sums them). A re-articulated note shows as a new id. The
   * stream always sets it; a sender that leaves it out (older tests, messages)
   * means one owner-less voice per note.
   */
  voices?: VoiceInfo[];
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

/** Which owners a call applies to: one task id, or a test on owner ids (e.g. "every task of this source"). */
export type OwnerMatch = number | ((owner: number) => boolean);

/**
 * The sounding voices (the demo's "aiofreq" state, grown from a set of notes
 * into voices). A pitch sounds while any voice of it is held; ending one voice
 * never silences another of the same pitch. A note that ends and starts again
 * within one instant is a new voice (a re-articulation, heard as two notes).
 * Changes are gathered over one logical instant and published as one event
 * when the instant ends.
 *
 * Without an owner, `add` and `remove` keep the demo's set behaviour: adding a
 * sounding note changes nothing, removing a note ends all its voices, and a
 * note removed and added again within one instant is the same sound (no
 * re-articulation: the demo's set does not change).
 *
 * After `useDemoSet()` (the CLI's --exact) every call keeps that behaviour, owner or
 * not: the notes are the demo's one set. After `add 60`, the end of
 * `chord 0.4 60 64 67` ends 60, as the demo's chord removes it from its set.
 * Owners still say whose notes a cancel or a failure ends.
 */
export class FrequencyStream {
  /** Held voices, oldest first. Few at a time, so a plain array. */
  private held: VoiceInfo[] = [];
  /** holders[n]: how many voices hold note n. */
  private readonly holders = new Uint16Array(HIGHEST_NOTE + 1);
  /** Voice ids as last published, oldest first. */
  private shownIds: number[] = [];
  private shownNotes: number[] = [];
  /** Something was added or removed since the last publish. */
  private dirty = false;
  private nextId = 1;
  /** Owner-less voices ended in this instant, by note: an owner-less add revives them (the demo's set). */
  private endedShared = new Map<number, VoiceInfo>();
  private ended = false;
  private listeners: StreamListener[] = [];
  /** Drum hits held, by voice id: the logical time (ns) each has sounded out. */
  private readonly hitEnds = new Map<number, number>();
  private nextHitEnd = Infinity;

  /** The demo's one set of notes, not voices: see useDemoSet. */
  private demoSet = false;

  constructor(private readonly scheduler: Scheduler) {
    scheduler.onInstantEnd((ns) => this.flush(ns));
  }

  /** From now on, the notes are the demo's one set (a session's stream before anything plays: the CLI's --exact). */
  useDemoSet(): void {
    this.demoSet = true;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Sounding notes now (including changes not yet published), ascending. */
  get notes(): number[] {
    const notes: number[] = [];
    if (this.held.length === 0) return notes;
    for (let n = 0; n <= HIGHEST_NOTE; n++) if (this.holders[n] > 0) notes.push(n);
    return notes;
  }

  /** Notes as last published. */
  get publishedNotes(): readonly number[] {
    return this.shownNotes;
  }

  /** Held voices now, oldest first (copies). */
  get voices(): VoiceInfo[] {
    return this.held.map((v) => ({ ...v }));
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Start a voice of `note` held by `owner` (a task id). An owner that already
   * holds the note keeps that voice (adding an active note changes nothing,
   * as in the demo); so does any call without an owner (any call at all after
   * useDemoSet) while the note sounds. Returns the voice's id, or null when
   * nothing started.
   */
  add(note: number, owner?: number, options: VoiceOptions = {}): number | null {
    checkNote(note);
    const problem = voiceOptionsError(options);
    if (problem !== null) throw new RangeError(problem);
    if (this.ended) return null;
    if (options.drum !== undefined || options.sample !== undefined) return this.addHit(owner ?? null, options);
    const asSet = owner === undefined || this.demoSet;
    if (asSet ? this.holders[note] > 0 : this.held.some((v) => v.owner === owner && v.note === note)) return null;
    const revived = owner === undefined ? this.endedShared.get(note) : undefined;
    if (revived !== undefined) {
      this.endedShared.delete(note);
      // Back in its place: held stays oldest first (ids grow with time).
      const at = this.held.findIndex((v) => v.id > revived.id);
      this.held.splice(at < 0 ? this.held.length : at, 0, revived);
      this.holders[note]++;
      this.dirty = true;
      return revived.id;
    }
    const voice: VoiceInfo = {
      id: this.nextId++,
      owner: owner ?? null,
      note,
      level: options.level ?? DEFAULT_LEVEL,
      onset: this.scheduler.nowNanos,
    };
    if (options.envelope !== undefined) voice.envelope = { ...options.envelope };
    if (options.timbre !== undefined) voice.timbre = options.timbre;
    if (options.pan !== undefined && options.pan !== 0) voice.pan = options.pan;
    if (options.fx !== undefined && options.fx.length > 0) voice.fx = options.fx.map((e) => ({ ...e }));
    this.held.push(voice);
    this.holders[note]++;
    this.dirty = true;
    return voice.id;
  }

  /**
   * A drum hit: a voice of its own length, never a pitch (not in `notes`, not
   * ended by `remove`). It goes from the voices by itself once it has sounded
   * out, with no event of its own; cancel, panic or a failure of its owner
   * cuts it short. Every hit is a new voice.
   */
  private addHit(owner: number | null, options: VoiceOptions): number {
    const { drum, sample } = options;
    const voice: VoiceInfo = { id: this.nextId++, owner, note: drum !== undefined ? DRUM_KEYS[drum] : SAMPLE_KEY, level: options.level ?? DEFAULT_LEVEL, onset: this.scheduler.nowNanos };
    if (drum !== undefined) voice.drum = drum;
    else if (sample !== undefined) voice.sample = sample.loop ? { id: sample.id, start: sample.start, end: sample.end, loop: true } : { id: sample.id, start: sample.start, end: sample.end, seconds: nsToSeconds(sample.ns) };
    if (options.pan !== undefined && options.pan !== 0) voice.pan = options.pan;
    if (options.rate !== undefined && options.rate !== 1) voice.rate = options.rate;
    if (options.fx !== undefined && options.fx.length > 0 && sample !== undefined) voice.fx = options.fx.map((e) => ({ ...e }));
    // A loop (ns Infinity) sounds until its task ends it (stopVoice, or the task's cancel).
    const end = voice.onset + (drum !== undefined ? drumLengthNs(drum, options.rate) : sample!.ns);
    this.hitEnds.set(voice.id, end);
    this.nextHitEnd = Math.min(this.nextHitEnd, end);
    this.held.push(voice);
    this.dirty = true;
    return voice.id;
  }

  /** Hits that have sounded out by `ns` leave the voices, and what was published, without an event. */
  private dropEndedHits(ns: number): void {
    const gone = new Set<number>();
    let next = Infinity;
    for (const [id, end] of this.hitEnds) {
      if (end <= ns) gone.add(id);
      else next = Math.min(next, end);
    }
    this.nextHitEnd = next;
    if (gone.size === 0) return;
    for (const id of gone) this.hitEnds.delete(id);
    this.held = this.held.filter((v) => !gone.has(v.id));
    this.shownIds = this.shownIds.filter((id) => !gone.has(id));
  }

  /** End one voice by its id (a looping sample whose task ends it). */
  stopVoice(id: number): void {
    this.endWhere((v) => v.id === id);
  }

  /**
   * End the voices of `note` that `owner` holds (every voice of the note when
   * no owner is given, or after useDemoSet, as the demo's set does). Other
   * owners' voices of the same pitch sound on.
   */
  remove(note: number, owner?: OwnerMatch): void {
    checkNote(note);
    if (this.holders[note] === 0) return;
    if (owner === undefined || this.demoSet) this.endWhere((v) => v.note === note && !isHit(v));
    else this.endWhere((v) => v.note === note && !isHit(v) && ownedBy(v, owner));
  }

  /**
   * End the voices of `note` for which `ends` holds (remove N: only the voices
   * `add` started in a source); after useDemoSet, every voice of `note`.
   */
  removeWhere(note: number, ends: (voice: Readonly<VoiceInfo>) => boolean): void {
    checkNote(note);
    if (this.holders[note] === 0) return;
    const all = this.demoSet;
    this.endWhere((v) => v.note === note && !isHit(v) && (all || ends(v)));
  }

  /**
   * Hand every voice `from` holds to `to` (a task that ended normally leaves
   * its notes to the task it ran in). Nothing is heard: the voices go on.
   */
  transferOwner(from: number, to: number): void {
    for (const v of this.held) if (v.owner === from) v.owner = to;
  }

  /** Whether `owner` holds any voice. */
  holds(owner: number): boolean {
    return this.held.some((v) => v.owner === owner);
  }

  /**
   * End every voice `owner` holds (cancel, stop, a failed task). A source
   * that ended normally (`ringOn`) lets its drum hits sound out: a script's
   * last `drum bd` is heard whole.
   */
  releaseOwner(owner: OwnerMatch, ringOn = false): void {
    // a loop does not: it ends with its task
    if (ringOn) for (const v of this.held) if (isHit(v) && v.sample?.loop !== true && ownedBy(v, owner)) v.owner = null;
    this.endWhere((v) => ownedBy(v, owner));
  }

  has(note: number): boolean {
    return this.holders[note] > 0;
  }

  /** Silence everything at once (panic). */
  clear(): void {
    this.endWhere(() => true);
  }

  /**
   * Stop the stream (quit): silence now, publish, and ignore further adds.
   * Drum hits that nobody holds any more (their script ended) sound out.
   */
  end(): void {
    if (this.ended) return;
    this.endWhere((v) => !isHit(v) || v.owner !== null || v.sample?.loop === true);
    this.flush(this.scheduler.nowNanos);
    this.ended = true;
    const ns = this.scheduler.nowNanos;
    this.emit({ type: 'stream-end', t: nsToSeconds(ns), ns, wall: this.scheduler.wall });
  }

  /**
   * Publish the voices as of logical time `ns` if they differ from what was
   * last published (called when an instant ends). A voice that starts and ends
   * within one instant is never heard. Cheap when nothing changed or nobody
   * listens: this runs at the end of every logical instant.
   */
  flush(ns: number): void {
    if (this.nextHitEnd <= ns) this.dropEndedHits(ns);
    if (!this.dirty) return;
    this.dirty = false;
    if (this.endedShared.size > 0) this.endedShared = new Map();
    const ids = this.held.map((v) => v.id);
    if (sameIds(ids, this.shownIds)) return;
    this.shownIds = ids;
    this.shownNotes = this.notes;
    if (this.listeners.length === 0) return;
    const notes = this.shownNotes;
    this.emit({
      type: 'notes',
      t: nsToSeconds(ns),
      ns,
      wall: this.scheduler.wall,
      notes: [...notes],
      freqs: notes.map(noteFrequency),
      voices: this.voices,
    });
  }

  private endWhere(ends: (v: VoiceInfo) => boolean): void {
    let keep = 0;
    for (const v of this.held) {
      if (ends(v)) {
        this.dirty = true;
        if (isHit(v)) {
          this.hitEnds.delete(v.id);
          continue;
        }
        if (v.owner === null) this.endedShared.set(v.note, v);
        this.holders[v.note]--;
      } else this.held[keep++] = v;
    }
    this.held.length = keep;
  }

  private emit(event: StreamEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function ownedBy(v: VoiceInfo, owner: OwnerMatch): boolean {
  if (v.owner === null) return false;
  return typeof owner === 'number' ? v.owner === owner : owner(v.owner);
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkNote(note: number): void {
  if (!Number.isInteger(note) || note < LOWEST_NOTE || note > HIGHEST_NOTE) {
    throw new RangeError(`a note is a whole number ${LOWEST_NOTE}..${HIGHEST_NOTE}, not ${note}`);
  }
}
