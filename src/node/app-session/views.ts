/**
 * The renderers attached to a session and what they are sent: a snapshot when
 * they attach (or ask), then the session's events in batches, and the
 * host's own messages (notices, examples, clock changes) in order with them.
 *
 * A snapshot carries the session's whole history (see history.ts). When that
 * is more than one frame should hold, its older part goes first as `history`
 * chunks, one per turn of the event loop and only while the view keeps up
 * (View.congested: the slow-client gate of web mode's sockets); the snapshot
 * itself follows, its `recent` holding what happened meanwhile. Event batches
 * to a view that is being sent a snapshot, or that cannot keep up, are held
 * back: a catch-up snapshot later carries what they held.
 */
import type { HostMessage, HostMessageOf } from '../../protocol';
import type { SessionEvent } from '../../core/session/api';
import { EventBatcher, type BatcherOptions } from './batcher';
import { SessionHistory } from './history';

/** A renderer attached to the session: where its pushed messages go. */
export interface View {
  send(message: HostMessage): void;
  /**
   * True while the view cannot take more now (a socket's unsent bytes are over
   * the slow-client limit). Without it a view always keeps up.
   */
  congested?(): boolean;
}

export type SnapshotMessage = HostMessageOf<'snapshot'>;
export type SnapshotHistory = NonNullable<SnapshotMessage['history']>;

/** Builds the snapshot message of the session as it stands, with `recent` as its events. */
export type SnapshotBuilder = (recent: SessionEvent[], history: SnapshotHistory) => SnapshotMessage;

export interface ViewsOptions {
  batching?: BatcherOptions;
  /** Events of history kept (default HISTORY_CAP_EVENTS). */
  historyCap?: number;
  /** Events per `history` chunk, and the most a snapshot's `recent` holds without chunks (default 2000). */
  chunkEvents?: number;
}

// ~3 ms to slice and stringify on this machine (5,000 took ~7 ms): short turns of the host's event loop.
const DEFAULT_CHUNK_EVENTS = 2000;
/** How often a congested view is looked at again while a snapshot waits for it, and for how long at most. */
const CONGESTION_POLL_MS = 50;
const CONGESTION_BUDGET_MS = 120_000;

interface ViewState {
  /** Sequence number of the first event this view was not sent, while it is behind (or null). */
  missedFrom: number | null;
  /** Bumped by each snapshot sent, so a chunked one that was overtaken stops. */
  generation: number;
  streaming: boolean;
}

export class Views {
  private readonly views = new Map<View, ViewState>();
  private readonly batcher: EventBatcher;
  readonly history: SessionHistory;
  private readonly chunkEvents: number;
  /** Sequence number after the last event handed to the batcher's sink. */
  private batchedTo = 0;

  constructor(
    private readonly snapshot: SnapshotBuilder,
    options: ViewsOptions = {},
  ) {
    this.history = new SessionHistory(options.historyCap);
    this.chunkEvents = Math.min(10_000, Math.max(1, options.chunkEvents ?? DEFAULT_CHUNK_EVENTS));
    this.batcher = new EventBatcher((events) => this.sendBatch(events), options.batching);
  }

  get count(): number {
    return this.views.size;
  }

  /** Attach a renderer: it is sent a snapshot now and every event batch from now on. Returns detach. */
  attach(view: View): () => void {
    // Pending events go to the views that were there; the new one starts from the snapshot.
    this.batcher.flush();
    this.views.set(view, { missedFrom: null, generation: 0, streaming: false });
    this.sendSnapshot(view);
    return () => {
      this.views.delete(view);
    };
  }

  /**
   * Send `view` a fresh snapshot with the whole history (or, `from` a sequence
   * number, what happened since), after flushing pending events so every later
   * batch is newer.
   */
  sendSnapshot(view: View, from = this.history.first): void {
    this.batcher.flush();
    const state = this.views.get(view);
    if (state === undefined) {
      safeSend(view, this.snapshotFrom(from, 0));
      return;
    }
    state.generation++;
    state.missedFrom = null;
    if (this.history.end - from <= this.chunkEvents) {
      state.streaming = false;
      safeSend(view, this.snapshotFrom(from, 0));
      return;
    }
    state.streaming = true;
    void this.streamSnapshot(view, state, from);
  }

  sendSnapshotToAll(): void {
    for (const view of this.views.keys()) this.sendSnapshot(view);
  }

  /** The snapshot of the session with its whole history in `recent` (for the menu and tests). */
  snapshotMessage(): SnapshotMessage {
    return this.snapshotFrom(this.history.first, 0);
  }

  /** Queue a session event for the next batch (and keep it in the history). */
  push(event: SessionEvent): void {
    this.history.push(event);
    this.batcher.push(event);
  }

  /** A line was typed: its notes events go without the batch interval (EventBatcher.expectInput). */
  expectInput(): void {
    this.batcher.expectInput();
  }

  /** Send the queued events now (before a message that must come after them). */
  flush(): void {
    this.batcher.flush();
  }

  /** A new engine session begins: the old one's events are sent, then forgotten. */
  newSession(): void {
    this.batcher.flush();
    this.history.clear();
    this.batchedTo = 0;
  }

  /**
   * The session goes on from an earlier moment (replay from here): the
   * history is `events` (what happened up to it) and what comes from now on.
   * Queued events are sent first; the views need a snapshot after this.
   */
  restart(events: readonly SessionEvent[]): void {
    this.newSession();
    for (const event of events) this.history.push(event);
    this.batchedTo = this.history.end;
  }

  /** Send a host message to every view, after the events queued before it. */
  publish(message: HostMessage): void {
    this.batcher.flush();
    this.broadcast(message);
  }

  /** Send a notice to every view (at once: a notice is not ordered with events). */
  notify(level: 'info' | 'error', text: string): void {
    this.broadcast({ type: 'notice', level, text });
  }

  /** Send what is queued and forget every view. */
  dispose(): void {
    this.batcher.flush();
    this.batcher.dispose();
    for (const state of this.views.values()) state.generation++;
    this.views.clear();
  }

  private snapshotFrom(from: number, chunked: number): SnapshotMessage {
    return this.snapshot(this.history.slice(from), { chunked, dropped: this.history.dropped });
  }

  private sendBatch(events: SessionEvent[]): void {
    const from = this.batchedTo;
    this.batchedTo = this.history.end;
    const message: HostMessage = { type: 'events', events };
    for (const [view, state] of this.views) {
      if (state.streaming) continue;
      if (state.missedFrom !== null) {
        // Behind: once it keeps up again, a catch-up snapshot instead of the backlog.
        if (!isCongested(view)) this.sendSnapshot(view, state.missedFrom);
        continue;
      }
      if (isCongested(view)) {
        state.missedFrom = from;
        continue;
      }
      safeSend(view, message);
    }
  }

  /** The history in chunks, each once the view keeps up, then the snapshot with what came meanwhile. */
  private async streamSnapshot(view: View, state: ViewState, from: number): Promise<void> {
    const generation = state.generation;
    const live = () => this.views.get(view) === state && state.generation === generation;
    const sessionId = this.snapshot([], { chunked: 0, dropped: 0 }).sessionId;
    const end = this.history.end;
    let at = Math.max(from, this.history.first);
    let chunked = 0;
    let parts = 0;
    let waitedMs = 0;
    while (at < end) {
      await nextTurn();
      if (!live()) return;
      if (isCongested(view)) {
        if (waitedMs >= CONGESTION_BUDGET_MS) {
          // It never drained: give up for now; the next batch that finds it keeping up starts again.
          state.streaming = false;
          state.missedFrom = from;
          return;
        }
        await sleep(CONGESTION_POLL_MS);
        waitedMs += CONGESTION_POLL_MS;
        continue;
      }
      // Events dropped for the cap meanwhile are skipped (the snapshot's `dropped` counts them).
      at = Math.max(at, this.history.first);
      const events = this.history.slice(at, Math.min(at + this.chunkEvents, end));
      if (events.length === 0) break;
      safeSend(view, { type: 'history', sessionId, part: parts++, events });
      at += events.length;
      chunked += events.length;
    }
    if (!live()) return;
    this.batcher.flush();
    state.streaming = false;
    safeSend(view, this.snapshotFrom(Math.max(end, this.history.first), chunked));
  }

  private broadcast(message: HostMessage): void {
    for (const view of this.views.keys()) safeSend(view, message);
  }
}

function isCongested(view: View): boolean {
  try {
    return view.congested?.() ?? false;
  } catch {
    return false;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A view that throws (a destroyed window) must not stop the others. */
function safeSend(view: View, message: HostMessage): void {
  try {
    view.send(message);
  } catch {
    // the transport drops it; the view will detach
  }
}
