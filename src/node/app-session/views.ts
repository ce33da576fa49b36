/**
 * The renderers attached to a session and what they are sent: a snapshot when
 * they attach (or ask), then the session's events in batches, and the
 * host's own messages (notices, examples, clock changes) in order with them.
 */
import type { HostMessage, HostMessageOf } from '../../protocol';
import type { SessionEvent } from '../../core/session/api';
import { EventBatcher, type BatcherOptions } from './batcher';

/** A renderer attached to the session: where its pushed messages go. */
export interface View {
  send(message: HostMessage): void;
}

export type SnapshotMessage = HostMessageOf<'snapshot'>;

export class Views {
  private readonly views = new Set<View>();
  private readonly batcher: EventBatcher;

  /** `snapshot` reads the session as it stands now. */
  constructor(
    private readonly snapshot: () => SnapshotMessage,
    batching?: BatcherOptions,
  ) {
    this.batcher = new EventBatcher((events) => this.broadcast({ type: 'events', events }), batching);
  }

  get count(): number {
    return this.views.size;
  }

  /** Attach a renderer: it is sent a snapshot now and every event batch from now on. Returns detach. */
  attach(view: View): () => void {
    // Pending events go to the views that were there; the new one starts from the snapshot.
    this.batcher.flush();
    this.views.add(view);
    safeSend(view, this.snapshot());
    return () => {
      this.views.delete(view);
    };
  }

  /** Send `view` a fresh snapshot, after flushing pending events so every later batch is newer. */
  sendSnapshot(view: View): void {
    this.batcher.flush();
    safeSend(view, this.snapshot());
  }

  sendSnapshotToAll(): void {
    for (const view of this.views) this.sendSnapshot(view);
  }

  /** Queue a session event for the next batch. */
  push(event: SessionEvent): void {
    this.batcher.push(event);
  }

  /** Send the queued events now (before a message that must come after them). */
  flush(): void {
    this.batcher.flush();
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
    this.views.clear();
  }

  private broadcast(message: HostMessage): void {
    for (const view of this.views) safeSend(view, message);
  }
}

/** A view that throws (a destroyed window) must not stop the others. */
function safeSend(view: View, message: HostMessage): void {
  try {
    view.send(message);
  } catch {
    // the transport drops it; the view will detach
  }
}
