import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/session/api';
import { LAG_LINE_EVERY_MS, NoteLog, type LogClock } from '../../../src/node/cli/note-log';

/** A clock moved by hand, with timers that fire when it passes them. */
class FakeClock implements LogClock {
  time = 0;
  private timers: { at: number; run: () => void }[] = [];
  now = (): number => this.time;
  setTimeout = (run: () => void, ms: number): unknown => {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (timer: unknown): void => {
    this.timers = this.timers.filter((t) => t !== timer);
  };
  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.time)) {
      this.timers = this.timers.filter((t) => t !== timer);
      timer.run();
    }
  }
}

const lag = (t: number, late: number) => ({ type: 'loop-lag', t, late }) as unknown as SessionEvent;

/** The resumptions a lag line accounts for. */
const counted = (line: string): number => {
  const many = /loop lag: ([\d,]+) resumptions/.exec(line);
  return many ? Number(many[1].replace(/,/g, '')) : 1;
};

describe('NoteLog coalesces loop lag', () => {
  it('a flood of lags: at most one line a second, and the lines count every lag', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const log = new NoteLog((text) => lines.push(text), clock);
    const seconds = 5;
    const perMs = 20;
    for (let ms = 0; ms < seconds * 1000; ms++) {
      for (let i = 0; i < perMs; i++) log.onEvent(lag(ms / 1000, 0.002 + (ms === 2500 && i === 3 ? 0.5 : 0)));
      clock.advance(1);
    }
    log.close();
    expect(lines.length).toBeLessThanOrEqual(seconds * (1000 / LAG_LINE_EVERY_MS) + 1);
    expect(lines.reduce((sum, line) => sum + counted(line), 0)).toBe(seconds * 1000 * perMs);
    expect(lines.some((line) => line.includes('the worst 502.0 ms'))).toBe(true);
  });

  it('a lag after a quiet second is printed at once, as it was', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const log = new NoteLog((text) => lines.push(text), clock);
    log.onEvent(lag(1, 0.0123));
    clock.advance(1500);
    log.onEvent(lag(2.5, 0.004));
    expect(lines).toEqual(['    1.000 s  loop lag: a resumption ran 12.3 ms late\n', '    2.500 s  loop lag: a resumption ran 4.0 ms late\n']);
  });

  it('lags counted when the run ends are printed by close', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const log = new NoteLog((text) => lines.push(text), clock);
    for (let i = 0; i < 3; i++) log.onEvent(lag(i / 100, 0.01));
    expect(lines).toHaveLength(1);
    log.close();
    expect(lines.at(-1)).toBe('    0.020 s  loop lag: 2 resumptions ran late, the worst 10.0 ms\n');
  });
});
