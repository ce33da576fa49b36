/**
 * A host session (AppSession) on the core's real Session driven on its
 * virtual clock, so the tests control time, with batch timers fired by hand.
 */
import { resolve } from 'node:path';
import type { CommandTable } from '../../../src/core/language/command';
import { Session } from '../../../src/core/session/session';
import { AppSession, type View } from '../../../src/node/app-session/app-session';
import type { BatcherTimers } from '../../../src/node/app-session/batcher';
import { renderScriptToWav } from '../../../src/node/app-session/real-engine';
import type { HostMessage, SessionEvent } from '../../../src/protocol';

/** Timers the test fires by hand. */
export function manualTimers(): BatcherTimers & { fire(): void; pending: number } {
  let callbacks: (() => void)[] = [];
  return {
    setTimeout(callback) {
      callbacks.push(callback);
      return callback;
    },
    clearTimeout(handle) {
      callbacks = callbacks.filter((c) => c !== handle);
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const c of due) c();
    },
    get pending() {
      return callbacks.length;
    },
  };
}

export function setup(options: { maxEvents?: number; examplesDir?: string; commands?: CommandTable; timers?: BatcherTimers } = {}) {
  const sessions: Session[] = [];
  const clocks: { speed: number }[] = [];
  let closed = 0;
  const timers = manualTimers();
  const app = new AppSession({
    createEngine: () => {
      const session = new Session({ commands: options.commands });
      sessions.push(session);
      const s = session.scheduler;
      const clock = { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos };
      clocks.push(clock);
      return { session, clock, close: () => void closed++ };
    },
    renderWav: (script, rate) => renderScriptToWav(script, rate),
    batching: { timers: options.timers ?? timers, maxEvents: options.maxEvents },
    examplesDir: options.examplesDir,
  });
  const received: HostMessage[] = [];
  const view: View = { send: (m) => received.push(m) };
  /** Run the virtual clock up to `seconds` (as the real clock would stand there, even if idle before), or until idle. */
  const run = (seconds?: number) => {
    const s = sessions.at(-1)!.scheduler;
    s.runUntilIdle(seconds);
    if (seconds !== undefined && s.nowNanos < seconds * 1e9) s.advanceTo(Math.round(seconds * 1e9));
  };
  return { app, timers, received, view, run, sessions, clocks, closedEngines: () => closed };
}

export const EXAMPLES = resolve(import.meta.dirname, '../../../resources/examples');

export const eventsOf = (messages: HostMessage[]): SessionEvent[] => messages.flatMap((m) => (m.type === 'events' ? m.events : []));
export const notesEvents = (messages: HostMessage[]) => eventsOf(messages).filter((e) => e.type === 'notes');
