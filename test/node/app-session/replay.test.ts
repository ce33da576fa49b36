/**
 * replay-from on the app's real engine: the session is rebuilt offline at a
 * moment of its past, found equal to what the views saw up to there, and goes
 * on from it (paused there, then continued); a rebuild that differs is refused
 * with what differs, and the session goes on untouched.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateFromEvents } from '../../../src/core/debug/replay-check';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import type { HostMessage, HostMessageOf, SessionEvent } from '../../../src/protocol';
import { EXAMPLES, setup } from '../../support/app-session/support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function viewOf() {
  const messages: HostMessage[] = [];
  const view: View = { send: (m) => messages.push(m) };
  return {
    view,
    messages,
    events: () => messages.flatMap((m) => (m.type === 'events' ? m.events : [])),
    /** The events sent after the last snapshot. */
    eventsSinceSnapshot: () => {
      const from = messages.findLastIndex((m) => m.type === 'snapshot');
      return messages.slice(from + 1).flatMap((m) => (m.type === 'events' ? m.events : []));
    },
    lastSnapshot: () => messages.filter((m): m is HostMessageOf<'snapshot'> => m.type === 'snapshot').at(-1),
  };
}

/** Events as the timeline compares them: without wall stamps and lag marks. */
const plain = (events: SessionEvent[]) => events.filter((e) => e.type !== 'loop-lag' && e.type !== 'engine-behind').map(({ wall: _w, ...e }) => JSON.stringify(e));

describe('replay from here (replay-from)', () => {
  it('rebuilds a typed session with a lesson and a cancel at a moment, equal to the original there, paused; then it goes on', async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 }, examplesDir: EXAMPLES });
    const v = viewOf();
    app.attach(v.view);
    try {
      await app.request('submit-line', { line: 'bpm 150' });
      await sleep(37);
      await app.request('submit-line', { line: 'live a beep choose(60,64,67) 0.25' });
      await sleep(53);
      await app.request('load-example', { file: 'live-loop.txt' });
      await sleep(71);
      await app.request('submit-line', { line: 'beep 72 8 &' });
      await sleep(120);
      const held = v.events().find((e) => e.type === 'task-created' && e.name === 'beep 72 8');
      expect(held).toBeDefined();
      await app.request('cancel-task', { taskId: (held as { id: number }).id });
      await sleep(300);
      const sessionBefore = app.sessionId;
      const t = Math.round(app.clockInfo().t * 0.8 * 1000) / 1000;
      const seen = v.events().filter((e) => e.t <= t);

      const reply = await app.request('replay-from', { t, paused: true });
      expect(reply).toMatchObject({ ok: true, value: { t, paused: true } });
      const snapshot = v.lastSnapshot()!;
      expect(app.sessionId).not.toBe(sessionBefore);
      expect(snapshot.sessionId).toBe(app.sessionId);
      // Paused at T: the clock says so, and it stands there.
      expect(snapshot.clock).toMatchObject({ paused: true, t });
      await sleep(100);
      expect(app.clockInfo().t).toBe(t);
      // The rebuilt state is the original's at T: its events up to T, its live tasks (names, states), its notes.
      expect(plain(snapshot.snapshot.recent)).toEqual(plain(seen));
      const original = stateFromEvents(seen);
      expect(new Map(snapshot.snapshot.tasks.map((task) => [task.id, task.name]))).toEqual(
        new Map([...original.tasks].map(([id, text]) => [id, JSON.parse(text.slice(0, text.lastIndexOf('"') + 1)) as string])),
      );
      expect(snapshot.snapshot.notes).toEqual(original.notes);
      // The typed loop and the lesson's loops are live there.
      expect(snapshot.snapshot.tasks.map((task) => task.name).join('\n')).toMatch(/choose\(60,64,67\)/);
      expect(snapshot.snapshot.tasks.some((task) => task.source === 'live-loop.txt')).toBe(true);

      // Continue: the loops play on from T, and a line typed goes to the terminal that was open at T.
      const terminal = snapshot.snapshot.tasks.find((task) => task.kind === 'source' && task.name === 'terminal')!;
      await app.request('set-paused', { paused: false });
      await app.request('submit-line', { line: 'beep 79 0.25' });
      await sleep(400);
      const after = v.eventsSinceSnapshot();
      expect(after.some((e) => e.type === 'notes' && e.t > t)).toBe(true);
      expect(after.every((e) => e.t >= t)).toBe(true);
      const typed = after.find((e) => e.type === 'task-created' && e.name === 'beep 79 0.25');
      expect(typed).toMatchObject({ parent: terminal.id });
      // Save session saves what was typed before the moment and after it, with the waits between.
      const saved = app.sessionScript().split('\n');
      expect(saved[0]).toBe('bpm 150');
      expect(saved).toContain('live a beep choose(60,64,67) 0.25');
      expect(saved.filter((line) => /^wait \d+ms$/.test(line)).length).toBeGreaterThan(0);
      expect(saved.at(-2)).toBe('beep 79 0.25');
    } finally {
      app.dispose();
    }
  });

  it("replays a session stepped by the app's Step buttons: the steps are inputs too, so a moment after them rebuilds equal", async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    const v = viewOf();
    app.attach(v.view);
    try {
      await app.request('submit-line', { line: 'live a beep 60 0.25; wait 0.25' });
      await sleep(60);
      await app.request('set-paused', { paused: true });
      await app.request('load-script', { name: 'steps.txt', text: 'beep 64 1 &\nbeep 67 0.5 &\nwait 0.25\nbeep 72 0.25\n' });
      for (const kind of ['step', 'step', 'step', 'next-instant', 'step', 'step'] as const) {
        const stepped = await app.request('step', { kind });
        expect(stepped.ok).toBe(true);
      }
      await app.request('set-paused', { paused: false });
      await sleep(250);
      const t = Math.round(app.clockInfo().t * 1000) / 1000 - 0.05;
      const seen = v.events().filter((e) => e.t <= t);
      const reply = await app.request('replay-from', { t, paused: true });
      expect(reply).toMatchObject({ ok: true, value: { t, paused: true } });
      expect(plain(v.lastSnapshot()!.snapshot.recent)).toEqual(plain(seen));
    } finally {
      app.dispose();
    }
  });

  it('replays a session that played samples (a script\'s file and a dropped one): the rebuild has them as the original had', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-replay-samples-'));
    copyFileSync(join(import.meta.dirname, '../samples/fixtures/a4.wav'), join(dir, 'a4.wav'));
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 }, samples: { base: dir, root: dir } });
    const v = viewOf();
    app.attach(v.view);
    try {
      const flac = readFileSync(join(import.meta.dirname, '../samples/fixtures/a4.flac')).toString('base64');
      expect((await app.request('add-sample', { name: 'drop.flac', data: flac })).ok).toBe(true);
      expect((await app.request('load-script', { name: 'song.txt', text: 'loop sample a4.wav; wait 0.1' })).ok).toBe(true);
      await sleep(150);
      await app.request('submit-line', { line: 'loop sample drop.flac rate=2; wait 0.15' });
      await sleep(350);
      const t = Math.round(app.clockInfo().t * 1000) / 1000 - 0.05;
      const seen = v.events().filter((e) => e.t <= t);
      expect(seen.some((e) => e.type === 'notes' && e.voices?.some((voice) => voice.sample?.id === 'dropped/drop.flac'))).toBe(true);
      const reply = await app.request('replay-from', { t, paused: false });
      expect(reply).toMatchObject({ ok: true, value: { t } });
      expect(plain(v.lastSnapshot()!.snapshot.recent)).toEqual(plain(seen));
      // it goes on playing both, and the page can still fetch their sound
      await sleep(300);
      const after = v.eventsSinceSnapshot().flatMap((e) => (e.type === 'notes' ? (e.voices ?? []) : []));
      expect(new Set(after.map((voice) => voice.sample?.id).filter(Boolean))).toEqual(new Set(['a4.wav', 'dropped/drop.flac']));
      expect((await app.request('get-sample', { sample: 'dropped/drop.flac', from: 0 })).ok).toBe(true);
      expect(v.events().filter((e) => e.type === 'diagnostic')).toEqual([]);
    } finally {
      app.dispose();
    }
  });

  it('refuses a rebuild that differs (a block, held by the wall clock live), says what differs, and changes nothing', async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    const v = viewOf();
    app.attach(v.view);
    try {
      await app.request('submit-line', { line: 'block 0.05; beep 60 0.1; beep 62 0.1' });
      await sleep(400);
      const sessionBefore = app.sessionId;
      const snapshots = v.messages.filter((m) => m.type === 'snapshot').length;
      const reply = await app.request('replay-from', { t: app.clockInfo().t, paused: true });
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.message).toMatch(/the rebuild differs from the original/);
      // It names the first event that differs: after the block, which held the real clock longer than its 0.05 s.
      expect(reply.error.message).toMatch(/event \d+ at t = 0\.\d+ s: the original had .*, the rebuild /);
      expect(app.sessionId).toBe(sessionBefore);
      expect(app.paused).toBe(false);
      expect(v.messages.filter((m) => m.type === 'snapshot').length).toBe(snapshots);
    } finally {
      app.dispose();
    }
  });

  it('replays a replayed session: lines typed after the first replay go to its terminal, are recorded, and a later moment rebuilds equal', async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    const v = viewOf();
    app.attach(v.view);
    try {
      await app.request('submit-line', { line: 'live a beep choose(60,62,64) 0.25' });
      await sleep(250);
      const first = Math.round(app.clockInfo().t * 500) / 1000;
      // Playing on at once (not paused).
      expect(await app.request('replay-from', { t: first, paused: false })).toMatchObject({ ok: true, value: { t: first, paused: false } });
      expect(app.paused).toBe(false);
      const terminal = v.lastSnapshot()!.snapshot.tasks.find((task) => task.kind === 'source' && task.name === 'terminal')!;
      await sleep(50);
      await app.request('submit-line', { line: 'beep 76 1' });
      await sleep(300);
      const typed = v.eventsSinceSnapshot().find((e) => e.type === 'task-created' && e.name === 'beep 76 1');
      expect(typed).toMatchObject({ parent: terminal.id });
      const second = app.clockInfo().t - 0.05;
      const seen = [...v.lastSnapshot()!.snapshot.recent, ...v.eventsSinceSnapshot()].filter((e) => e.t <= second);
      const reply = await app.request('replay-from', { t: second, paused: true });
      expect(reply).toMatchObject({ ok: true });
      const snapshot = v.lastSnapshot()!;
      expect(plain(snapshot.snapshot.recent)).toEqual(plain(seen));
      expect(snapshot.snapshot.notes).toContain(76);
    } finally {
      app.dispose();
    }
  });

  it('answers unavailable where the engine cannot be rebuilt, and the session goes on', async () => {
    const { app, view } = setup();
    app.attach(view);
    const before = app.sessionId;
    const reply = await app.request('replay-from', { t: 0 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(app.sessionId).toBe(before);
    app.dispose();
  });

  it('refuses a moment after the present', async () => {
    const app = new AppSession({ createEngine: createRealEngine });
    try {
      const reply = await app.request('replay-from', { t: 1e6 });
      expect(reply).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/after the session's present/) } });
    } finally {
      app.dispose();
    }
  });
});
