/**
 * The host session's requests, views and snapshots, and its terminal source,
 * on the core's real Session driven on its virtual clock (so the test
 * controls time).
 */
import { describe, expect, it } from 'vitest';
import type { HostMessage } from '../../../src/protocol';
import { eventsOf, notesEvents, setup } from '../../support/app-session/support';

describe('AppSession', () => {
  it('sends a new view a snapshot, then batches of events', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    expect(received[0]).toMatchObject({ type: 'snapshot', protocol: 1, snapshot: { notes: [] } });

    const reply = await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    expect(reply).toEqual({ type: 'reply', id: 1, ok: true, value: { source: 'terminal' } });
    run();
    // Nothing is sent event by event: the batch waits for its timer.
    expect(received).toHaveLength(1);
    timers.fire();
    expect(received).toHaveLength(2);
    expect(received[1].type).toBe('events');
    expect(notesEvents(received).map((e) => e.type === 'notes' && e.notes)).toEqual([[60]]);
  });

  it("a typed line's later note change is sent within a few ms, not after the batch interval; a script's waits for it (issue 18, item 17)", async () => {
    // timers that say when they are due, on a clock the test moves
    let now = 0;
    const due: number[] = [];
    let armed: (() => void) | null = null;
    const timers = {
      nowMs: () => now,
      setTimeout: (cb: () => void, ms: number) => {
        due.push(ms);
        return (armed = cb);
      },
      clearTimeout: () => (armed = null),
    };
    const fire = () => {
      const cb = armed;
      armed = null;
      cb?.();
    };
    const dueOfRelease = async (request: Parameters<typeof app.handle>[0]) => {
      const t0 = sessions.at(-1)!.scheduler.nowNanos / 1e9;
      await app.handle(request, view);
      run(t0 + 0.001);
      // the note starts: its batch goes at once
      fire();
      // 2 ms later (host time) its release (beep 60 0.002) is pushed: when is it due?
      now += 2;
      due.length = 0;
      run(t0 + 0.003);
      const ms = due.at(-1);
      fire();
      now += 5000;
      run(t0 + 5);
      return ms;
    };
    const { app, view, run, sessions } = setup({ timers });
    app.attach(view);
    const typed = await dueOfRelease({ id: 1, type: 'submit-line', line: 'beep 60 0.002' });
    const script = await dueOfRelease({ id: 2, type: 'load-script', name: 's.txt', text: 'beep 60 0.002\n' });
    expect(typed).toBeLessThanOrEqual(4);
    expect(script).toBeGreaterThanOrEqual(14);
  });

  it('splits a burst into batches of at most maxEvents', async () => {
    const { app, timers, received, view, run } = setup({ maxEvents: 5 });
    app.attach(view);
    for (let i = 0; i < 10; i++) await app.handle({ id: i, type: 'submit-line', line: `add ${60 + i}` }, view);
    run();
    timers.fire();
    const batches = received.filter((m) => m.type === 'events');
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(b.type === 'events' && b.events.length).toBeLessThanOrEqual(5);
    expect(notesEvents(received).at(-1)).toMatchObject({ notes: [60, 61, 62, 63, 64, 65, 66, 67, 68, 69] });
  });

  it('gives a renderer that attaches later (a reload) the notes and tasks as they stand', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'chord 5 64 67' }, view);
    run(1);
    const later: HostMessage[] = [];
    app.attach({ send: (m) => later.push(m) });
    expect(later).toHaveLength(1);
    const snapshot = later[0];
    expect(snapshot.type).toBe('snapshot');
    if (snapshot.type !== 'snapshot') return;
    expect(snapshot.sessionId).toBe(app.sessionId);
    expect(snapshot.snapshot.notes).toEqual([60, 64, 67]);
    expect(snapshot.snapshot.tasks.map((t) => t.name)).toContain('chord 5 64 67');
    expect(snapshot.snapshot.recent.some((e) => e.type === 'notes')).toBe(true);
  });

  it('answers an invalid request with an error and changes nothing', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const before = app.snapshotMessage().snapshot;
    const bad: unknown[] = [
      { id: 1, type: 'submit-line', line: 42 },
      { id: 2, type: 'cancel-task' },
      { id: 3, type: 'rm -rf' },
      'panic',
      null,
      { id: 4, type: 'load-script', name: 'x.txt', text: 'x'.repeat(5_000_000) },
    ];
    for (const input of bad) {
      const reply = await app.handle(input, view);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('invalid-message');
    }
    run();
    timers.fire();
    expect(received.filter((m) => m.type === 'events')).toEqual([]);
    expect(app.snapshotMessage().snapshot).toEqual(before);
  });

  it('plays nothing of a script with a parse error, and answers with every error located', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const reply = await app.handle({ id: 1, type: 'load-script', name: 'song.txt', text: 'add 60\nfrobnicate 3\nwait 1\nchord x 60\nremove 60\n' }, view);
    expect(reply).toMatchObject({ ok: false, error: { code: 'parse-error' } });
    if (reply.ok) return;
    expect(reply.error.message).toContain('song.txt: not played, 2 errors');
    expect(reply.error.diagnostics!.map((d) => [d.source, d.line])).toEqual([['song.txt', 2], ['song.txt', 4]]);
    run(2);
    timers.fire();
    expect(notesEvents(received)).toEqual([]);
    expect(eventsOf(received).some((e) => e.type === 'task-created' && e.source === 'song.txt')).toBe(false);
    expect(app.snapshotMessage().script).toBeNull();
    // A good script plays.
    expect(await app.handle({ id: 2, type: 'load-script', name: 'good.txt', text: 'add 60\nwait 1\nremove 60\n' }, view)).toMatchObject({ ok: true, value: { started: true, diagnostics: [] } });
    run();
    timers.fire();
    expect(notesEvents(received).map((e) => e.type === 'notes' && e.notes)).toEqual([[60], []]);
    expect(app.snapshotMessage().script).toEqual({ name: 'good.txt' });
  });

  it('a script opened from a menu (no reply to carry its errors) sends them to every view as diagnostics', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const result = await app.openScript('menu.txt', 'beep 60\nbeep zz\n');
    expect(result.started).toBe(false);
    run(1);
    timers.fire();
    const diagnostics = eventsOf(received).filter((e) => e.type === 'diagnostic');
    expect(diagnostics.map((e) => e.type === 'diagnostic' && [e.diagnostic.source, e.diagnostic.line])).toEqual([['menu.txt', 2]]);
    expect(received.some((m) => m.type === 'notice' && m.level === 'error' && m.text.includes('menu.txt: not played'))).toBe(true);
    expect(notesEvents(received)).toEqual([]);
  });

  it('stops a source, cancels a task, stops all and panics on request', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'load-script', name: 'a.txt', text: 'chord 10 60\n' }, view);
    await app.handle({ id: 2, type: 'load-script', name: 'b.txt', text: 'chord 10 64\n' }, view);
    run(1);
    expect(app.snapshotMessage().snapshot.notes).toEqual([60, 64]);
    expect(await app.handle({ id: 3, type: 'stop-source', source: 'a.txt' }, view)).toMatchObject({ ok: true, value: { stopped: true } });
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64]);
    const chord = app.snapshotMessage().snapshot.tasks.find((t) => t.name === 'chord 10 64')!;
    expect(await app.handle({ id: 4, type: 'cancel-task', taskId: chord.id }, view)).toMatchObject({ ok: true, value: { cancelled: true } });
    run(3);
    expect(await app.handle({ id: 5, type: 'cancel-task', taskId: chord.id }, view)).toMatchObject({ ok: true, value: { cancelled: false } });
    expect(app.snapshotMessage().snapshot.notes).toEqual([]);
    await app.handle({ id: 6, type: 'submit-line', line: 'add 70' }, view);
    run(4);
    expect(app.snapshotMessage().snapshot.notes).toEqual([70]);
    expect(await app.handle({ id: 7, type: 'panic' }, view)).toMatchObject({ ok: true });
    run(5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([]);
  });

  it('plays a line typed right after stop-all or panic, in a fresh terminal source', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'chord 10 60' }, view);
    run(1);
    await app.handle({ id: 2, type: 'stop-all' }, view);
    await app.handle({ id: 3, type: 'submit-line', line: 'add 62' }, view);
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
    await app.handle({ id: 4, type: 'panic' }, view);
    await app.handle({ id: 5, type: 'submit-line', line: 'add 64' }, view);
    run(3);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64]);
    // Only one terminal source is alive: typed lines still run one after another.
    await app.handle({ id: 6, type: 'submit-line', line: 'chord 1 70' }, view);
    await app.handle({ id: 7, type: 'submit-line', line: 'add 72' }, view);
    run(3.5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64, 70]);
    run(4.5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64, 72]);
  });

  it('interrupts the terminal (Ctrl+C): the running line stops, queued ones are dropped, new ones play', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'chord 10 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'add 61' }, view);
    run(1);
    expect(app.snapshotMessage().snapshot.notes).toEqual([60]);
    expect(await app.handle({ id: 3, type: 'interrupt-source', source: 'terminal' }, view)).toMatchObject({ ok: true, value: { interrupted: true } });
    await app.handle({ id: 4, type: 'submit-line', line: 'add 62' }, view);
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
  });


  it('runs a typed request (the menu’s) through the same handler as a renderer’s, and none once closed', async () => {
    const { app, received, view } = setup();
    app.attach(view);
    expect(await app.request('set-speed', { speed: 0.5 })).toEqual({ ok: true, value: { speed: 0.5 } });
    expect(received.at(-1)).toMatchObject({ type: 'clock', clock: { speed: 0.5 } });
    expect(await app.handle({ id: 1, type: 'set-speed', speed: 1 }, view)).toEqual({ type: 'reply', id: 1, ok: true, value: { speed: 1 } });
    expect(await app.request('export-audio', {})).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringContaining('nothing to export') } });
    app.dispose();
    expect(await app.request('panic', {})).toMatchObject({ ok: false, error: { code: 'session-ended' } });
    expect(await app.handle({ id: 2, type: 'panic' }, view)).toMatchObject({ id: 2, ok: false, error: { code: 'session-ended' } });
  });
});
