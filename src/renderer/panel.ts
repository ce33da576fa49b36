/**
 * What every part of the page implements to follow the session: the
 * terminal, the timeline, the audio, the status bar and the story are panels.
 * The session feed (session/feed.ts) hands each host message to every
 * registered panel, in the order they were registered; a panel implements
 * only the hooks it needs.
 */
import type { SessionEvent, SessionSnapshot } from '../core/session/api';
import type { ClockInfo, Example, HostMessage } from '../protocol';

/** How a snapshot relates to what the page showed before it. */
export type Joining =
  /** The page's first snapshot: nothing was shown before. */
  | 'page-start'
  /** A new session (after a quit, or a host that came back fresh): drawn after the old one's history. */
  | 'new-session'
  /** The same session again (a reconnect): what was missed is added to what is shown. */
  | 'same-session';

/** A snapshot, once the feed has merged it into the timeline model. */
export interface Joined {
  readonly snapshot: SessionSnapshot;
  readonly clock: ClockInfo;
  readonly sessionId: string;
  /** The example the host is playing, if any. */
  readonly example: Example | null;
  readonly joining: Joining;
  /**
   * What the session said that this page has not shown: its recent events on a
   * page start or a new session, the events missed while away on the same one.
   */
  readonly unseen: readonly SessionEvent[];
  /** How many of the session's oldest events the host no longer holds (its history cap). */
  readonly dropped: number;
}

/** A host message that is neither a snapshot nor session events: a notice, an example to show, a change of speed. */
export type HostNote = Exclude<HostMessage, { type: 'snapshot' } | { type: 'events' } | { type: 'history' }>;

export interface Panel {
  /** The page (re)joined a session. */
  onSnapshot?(joined: Joined): void;
  /** One session event, after the timeline model has applied it. */
  onEvent?(event: SessionEvent): void;
  onHostNote?(note: HostNote): void;
  /** The window's size changed. */
  onResize?(): void;
  dispose?(): void;
}
