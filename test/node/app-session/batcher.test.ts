import { describe, expect, it } from 'vitest';
import { EventBatcher } from '../../../src/node/app-session/batcher';
import type { SessionEvent } from '../../../src/core/session/api';

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
