import { describe, expect, it } from 'vitest';
import { EventBatcher, INPUT_INTERVAL_MS, INPUT_QUIET_MS } from '../../../src/node/app-session/batcher';
import type { SessionEvent } from '../../../src/core/session/api';
import { DEFAULT_INPUT_LOOKAHEAD } from '../../../src/renderer/audio/schedule';

function fakeTimers() {
  let now = 0;
  let armed: (() => void) | null = null;
  return {
    timers: {
      nowMs: () => now,
      setTimeout: (cb: () => void) => (armed = cb),
      clearTimeout: () => (armed = null),
    },
    tick(ms: number) {
      now += ms;
      const cb = armed;
      armed = null;
      cb?.();
    },
  };
}

const stamp = { t: 0, wall: 0 };
const running = (id: number): SessionEvent => ({ ...stamp, type: 'task-running', id });
const sleeping = (id: number): SessionEvent => ({ ...stamp, type: 'task-sleeping', id, until: 1 });
const notes = (n: number[]): SessionEvent => ({ type: 'notes', t: 0, ns: 0, wall: 0, notes: n, freqs: n });

describe('EventBatcher under a flood', () => {
  it('sends everything while under the rate', () => {
    const clock = fakeTimers();
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers: clock.timers, maxPerSecond: 100 });
    for (let i = 0; i < 10; i++) b.push(i % 2 ? running(1) : sleeping(1));
    clock.tick(16);
    expect(sent.flat()).toHaveLength(10);
    expect(b.coalesced).toBe(0);
  });

  it('beyond the rate keeps only the last state of each task, and every notes event, in order', () => {
    const clock = fakeTimers();
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers: clock.timers, maxPerSecond: 100, maxEvents: 50 });
    for (let round = 0; round < 100; round++) {
      for (let id = 1; id <= 3; id++) b.push(round % 2 ? sleeping(id) : running(id));
      if (round % 10 === 0) b.push(notes([round]));
    }
    clock.tick(16);
    const all = sent.flat();
    expect(all.filter((e) => e.type === 'notes').map((e) => e.type === 'notes' && e.notes[0])).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    // The first 100 go out as they are (the rate); the other 230 become one state per task, and the notes.
    expect(all.length).toBeLessThan(100 + 3 + 10);
    expect(all.at(-1)).toMatchObject({ type: 'task-sleeping' });
    expect(b.coalesced).toBeGreaterThan(200);
  });
});

describe('EventBatcher: what a listener hears without waiting', () => {
  it('the first event after a quiet interval goes at the end of the turn, with what that turn pushed', () => {
    const clock = fakeTimers();
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers: clock.timers });
    b.push(running(1));
    b.push(sleeping(1));
    expect(b.dueInMs).toBe(0);
    clock.tick(0);
    expect(sent).toEqual([[running(1), sleeping(1)]]);
    // right after a batch, the next one waits out the rest of the interval
    clock.tick(4);
    b.push(running(2));
    expect(b.dueInMs).toBe(12);
  });

  it('a note that starts sound after silence goes at once, even right after a batch; held notes wait', () => {
    const clock = fakeTimers();
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers: clock.timers });
    b.push(running(1));
    clock.tick(0);
    clock.tick(2);
    b.push(running(1));
    expect(b.dueInMs).toBe(14);
    b.push(notes([60]));
    expect(b.dueInMs).toBe(0);
    clock.tick(0);
    expect(sent.at(-1)).toEqual([running(1), notes([60])]);
    // a change while notes sound is not a start: it keeps the interval
    clock.tick(2);
    b.push(notes([60, 64]));
    expect(b.dueInMs).toBe(14);
  });

  it('sends early for a note at most once an interval, so a staccato flood keeps the message rate', () => {
    // timers that keep their ms: one fires once the clock has reached it
    let now = 0;
    let armed: { cb: () => void; at: number } | null = null;
    const timers = {
      nowMs: () => now,
      setTimeout: (cb: () => void, ms: number) => (armed = { cb, at: now + ms }),
      clearTimeout: () => (armed = null),
    };
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers });
    for (let i = 0; i < 160; i++) {
      b.push(notes(i % 2 ? [] : [60]));
      now += 1;
      const due = armed as { cb: () => void; at: number } | null;
      if (due !== null && due.at <= now) {
        armed = null;
        due.cb();
      }
    }
    b.flush();
    // 160 ms of events, 80 note starts: about one batch per 16 ms, not one per note
    expect(sent.length).toBeLessThanOrEqual(160 / 16 + 2);
    expect(sent.flat()).toHaveLength(160);
  });
});

describe("EventBatcher: a typed line's notes are not held for the interval (issue 18, item 17)", () => {
  it('while a typed line plays, each notes change goes within INPUT_INTERVAL_MS, not the 16 ms interval', () => {
    const clock = fakeTimers();
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers: clock.timers });
    b.expectInput();
    b.push(notes([60]));
    expect(b.dueInMs).toBe(0);
    clock.tick(0);
    // 2 ms later the line's next change (a note added, then all released): due 2 ms later, with no interval
    clock.tick(2);
    b.push(notes([60, 64]));
    expect(b.dueInMs).toBe(INPUT_INTERVAL_MS - 2);
    clock.tick(INPUT_INTERVAL_MS - 2);
    expect(sent.at(-1)).toEqual([notes([60, 64])]);
    clock.tick(30);
    b.push(notes([]));
    expect(b.dueInMs).toBe(0);
    // a task's state change is not sound: it keeps the interval
    clock.tick(0);
    b.push(running(1));
    expect(b.dueInMs).toBe(16);
  });

  it("without a typed line (a script), a change while notes sound waits out the interval", () => {
    const clock = fakeTimers();
    const b = new EventBatcher(() => {}, { timers: clock.timers });
    b.push(notes([60]));
    clock.tick(0);
    clock.tick(2);
    b.push(notes([60, 64]));
    expect(b.dueInMs).toBe(14);
  });

  it('the typed line stops counting once its sound has rested INPUT_QUIET_MS; while it sounds it counts on', () => {
    const clock = fakeTimers();
    const b = new EventBatcher(() => {}, { timers: clock.timers });
    b.expectInput();
    // a typed line that keeps sounding for 3 s (a note every 500 ms) keeps its notes quick
    for (let i = 0; i < 6; i++) {
      b.push(notes([60 + i]));
      clock.tick(0);
      clock.tick(2);
      b.push(notes([60 + i, 72]));
      expect(b.dueInMs).toBeLessThanOrEqual(INPUT_INTERVAL_MS);
      clock.tick(500);
    }
    b.push(notes([]));
    clock.tick(0);
    clock.tick(INPUT_QUIET_MS + 1);
    // after the rest, the same changes are a script's again
    b.push(notes([60]));
    clock.tick(0);
    clock.tick(2);
    b.push(notes([60, 64]));
    expect(b.dueInMs).toBe(14);
  });

  it('a flood of changes in a typed line goes at most once every INPUT_INTERVAL_MS', () => {
    let now = 0;
    let armed: { cb: () => void; at: number } | null = null;
    const timers = {
      nowMs: () => now,
      setTimeout: (cb: () => void, ms: number) => (armed = { cb, at: now + ms }),
      clearTimeout: () => (armed = null),
    };
    const sent: SessionEvent[][] = [];
    const b = new EventBatcher((e) => sent.push(e), { timers });
    b.expectInput();
    for (let i = 0; i < 160; i++) {
      b.push(notes([60 + (i % 12)]));
      now += 1;
      const due = armed as { cb: () => void; at: number } | null;
      if (due !== null && due.at <= now) {
        armed = null;
        due.cb();
      }
    }
    b.flush();
    expect(sent.length).toBeLessThanOrEqual(160 / INPUT_INTERVAL_MS + 2);
    expect(sent.length).toBeGreaterThan(160 / 16 + 2);
    expect(sent.flat()).toHaveLength(160);
  });
});

describe("the input lookahead covers the trip's jitter, not the host's batch interval", () => {
  it("is shorter than the host's batch interval, and longer than the spacing of a typed line's early batches", () => {
    // the interval a script's events may wait on the host (the batcher's default)
    let interval = NaN;
    const b = new EventBatcher(() => {}, { timers: { nowMs: () => 100, setTimeout: (_cb, ms) => (interval = ms), clearTimeout: () => {} } });
    b.flush();
    b.push(notes([]));
    b.flush();
    b.push(notes([]));
    expect(interval).toBeGreaterThan(0);
    expect(DEFAULT_INPUT_LOOKAHEAD * 1000).toBeLessThan(interval);
    expect(DEFAULT_INPUT_LOOKAHEAD * 1000).toBeGreaterThan(INPUT_INTERVAL_MS);
  });
});
