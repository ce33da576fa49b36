/**
 * Every event of the host's engine session, so that a reloaded or reconnected
 * renderer is shown the whole session, not just its last moments. Memory is
 * capped by a count of events (an event is ~0.22 KB in V8, measured, so the default
 * million is ~220 MB at most); past the cap the oldest are dropped, and the
 * count of dropped ones is kept so the renderer can say so.
 */
import type { SessionEvent } from '../../core/session/api';

/** Events the host keeps per session by default (the README's "Limits"). */
export const HISTORY_CAP_EVENTS = 1_000_000;

export class SessionHistory {
  private readonly ring: SessionEvent[] = [];
  /** Index in `ring` of the oldest event held, once the ring is full. */
  private start = 0;
  /** Events the session published (held or dropped). */
  private published = 0;

  constructor(readonly cap = HISTORY_CAP_EVENTS) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`history cap must be a positive integer, got ${cap}`);
  }

  push(event: SessionEvent): void {
    if (this.ring.length < this.cap) this.ring.push(event);
    else {
      this.ring[this.start] = event;
      this.start = (this.start + 1) % this.cap;
    }
    this.published++;
  }

  /** The sequence number (0 = the session's first event) after the newest event. */
  get end(): number {
    return this.published;
  }

  /** The sequence number of the oldest event still held. */
  get first(): number {
    return this.published - this.ring.length;
  }

  /** How many of the oldest events were dropped for the cap. */
  get dropped(): number {
    return this.first;
  }

  get length(): number {
    return this.ring.length;
  }

  /** The events held with sequence numbers in [from, to), oldest first (clamped to what is held). */
  slice(from: number, to = this.published): SessionEvent[] {
    const lo = Math.max(from, this.first) - this.first;
    const hi = Math.min(to, this.published) - this.first;
    const out: SessionEvent[] = [];
    for (let i = lo; i < hi; i++) out.push(this.ring[(this.start + i) % this.ring.length]);
    return out;
  }

  /** A new engine session: forget the old one's events. */
  clear(): void {
    this.ring.length = 0;
    this.start = 0;
    this.published = 0;
  }
}
