/**
 * Logical time as heard now: the audio clock's once notes have fixed its
 * mapping; before that the host clock's, less what the audio will add (the
 * lookahead and output latency, in logical seconds), so the cursor does not
 * jump back when the first note arrives. It never steps back by less than a
 * second either (a clock handing over to another); a bigger step back is a
 * new clock.
 */
import type { AudioEngine } from '../audio/engine';
import type { Panel } from '../panel';
import type { SessionFeed } from './feed';

export class HeardClock implements Panel {
  /** The last reading: it never steps back by a little. */
  private shownNow = -Infinity;

  constructor(
    private readonly feed: SessionFeed,
    private readonly audio: AudioEngine,
  ) {}

  onSnapshot(): void {
    this.shownNow = -Infinity;
  }

  /** Logical time now, as the cursor shows it. */
  now(): number {
    const t = this.read();
    if (t < this.shownNow && this.shownNow - t < 1) return this.shownNow;
    this.shownNow = t;
    return t;
  }

  /** Now on the timeline (where the current session's times are drawn, after those before a quit). */
  timelineNow(): number {
    return this.feed.model.base + this.now();
  }

  /** The clock's own reading, before the guard against small steps back. */
  read(): number {
    // Paused, the session's logical time stands where the host paused it: the cursor stops there.
    if (this.feed.clock?.paused === true && !this.feed.sessionEnded) return this.feed.clock.t;
    const audio = this.audio.logicalNow();
    if (audio !== null) return Math.max(0, audio);
    const { clock, lastEventT } = this.feed;
    if (this.feed.sessionEnded) return lastEventT;
    if (clock) {
      const host = clock.t + ((Date.now() - clock.epochMs) / 1000) * clock.speed;
      if (this.audio.state === 'running') return Math.max(0, host - this.audio.heardDelay * clock.speed);
      return Math.max(host, lastEventT);
    }
    return lastEventT;
  }
}
