import type { SessionEvent, SessionEventListener } from './api';

/**
 * A session's listeners and its recent events. The session's parts (the
 * scheduler, the stream) are hooked only while somebody listens, so nothing is
 * built for events while nobody does.
 */
export class SessionEvents {
  private listeners: SessionEventListener[] = [];
  private unhooks: (() => void)[] = [];
  private readonly recent: EventRing;

  /** `hook` subscribes `forward` to the session's parts and gives back how to unsubscribe. */
  constructor(
    private readonly hook: (forward: SessionEventListener) => (() => void)[],
    recentEvents: number,
  ) {
    this.recent = new EventRing(recentEvents);
  }

  get listening(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: SessionEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    if (this.listeners.length === 1) this.unhooks = this.hook((event) => this.emit(event));
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners = this.listeners.filter((l) => l !== listener);
      if (this.listeners.length === 0) {
        for (const unhook of this.unhooks) unhook();
        this.unhooks = [];
      }
    };
  }

  emit(event: SessionEvent): void {
    this.recent.push(event);
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i](event);
      } catch (error) {
        // A broken viewer must not break the scheduler in the middle of a step.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** The last events kept (oldest first), for a snapshot. */
  recentEvents(): SessionEvent[] {
    return this.recent.items();
  }
}

/** The last `capacity` events, oldest first. */
class EventRing {
  private readonly buffer: SessionEvent[] = [];
  private start = 0;
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
  }

  push(event: SessionEvent): void {
    if (this.capacity === 0) return;
    if (this.buffer.length < this.capacity) this.buffer.push(event);
    else {
      this.buffer[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  items(): SessionEvent[] {
    return [...this.buffer.slice(this.start), ...this.buffer.slice(0, this.start)];
  }
}
