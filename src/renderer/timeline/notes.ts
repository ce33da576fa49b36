import { DRUM_SECONDS, type DrumName } from '../../core/stream/voice';

/**
 * The piano roll's data: a bar per voice for as long as it sounds (a note
 * known only from a snapshot or an older sender: a bar per note), in start
 * order, and the lowest and highest note seen.
 */

export interface NoteBar {
  note: number;
  start: number;
  /** NaN while it sounds. */
  end: number;
  /** The voice it draws (a note heard again is a new voice, so a new bar); absent for notes known only from a snapshot. */
  voice?: number;
  /** The task that holds the voice (null: a voice of the demo's shared set). */
  owner?: number | null;
}

export class NoteRoll {
  /** Every bar, in start order. */
  readonly bars: NoteBar[] = [];
  /** Bars sounding now, by voice id (or `n<note>` for a note known only from a snapshot). */
  private readonly sounding = new Map<number | string, NoteBar>();
  low = Infinity;
  high = -Infinity;

  clear(): void {
    this.bars.length = 0;
    this.sounding.clear();
    this.low = Infinity;
    this.high = -Infinity;
  }

  /** Notes without voices (a snapshot, an older sender): one bar per note while it sounds. */
  setNotes(notes: readonly number[], t: number): void {
    const now = new Set(notes);
    for (const [key, bar] of this.sounding) {
      if (!now.has(bar.note)) {
        bar.end = t;
        this.sounding.delete(key);
      }
    }
    const drawn = new Set([...this.sounding.values()].map((bar) => bar.note));
    for (const note of notes) if (!drawn.has(note)) this.startBar(`n${note}`, { note, start: t, end: NaN });
  }

  /**
   * One bar per voice: a note that ends and starts again at one instant is a
   * new voice, and a new bar. A drum hit's bar (at its drum's key) is as long
   * as the hit, or shorter if it is cut: the stream lets a hit go without an
   * event once it has sounded out.
   */
  setVoices(voices: readonly { id: number; note: number; owner: number | null; drum?: DrumName; rate?: number; sample?: { seconds?: number } }[], t: number): void {
    const ids = new Set(voices.map((v) => v.id));
    const held = new Set(voices.map((v) => v.note));
    // A snapshot's note bar goes on as the first voice of its note that has none.
    const adopt = new Map<number, NoteBar>();
    for (const [key, bar] of this.sounding) {
      if (typeof key === 'string' && held.has(bar.note)) adopt.set(bar.note, bar);
      else if (typeof key === 'number' && ids.has(key)) continue;
      else bar.end = Number.isNaN(bar.end) ? t : Math.min(bar.end, t);
      this.sounding.delete(key);
    }
    for (const v of voices) {
      if (this.sounding.has(v.id)) continue;
      const bar = adopt.get(v.note);
      if (bar !== undefined) {
        adopt.delete(v.note);
        bar.voice = v.id;
        bar.owner = v.owner;
        this.sounding.set(v.id, bar);
      } else {
        // a sample's bar is as long as it plays (a loop's, until it is let go)
        const end = v.drum !== undefined ? t + DRUM_SECONDS[v.drum] / (v.rate ?? 1) : v.sample?.seconds !== undefined ? t + v.sample.seconds : NaN;
        this.startBar(v.id, { note: v.note, start: t, end, voice: v.id, owner: v.owner });
      }
    }
    for (const bar of adopt.values()) bar.end = t;
  }

  private startBar(key: number | string, bar: NoteBar): void {
    this.sounding.set(key, bar);
    this.bars.push(bar);
    if (bar.note < this.low) this.low = bar.note;
    if (bar.note > this.high) this.high = bar.note;
  }

  /** Notes sounding now, ascending. */
  get activeNotes(): number[] {
    return [...new Set([...this.sounding.values()].map((bar) => bar.note))].sort((a, b) => a - b);
  }
}
