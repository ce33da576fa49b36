/** The engine's lifetime in a host session: a fresh engine after quit, closed engines, speed carried over. */
import { describe, expect, it } from 'vitest';
import { eventsOf, setup } from '../../support/app-session/support';

describe('engine lifetime', () => {
  it('starts a fresh session after quit and sends every view its snapshot', async () => {
    const { app, received, view, run } = setup();
    app.attach(view);
    const first = app.sessionId;
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'quit' }, view);
    run();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.sessionId).not.toBe(first);
    const last = received.filter((m) => m.type === 'snapshot').at(-1);
    expect(last).toMatchObject({ sessionId: app.sessionId, snapshot: { notes: [] } });
    expect(received.some((m) => m.type === 'notice')).toBe(true);
    expect(eventsOf(received).some((e) => e.type === 'session-ended')).toBe(true);
    // The new session plays.
    await app.handle({ id: 3, type: 'submit-line', line: 'add 62' }, view);
    run();
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
  });

  it('closes the old engine (its worker threads) when quit replaces it, and when disposed', async () => {
    const { app, view, run, closedEngines } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'quit' }, view);
    run();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(closedEngines()).toBe(1);
    app.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(closedEngines()).toBe(2);
  });
});

describe('speed', () => {
  it('sets the clock speed, tells every view where it changed, and keeps it for the session after a quit', async () => {
    const { app, timers, received, view, run, clocks } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    run(1.5);
    const reply = await app.handle({ id: 2, type: 'set-speed', speed: 0.5 }, view);
    expect(reply).toEqual({ type: 'reply', id: 2, ok: true, value: { speed: 0.5 } });
    expect(clocks[0].speed).toBe(0.5);
    // the events before the change went out before the clock message
    const clockAt = received.findIndex((m) => m.type === 'clock');
    expect(received[clockAt]).toMatchObject({ type: 'clock', clock: { t: 1.5, speed: 0.5 } });
    expect(received.findIndex((m) => m.type === 'events')).toBeLessThan(clockAt);
    expect(app.snapshotMessage().clock.speed).toBe(0.5);
    // speeds other than 1, 1/2 and 1/4 are refused
    for (const speed of [0, 2, 0.3, -1]) {
      expect(await app.handle({ id: 3, type: 'set-speed', speed }, view)).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    }
    expect(clocks[0].speed).toBe(0.5);
    await app.handle({ id: 4, type: 'submit-line', line: 'quit' }, view);
    run();
    timers.fire();
    await new Promise((r) => setTimeout(r, 0));
    expect(clocks).toHaveLength(2);
    expect(clocks[1].speed).toBe(0.5);
  });
});
