/**
 * The one way host messages enter the page. The feed keeps the timeline model
 * (the session's record) and which session the page shows, merges a snapshot
 * with what is shown, and hands every message on to the registered panels.
 */
import type { SessionEvent, SessionSnapshot } from '../../core/session/api';
import type { ClockInfo, Example, HostMessage } from '../../protocol';
import type { Joined, Joining, Panel } from '../panel';
import { TimelineModel } from '../timeline/model';

export class SessionFeed {
  readonly model = new TimelineModel();
  private readonly panels: Panel[] = [];
  private sessionIdSeen: string | null = null;
  private clockInfo: ClockInfo | null = null;
  private ended = false;
  /** Logical time of the latest event. */
  private latestT = 0;
  /** The next snapshot's older history, as its chunks arrive (see the `history` message). */
  private chunks: { sessionId: string; events: SessionEvent[] } | null = null;
  private droppedEvents = 0;

  /** Register a panel; it gets every message from now on. Returns the panel. */
  add<P extends Panel>(panel: P): P {
    this.panels.push(panel);
    return panel;
  }

  get sessionId(): string | null {
    return this.sessionIdSeen;
  }

  /** The host's clock as last reported (null before the first snapshot). */
  get clock(): ClockInfo | null {
    return this.clockInfo;
  }

  /** True once the session has ended (quit) and no new one has started. */
  get sessionEnded(): boolean {
    return this.ended;
  }

  /** How many of the session's oldest events the host no longer holds (its history cap), as of the last snapshot. */
  get dropped(): number {
    return this.droppedEvents;
  }

  /** Logical time of the latest event (or snapshot). */
  get lastEventT(): number {
    return this.latestT;
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'events':
        for (const event of message.events) this.event(event);
        break;
      case 'history':
        // part 0 begins a snapshot's history afresh (one asked for again restarts its stream)
        if (message.part === 0 || this.chunks === null || this.chunks.sessionId !== message.sessionId) this.chunks = { sessionId: message.sessionId, events: [] };
        for (const event of message.events) this.chunks.events.push(event);
        break;
      case 'snapshot':
        this.snapshot(this.withHistory(message), message.clock, message.sessionId, message.example ?? null);
        break;
      case 'replayed':
        // The session goes on from an earlier moment: the snapshot that follows is the whole timeline, as on a page's start.
        this.model.clear();
        this.sessionIdSeen = null;
        this.latestT = message.t;
        this.ended = false;
        for (const panel of this.panels) panel.onHostNote?.(message);
        break;
      default:
        if (message.type === 'clock') this.clockInfo = message.clock;
        for (const panel of this.panels) panel.onHostNote?.(message);
    }
  }

  resize(): void {
    for (const panel of this.panels) panel.onResize?.();
  }

  dispose(): void {
    for (const panel of this.panels.splice(0)) panel.dispose?.();
  }

  private event(event: SessionEvent): void {
    this.model.apply(event);
    if ('t' in event) this.latestT = Math.max(this.latestT, event.t);
    if (event.type === 'session-ended') this.ended = true;
    for (const panel of this.panels) panel.onEvent?.(event);
  }

  /**
   * The snapshot with the chunks sent before it put in front of its recent
   * events. Chunks that do not add up to what it says (a stream cut short)
   * are not used: the older history counts as dropped.
   */
  private withHistory(message: Extract<HostMessage, { type: 'snapshot' }>): SessionSnapshot {
    const chunks = this.chunks;
    this.chunks = null;
    const history = message.history ?? { chunked: 0, dropped: 0 };
    this.droppedEvents = history.dropped;
    if (history.chunked === 0) return message.snapshot;
    if (chunks === null || chunks.sessionId !== message.sessionId || chunks.events.length !== history.chunked) {
      this.droppedEvents += history.chunked;
      return message.snapshot;
    }
    return { ...message.snapshot, recent: [...chunks.events, ...message.snapshot.recent] };
  }

  private snapshot(snapshot: SessionSnapshot, clock: ClockInfo, sessionId: string, example: Example | null): void {
    const joining: Joining = this.sessionIdSeen === null ? 'page-start' : this.sessionIdSeen !== sessionId ? 'new-session' : 'same-session';
    this.sessionIdSeen = sessionId;
    this.clockInfo = clock;
    this.latestT = snapshot.t;
    this.ended = snapshot.recent.some((e) => e.type === 'session-ended');
    // After a quit (or a host that came back with a new session) the old
    // session's history stays, and the new one is drawn after it; the same
    // session again adds what was missed to what is shown.
    let unseen: readonly SessionEvent[] = snapshot.recent;
    if (joining === 'same-session') unseen = this.model.mergeSnapshot(snapshot);
    else this.model.loadSnapshot(snapshot, { keepHistory: joining === 'new-session' });
    // The names spawn and `&` gave live tasks, even when their task-named events are older than the history kept.
    for (const task of snapshot.tasks) {
      const record = task.alias === undefined ? undefined : this.model.task(task.id);
      if (record !== undefined) record.alias = task.alias ?? null;
    }
    const joined: Joined = { snapshot, clock, sessionId, example, joining, unseen, dropped: this.droppedEvents };
    for (const panel of this.panels) panel.onSnapshot?.(joined);
  }
}
