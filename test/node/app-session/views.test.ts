import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/session/api';
import { SessionHistory } from '../../../src/node/app-session/history';
import { Views, type SnapshotBuilder, type View } from '../../../src/node/app-session/views';
import { parseHostMessage, type HostMessage } from '../../../src/protocol';

const note = (i: number): SessionEvent => ({ type: 'task-running', t: i, wall: i, id: i + 1 });
const build: SnapshotBuilder = (recent, history) => ({
  type: 'snapshot',
  protocol: 1,
  sessionId: 'session-a',
  script: null,
  snapshot: { t: 0, wall: 0, notes: [], tasks: [], recent },
  clock: { t: 0, wall: 0, epochMs: 0, speed: 1 },
  history,
});
const manualTimers = { setTimeout: () => 0, clearTimeout: () => {} };

function recordingView(): View & { sent: HostMessage[]; busy: boolean } {
  const view = {
    sent: [] as HostMessage[],
    busy: false,
    send(message: HostMessage) {
      view.sent.push(message);
    },
    congested: () => view.busy,
  };
  return view;
}

/** What a renderer puts together from what it was sent: the chunks and the snapshot's recent. */
function reassembled(sent: HostMessage[]): number[] {
  const times: number[] = [];
  for (const m of sent) {
    if (m.type === 'history') times.push(...m.events.map((e) => e.t));
    if (m.type === 'snapshot') times.push(...m.snapshot.recent.map((e) => e.t));
  }
  return times;
}

async function settled(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

describe('the session history the host keeps', () => {
  it('keeps every event up to its cap, then drops the oldest and counts them', () => {
    const history = new SessionHistory(3);
    for (let i = 0; i < 5; i++) history.push(note(i));
    expect(history.slice(0).map((e) => e.t)).toEqual([2, 3, 4]);
    expect(history.dropped).toBe(2);
    expect(history.slice(3, 4).map((e) => e.t)).toEqual([3]);
  });
});

describe('snapshots with the whole history', () => {
  it('a small history goes in the snapshot itself', () => {
    const views = new Views(build, { batching: { timers: manualTimers } });
    for (let i = 0; i < 700; i++) views.push(note(i));
    const view = recordingView();
    views.attach(view);
    expect(view.sent).toHaveLength(1);
    expect(reassembled(view.sent)).toHaveLength(700);
  });

  it('a large one goes in valid chunks, only while the view keeps up, then the snapshot with what came meanwhile', async () => {
    const views = new Views(build, { batching: { timers: manualTimers }, chunkEvents: 100 });
    for (let i = 0; i < 1000; i++) views.push(note(i));
    const view = recordingView();
    view.busy = true;
    views.attach(view);
    await settled();
    expect(view.sent).toEqual([]);
    views.push(note(1000)); // while the snapshot waits: not a batch of its own, part of the snapshot
    views.flush();
    view.busy = false;
    while (view.sent.at(-1)?.type !== 'snapshot') await new Promise((r) => setTimeout(r, 10));
    const chunks = view.sent.filter((m) => m.type === 'history');
    expect(chunks.length).toBe(10);
    for (const m of view.sent) expect(parseHostMessage(m).ok).toBe(true);
    const last = view.sent.at(-1)!;
    expect(last.type === 'snapshot' && last.history).toEqual({ chunked: 1000, dropped: 0 });
    expect(reassembled(view.sent)).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    expect(view.sent.some((m) => m.type === 'events')).toBe(false);
  });

  it('a snapshot asked for again restarts the stream at part 0, and only the new stream counts', async () => {
    const views = new Views(build, { batching: { timers: manualTimers }, chunkEvents: 100 });
    for (let i = 0; i < 500; i++) views.push(note(i));
    const view = recordingView();
    views.attach(view);
    while (view.sent.length < 2) await new Promise((r) => setImmediate(r));
    views.sendSnapshot(view);
    while (view.sent.at(-1)?.type !== 'snapshot') await new Promise((r) => setTimeout(r, 5));
    expect(view.sent.filter((m) => m.type === 'snapshot')).toHaveLength(1);
    const restart = view.sent.map((m) => m.type === 'history' && m.part).lastIndexOf(0);
    expect(restart).toBeGreaterThan(0);
    expect(reassembled(view.sent.slice(restart))).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const last = view.sent.at(-1)!;
    expect(last.type === 'snapshot' && last.history).toEqual({ chunked: 500, dropped: 0 });
  });

  it('a view that falls behind gets a catch-up snapshot of what it missed once it drains', () => {
    const views = new Views(build, { batching: { timers: manualTimers } });
    const view = recordingView();
    views.attach(view);
    views.push(note(0));
    views.flush();
    view.busy = true;
    views.push(note(1));
    views.flush();
    views.push(note(2));
    views.flush();
    view.busy = false;
    views.push(note(3));
    views.flush();
    const types = view.sent.map((m) => m.type);
    expect(types).toEqual(['snapshot', 'events', 'snapshot']);
    expect(reassembled(view.sent.slice(2))).toEqual([1, 2, 3]);
  });

  it('past the cap the snapshot says how many of the oldest events were dropped', () => {
    const views = new Views(build, { batching: { timers: manualTimers }, historyCap: 50 });
    for (let i = 0; i < 80; i++) views.push(note(i));
    const snapshot = views.snapshotMessage();
    expect(snapshot.history).toEqual({ chunked: 0, dropped: 30 });
    expect(snapshot.snapshot.recent[0].t).toBe(30);
  });
});

describe('a snapshot of the host session', () => {
  it('names the live tasks spawn named, and holds the whole history, past the old 500-event window', async () => {
    const { setup } = await import('../../support/app-session/support');
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'repeat 300 gather beep 60 0.005 | wait 0.005' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'spawn beep 62 5' }, view);
    run(2.5);
    const snapshot = app.snapshotMessage();
    expect(snapshot.snapshot.tasks.find((t) => t.name === 'beep 62 5')?.alias).toBe('t1');
    expect(snapshot.snapshot.recent.length).toBeGreaterThan(500);
    expect(snapshot.snapshot.recent.filter((e) => e.type === 'task-created' && e.name === 'beep 60 0.005')).toHaveLength(300);
    expect(snapshot.history).toEqual({ chunked: 0, dropped: 0 });
    expect(parseHostMessage(snapshot).ok).toBe(true);
  });
});
