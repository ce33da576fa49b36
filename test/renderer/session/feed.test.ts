import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/session/api';
import { Session } from '../../../src/core/session/session';
import { PROTOCOL_VERSION, type HostMessage } from '../../../src/protocol';
import type { HostNote, Joined, Panel } from '../../../src/renderer/panel';
import { SessionFeed } from '../../../src/renderer/session/feed';

const CLOCK = { t: 0, wall: 0, epochMs: 0, speed: 1 };

/** What a panel was handed, in order. */
class Recorder implements Panel {
  readonly joins: Joined[] = [];
  readonly events: SessionEvent[] = [];
  readonly notes: HostNote[] = [];
  /** For each task-created event: did the model know the task when the panel heard of it? */
  readonly modelKnew: boolean[] = [];
  constructor(private readonly feed: SessionFeed, private readonly log: string[] = [], private readonly name = '') {}
  onSnapshot(joined: Joined): void {
    this.joins.push(joined);
    this.log.push(`${this.name} snapshot`);
  }
  onEvent(event: SessionEvent): void {
    this.events.push(event);
    if (event.type === 'task-created') this.modelKnew.push(this.feed.model.task(event.id) !== undefined);
    this.log.push(`${this.name} ${event.type}`);
  }
  onHostNote(note: HostNote): void {
    this.notes.push(note);
  }
}

function snapshotMessage(session: Session, sessionId: string): HostMessage {
  return { type: 'snapshot', protocol: PROTOCOL_VERSION, sessionId, snapshot: session.snapshot(), clock: CLOCK, script: null, example: null } as HostMessage;
}

/** A session on the virtual clock whose events reach the feed while `connected`. */
function wired(feed: SessionFeed) {
  const session = new Session();
  const state = { connected: true };
  session.subscribe((e) => {
    if (state.connected) feed.receive({ type: 'events', events: [e] } as HostMessage);
  });
  return { session, state, terminal: session.openSource('terminal') };
}

describe('the session feed', () => {
  it("hands each event to the panels in the order they registered, after the model has it", () => {
    const feed = new SessionFeed();
    const log: string[] = [];
    const first = feed.add(new Recorder(feed, log, 'a'));
    feed.add(new Recorder(feed, log, 'b'));
    const { session, terminal } = wired(feed);
    feed.receive(snapshotMessage(session, 's1'));
    terminal.pushLine('beep 60 0.5');
    session.scheduler.runUntilIdle();
    expect(first.modelKnew.length).toBeGreaterThan(0);
    expect(first.modelKnew.every(Boolean)).toBe(true);
    // both heard the same messages, each one first by a, then by b
    const heardBy = (who: string) => log.filter((line) => line.startsWith(`${who} `)).map((line) => line.slice(2));
    expect(heardBy('a').length).toBeGreaterThan(2);
    expect(heardBy('b')).toEqual(heardBy('a'));
    expect(log.map((line) => line[0]).join('')).toBe('ab'.repeat(log.length / 2));
  });

  it('tells a page start, the same session again and a new session apart, and what each has not shown', () => {
    const feed = new SessionFeed();
    const panel = feed.add(new Recorder(feed));
    const { session, state, terminal } = wired(feed);
    terminal.pushLine('beep 60 0.5');
    session.scheduler.runUntilIdle(0.2);
    feed.receive(snapshotMessage(session, 's1'));
    expect(panel.joins[0].joining).toBe('page-start');
    // a fresh page has shown nothing: all the session said lately is unseen
    expect(panel.joins[0].unseen).toEqual(session.snapshot().recent);
    // dropped at 0.2 and back at 1.2: only what came in between is unseen
    state.connected = false;
    terminal.pushLine('beep 62 0.5');
    session.scheduler.runUntilIdle(1.2);
    state.connected = true;
    feed.receive(snapshotMessage(session, 's1'));
    const again = panel.joins[1];
    expect(again.joining).toBe('same-session');
    expect(again.unseen.length).toBeGreaterThan(0);
    expect(again.unseen.every((e) => e.t > 0.2)).toBe(true);
    expect(feed.model.lanes.find((l) => l.name === 'terminal')?.tasks.some((t) => t.name === 'beep 62 0.5')).toBe(true);
    // another session id: a new session, drawn after the old one's history
    feed.receive(snapshotMessage(new Session(), 's2'));
    expect(panel.joins[2].joining).toBe('new-session');
    expect(feed.model.sessionBreaks.length).toBe(1);
    expect(feed.sessionId).toBe('s2');
  });

  it('passes notices, examples and clock changes on, and keeps the latest clock', () => {
    const feed = new SessionFeed();
    const panel = feed.add(new Recorder(feed));
    const clock = { t: 3, wall: 3, epochMs: 1000, speed: 0.5 };
    feed.receive({ type: 'clock', clock } as HostMessage);
    feed.receive({ type: 'notice', level: 'info', text: 'hello' } as HostMessage);
    expect(panel.notes.map((n) => n.type)).toEqual(['clock', 'notice']);
    expect(feed.clock).toEqual(clock);
  });

  it('knows when the session has ended, until a snapshot says otherwise', () => {
    const feed = new SessionFeed();
    const session = new Session();
    feed.receive(snapshotMessage(session, 's1'));
    expect(feed.sessionEnded).toBe(false);
    feed.receive({ type: 'events', events: [{ type: 'session-ended', t: 1, wall: 1 }] } as HostMessage);
    expect(feed.sessionEnded).toBe(true);
    feed.receive(snapshotMessage(new Session(), 's2'));
    expect(feed.sessionEnded).toBe(false);
  });
});

describe('a snapshot sent with its history in chunks', () => {
  function recorded(lines: string[]) {
    const session = new Session({ recentEvents: 0 });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    for (const line of lines) session.loadScript(`${line}.txt`, line);
    session.scheduler.runUntilIdle();
    return { session, events };
  }

  it('puts the chunks before the recent events, and says how many older ones were dropped', () => {
    const { session, events } = recorded(['beep 60 1', 'beep 64 1']);
    const feed = new SessionFeed();
    const panel = feed.add(new Recorder(feed));
    const half = Math.floor(events.length / 2);
    // a stream that was restarted: its first part is forgotten
    feed.receive({ type: 'history', sessionId: 's', part: 0, events: events.slice(0, 1) });
    feed.receive({ type: 'history', sessionId: 's', part: 0, events: events.slice(0, half) });
    const snapshot = snapshotMessage(session, 's') as Extract<HostMessage, { type: 'snapshot' }>;
    feed.receive({ ...snapshot, snapshot: { ...snapshot.snapshot, recent: events.slice(half) }, history: { chunked: half, dropped: 7 } });
    expect(feed.model.lanes.map((l) => l.name).sort()).toEqual(['beep 60 1.txt', 'beep 64 1.txt']);
    expect(panel.joins[0].snapshot.recent).toHaveLength(events.length);
    expect(feed.dropped).toBe(7);
  });

  it('does not use chunks that do not add up to what the snapshot says: they count as dropped', () => {
    const { session, events } = recorded(['beep 60 1']);
    const feed = new SessionFeed();
    feed.receive({ type: 'history', sessionId: 's', part: 0, events: events.slice(0, 2) });
    const snapshot = snapshotMessage(session, 's') as Extract<HostMessage, { type: 'snapshot' }>;
    feed.receive({ ...snapshot, snapshot: { ...snapshot.snapshot, recent: events.slice(3) }, history: { chunked: 3, dropped: 0 } });
    expect(feed.dropped).toBe(3);
  });
});
