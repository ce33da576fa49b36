import type { SessionEvent } from '../../core/session/api';

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "60 C5": the note's number and its name in scientific pitch notation. */
export function noteLabel(note: number): string {
  return `${note} ${NAMES[note % 12]}${Math.floor(note / 12)}`;
}

/** At most one loop-lag line this often (ms of real time); the lags between are counted into it. */
export const LAG_LINE_EVERY_MS = 1000;

/** The real clock and its timer (a test passes a fake). */
export interface LogClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: LogClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

interface LagCount {
  count: number;
  worst: number;
  lastT: number;
}

/**
 * A live log of what sounds, for a run without audio output: one line per
 * change. Loop lag is coalesced: a lag a second or more after the last lag
 * line is printed at once; the lags within the next second are counted and
 * printed as one line when it is over (`repeat 1000 spawn loop beep 60 0.001`
 * once printed 476,992 lag lines, 25 MB, in 7.6 s).
 */
export class NoteLog {
  private lastLagLine = -Infinity;
  private pending: LagCount | null = null;
  private timer: unknown = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: LogClock = realClock,
  ) {}

  onEvent(event: SessionEvent): void {
    if (event.type === 'notes') {
      const what = event.notes.length === 0 ? 'silence' : event.notes.map(noteLabel).join(', ');
      this.write(`${stamp(event.t)}  ${what}\n`);
    } else if (event.type === 'loop-lag') {
      this.onLag(event.t, event.late);
    }
  }

  /** Print the lags counted and not yet printed (the run is over). */
  close(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.flushLags();
  }

  private onLag(t: number, late: number): void {
    const now = this.clock.now();
    if (this.pending === null && now - this.lastLagLine >= LAG_LINE_EVERY_MS) {
      this.lastLagLine = now;
      this.write(`${stamp(t)}  loop lag: a resumption ran ${ms(late)} late\n`);
      return;
    }
    if (this.pending === null) {
      this.pending = { count: 0, worst: 0, lastT: t };
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.flushLags();
      }, this.lastLagLine + LAG_LINE_EVERY_MS - now);
    }
    this.pending.count++;
    this.pending.worst = Math.max(this.pending.worst, late);
    this.pending.lastT = t;
  }

  private flushLags(): void {
    const lags = this.pending;
    if (lags === null) return;
    this.pending = null;
    this.lastLagLine = this.clock.now();
    const what = lags.count === 1 ? `a resumption ran ${ms(lags.worst)} late` : `${lags.count.toLocaleString('en-US')} resumptions ran late, the worst ${ms(lags.worst)}`;
    this.write(`${stamp(lags.lastT)}  loop lag: ${what}\n`);
  }
}

function stamp(t: number): string {
  return `${t.toFixed(3).padStart(9)} s`;
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)} ms`;
}
