/**
 * Stepping the app's real engine while paused (step, inspect): a step runs
 * exactly the task the inspector listed first, its note is published at once,
 * next-instant moves the clock to the first timer, step line runs until the
 * chosen task's command is over, and every view is sent the inspector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import { INSPECTOR_ROWS, parseHostMessage, type HostMessage, type Inspector, type SessionEvent } from '../../../src/protocol';

const apps: AppSession[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

function pausedApp(): { app: AppSession; messages: HostMessage[]; events: () => SessionEvent[] } {
  const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
  apps.push(app);
  const messages: HostMessage[] = [];
  const view: View = { send: (m) => messages.push(m) };
  app.attach(view);
  return { app, messages, events: () => messages.flatMap((m) => (m.type === 'events' ? m.events : [])) };
}

async function inspect(app: AppSession): Promise<Inspector> {
  const reply = await app.request('inspect', {});
  if (!reply.ok || reply.value === null) throw new Error('no inspector');
  return reply.value;
}

const SCRIPT = 'beep 60 1 &\nbeep 64 0.5 &\nwait 0.25\nbeep 67 0.25\n';

describe('step and inspect while paused', () => {
  it('runs one resumption per step, the ready queue’s head, and publishes its notes at once', async () => {
    const { app, messages, events } = pausedApp();
    await app.request('set-paused', { paused: true });
    const loaded = await app.request('load-script', { name: 'steps.txt', text: SCRIPT });
    expect(loaded.ok).toBe(true);
    // Paused, nothing ran: the script's source task waits at the head of the queue.
    let inspector = await inspect(app);
    expect(inspector.ready.map((t) => t.name)).toEqual(['steps.txt']);
    const pausedAt = inspector.t;
    let heard = false;
    for (let i = 0; i < 12 && !heard; i++) {
      inspector = await inspect(app);
      const expected = inspector.ready[0];
      const before = messages.length;
      const reply = await app.request('step', { kind: 'step' });
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      if (expected === undefined) continue; // nothing ready: the step moved the clock to the next timer first
      expect(reply.value.count).toBe(1);
      expect(reply.value.ran).toEqual([expected.id]);
      // Every view is told where the clock stands and the inspector after it, in that order.
      const after = messages.slice(before);
      const clockAt = after.findIndex((m) => m.type === 'clock');
      const inspectorAt = after.findIndex((m) => m.type === 'inspector');
      expect(clockAt).toBeGreaterThanOrEqual(0);
      expect(inspectorAt).toBeGreaterThan(clockAt);
      heard = events().some((e) => e.type === 'notes' && e.notes.includes(60));
    }
    // The beep's note is published by the step that started it, not at the end of its instant.
    expect(heard).toBe(true);
    // Steps within one instant do not move the clock.
    expect(app.clockInfo()).toMatchObject({ paused: true, t: pausedAt });
  });

  it('next-instant runs the instant and moves the clock to the first timer; step line ends the chosen command', async () => {
    const { app } = pausedApp();
    await app.request('set-paused', { paused: true });
    await app.request('load-script', { name: 'steps.txt', text: SCRIPT });
    const t0 = (await inspect(app)).t;
    const first = await app.request('step', { kind: 'next-instant' });
    expect(first).toMatchObject({ ok: true, value: { stop: 'stepped' } });
    let inspector = await inspect(app);
    // The instant ran out: the clock stands at the first timer, whose task is now ready.
    expect(inspector.t).toBeCloseTo(t0 + 0.25, 9);
    expect(inspector.ready.length).toBeGreaterThan(0);
    expect(inspector.timers.map((x) => x.at)).toEqual([...inspector.timers.map((x) => x.at)].sort((a, b) => a - b));
    // The await tree has the script's task at its root, over the tasks it awaits.
    expect(inspector.tree[0]).toMatchObject({ depth: 0, task: { name: 'steps.txt' } });
    const sleeper = inspector.timers.find((x) => x.task.name === 'beep 64 0.5');
    expect(sleeper).toBeDefined();
    const line = await app.request('step', { kind: 'line', taskId: sleeper!.task.id });
    expect(line.ok).toBe(true);
    inspector = await inspect(app);
    // It ran until its beep was over: at its wake time, and it sleeps no more.
    expect(inspector.t).toBeCloseTo(sleeper!.at, 9);
    expect(inspector.timers.some((x) => x.task.id === sleeper!.task.id)).toBe(false);
    expect(app.clockInfo().t).toBeCloseTo(sleeper!.at, 9);
  });

  it('sends the inspector again when a script loaded or a line typed while paused waits in the ready queue', async () => {
    const { app, messages } = pausedApp();
    await app.request('set-paused', { paused: true });
    const inspectors = () => messages.flatMap((m) => (m.type === 'inspector' && m.inspector !== null ? [m.inspector] : []));
    expect(inspectors().at(-1)!.ready).toEqual([]);
    await app.request('load-script', { name: 'steps.txt', text: SCRIPT });
    await new Promise((r) => setTimeout(r, 20));
    expect(inspectors().at(-1)!.ready.map((t) => t.name)).toEqual(['steps.txt']);
    await app.request('submit-line', { line: 'beep 72 0.1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(inspectors().at(-1)!.ready.map((t) => t.name)).toEqual(['steps.txt', 'terminal']);
  });

  it('sends a valid inspector for a line that awaits more tasks than a list shows, each list cut at its rows', async () => {
    const { app, messages } = pausedApp();
    await app.request('set-paused', { paused: true });
    const parts = Array.from({ length: 250 }, (_, i) => `beep ${40 + (i % 40)} 1`).join(' | ');
    await app.request('load-script', { name: 'wide.txt', text: `gather ${parts}\n` });
    // Step through the instant: every part starts its beep and sleeps.
    for (let i = 0; i < 400 && (await inspect(app)).ready.length > 0; i++) await app.request('step', { kind: 'step' });
    const last = messages.filter((m) => m.type === 'inspector').at(-1)!;
    // Every message the host sent is one the renderer accepts.
    for (const m of messages) expect(parseHostMessage(m).ok, m.type).toBe(true);
    const inspector = (last as { inspector: Inspector }).inspector;
    expect(inspector.tree.length).toBe(INSPECTOR_ROWS);
    expect(inspector.more.tree).toBeGreaterThan(0);
    expect(inspector.timers.length).toBe(INSPECTOR_ROWS);
    const gather = inspector.tree.find((r) => r.task.name.startsWith('gather'))!;
    expect(gather.awaits).toMatchObject({ kind: 'tasks' });
    expect((gather.awaits as { ids: number[] }).ids).toHaveLength(INSPECTOR_ROWS);
  });

  it('refuses steps while the clock runs, a task that is not live, and a malformed step', async () => {
    const { app } = pausedApp();
    expect(await app.request('step', { kind: 'step' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await app.request('inspect', {})).toEqual({ ok: true, value: null });
    await app.request('set-paused', { paused: true });
    expect(await app.request('step', { kind: 'line', taskId: 9999 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('no live task 9999') } });
    expect(await app.handle({ id: 1, type: 'step', kind: 'jump' }, null)).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
  });

  it('continue goes on from where the steps left the clock, and every view hears the inspector close', async () => {
    const { app, messages } = pausedApp();
    await app.request('set-paused', { paused: true });
    await app.request('load-script', { name: 'steps.txt', text: SCRIPT });
    await app.request('step', { kind: 'next-instant' });
    const stood = app.clockInfo().t;
    const resumed = await app.request('set-paused', { paused: false });
    expect(resumed).toMatchObject({ ok: true, value: { paused: false, t: stood } });
    expect(messages.filter((m) => m.type === 'inspector').at(-1)).toEqual({ type: 'inspector', inspector: null });
  });
});
