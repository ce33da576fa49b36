/**
 * set-paused on the app's real engine (a RealTimeDriver): the logical clock
 * holds while paused, a line typed meanwhile starts only at continue's time
 * with nothing late, and every view of the session hears that it is paused.
 */
import { describe, expect, it } from 'vitest';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import type { HostMessage, SessionEvent } from '../../../src/protocol';

/** The last clock message a view got (the inspector follows it: stepping.ts). */
const lastClock = (messages: HostMessage[]) => messages.filter((m) => m.type === 'clock').at(-1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function viewOf(): { view: View; messages: HostMessage[]; events: () => SessionEvent[] } {
  const messages: HostMessage[] = [];
  return {
    view: { send: (m) => messages.push(m) },
    messages,
    events: () => messages.flatMap((m) => (m.type === 'events' ? m.events : [])),
  };
}

describe('pause and continue (set-paused)', () => {
  it('holds logical time: a beep typed while paused starts at continue’s time, and nothing is late', async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    const first = viewOf();
    const second = viewOf();
    app.attach(first.view);
    app.attach(second.view);
    try {
      await app.request('submit-line', { line: 'beep 60 0.25' });
      await sleep(100);
      const paused = await app.request('set-paused', { paused: true });
      expect(paused).toMatchObject({ ok: true, value: { paused: true } });
      if (!paused.ok) return;
      const pausedAt = paused.value.t;
      expect(pausedAt).toBeGreaterThan(0);
      // Every view hears the paused fact, at the time it paused.
      for (const v of [first, second]) expect(lastClock(v.messages)).toEqual({ type: 'clock', clock: expect.objectContaining({ paused: true, t: pausedAt }) });
      // A page that attaches now is told in its snapshot.
      const third = viewOf();
      app.attach(third.view);
      expect(third.messages[0]).toMatchObject({ type: 'snapshot', clock: { paused: true, t: pausedAt } });

      await app.request('submit-line', { line: 'beep 64 0.25' });
      await sleep(400);
      // Nothing ran: logical time stood still and the typed beep waits.
      expect(app.clockInfo().t).toBe(pausedAt);
      expect(first.events().some((e) => e.type === 'task-created' && e.name === 'beep 64 0.25')).toBe(false);

      const resumed = await app.request('set-paused', { paused: false });
      expect(resumed).toEqual({ ok: true, value: { paused: false, t: pausedAt } });
      expect(lastClock(second.messages)).toMatchObject({ type: 'clock', clock: { t: pausedAt } });
      expect(lastClock(second.messages)).not.toMatchObject({ clock: { paused: true } });
      await sleep(500);
      const events = first.events();
      const beep = events.find((e) => e.type === 'task-created' && e.name === 'beep 64 0.25');
      expect(beep).toBeDefined();
      // It starts at continue's time: no logical time was skipped over the 400 ms paused.
      expect(beep!.t).toBeGreaterThanOrEqual(pausedAt);
      expect(beep!.t - pausedAt).toBeLessThan(0.2);
      expect(events.filter((e) => e.type === 'loop-lag' || e.type === 'engine-behind')).toEqual([]);
      expect(app.clockInfo().t).toBeGreaterThan(pausedAt);
    } finally {
      app.dispose();
    }
  });

  it('still panics while paused, and pausing twice changes nothing', async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    const v = viewOf();
    app.attach(v.view);
    try {
      await app.request('submit-line', { line: 'add 60' });
      await sleep(100);
      expect(app.snapshotMessage().snapshot.notes).toEqual([60]);
      await app.request('set-paused', { paused: true });
      const clocks = v.messages.filter((m) => m.type === 'clock').length;
      expect(await app.request('set-paused', { paused: true })).toMatchObject({ ok: true, value: { paused: true } });
      expect(v.messages.filter((m) => m.type === 'clock')).toHaveLength(clocks);
      expect(await app.request('panic', {})).toEqual({ ok: true, value: null });
      expect(app.snapshotMessage().snapshot.notes).toEqual([]);
      expect(app.paused).toBe(true);
    } finally {
      app.dispose();
    }
  });

  it('refuses a malformed set-paused', async () => {
    const app = new AppSession({ createEngine: createRealEngine });
    try {
      expect(await app.handle({ id: 1, type: 'set-paused', paused: 'yes' }, null)).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
      expect(app.paused).toBe(false);
    } finally {
      app.dispose();
    }
  });
});
