/**
 * Replay from here: a fresh session on the virtual clock, fed a recorded
 * session's inputs (replay-inputs.ts) at the logical times they arrived,
 * stands at logical time T as the original stood there, in the milliseconds
 * the virtual clock takes, not the minutes the music took. The host then
 * checks it (replay-check.ts) and drives it on the real clock from T.
 *
 * Each input is applied as the real clock applied it: after exactly the work
 * the original had done when it arrived (its `work` count: the real clock may
 * not yet have run everything due before the input's time), with a clock
 * standing at its logical time, so that the work it queues is due then and a
 * control catches up to then first (Session.catchUp), as they did live.
 */
import type { LineSourceHandle, SessionEvent } from '../session/api';
import type { RealClock } from '../scheduler/clock';
import { Session, type SessionConfig } from '../session/session';
import type { SessionInput, TimedInput } from './replay-inputs';

export interface Rebuilt {
  session: Session;
  /** Every event of the rebuilt session up to T, in order. */
  events: SessionEvent[];
  /** The sources opened by `open-source` inputs, by handle (a host carries on typing into its terminal through these). */
  handles: LineSourceHandle[];
  /** Inputs applied. */
  applied: number;
  /** For each input applied, how many of `events` came before it (where it falls among them). */
  inputAt: number[];
}

/**
 * Build `config`'s session and bring it to logical time `atNs` with the
 * inputs that arrived up to then (later ones are ignored). The session keeps
 * its subscription: `events` goes on growing until `stopRecording()`.
 */
export function rebuildAt(
  inputs: readonly TimedInput[],
  atNs: number,
  config: SessionConfig & { configure?: (session: Session) => void } = {},
): Rebuilt & { stopRecording(): void } {
  const session = new Session(config);
  // Before any input: what needs the session itself (an executor on its scheduler).
  config.configure?.(session);
  const events: SessionEvent[] = [];
  const stopRecording = session.subscribe((event) => events.push(event));
  const handles: LineSourceHandle[] = [];
  const s = session.scheduler;
  let applied = 0;
  const inputAt: number[] = [];
  for (const { ns, work, input } of inputs) {
    if (ns > atNs) break;
    const owed = work - (s.resumptions + s.work);
    if (owed > 0) s.runDue(ns, owed);
    // The input meets the session as it met it live: a real clock standing at its time.
    inputAt.push(events.length);
    s.useRealClock(standingAt(ns));
    try {
      apply(session, handles, input);
    } finally {
      s.useRealClock(null);
    }
    applied++;
  }
  // As a real clock's driver runs it (work from outside at the time it came), but all at once.
  s.runDue(atNs);
  s.advanceTo(atNs);
  return { session, events, handles, applied, inputAt, stopRecording };
}

/** A real clock that stands at logical `ns` (its wall, as the virtual clock's, is logical time). */
function standingAt(ns: number): RealClock {
  return { logicalNowNs: () => ns, wallNs: () => ns, wallAtNs: (at) => at };
}

function apply(session: Session, handles: LineSourceHandle[], input: SessionInput): void {
  switch (input.kind) {
    case 'open-source':
      handles.push(session.openSource(input.name));
      return;
    case 'push-line':
      handles[input.handle]?.pushLine(input.text);
      return;
    case 'end-source':
      handles[input.handle]?.end();
      return;
    case 'load-script':
      session.loadScript(input.name, input.text);
      return;
    case 'cancel-task':
      session.cancelTask(input.id);
      return;
    case 'stop-source':
      session.stopSource(input.name);
      return;
    case 'interrupt-source':
      session.interruptSource(input.name);
      return;
    case 'stop-all':
      session.stopAll();
      return;
    case 'panic':
      session.panic();
      return;
    case 'quit':
      session.quit();
      return;
    case 'step':
      session.scheduler.stepAt(input.index);
      return;
    case 'next-timer':
      session.scheduler.advanceToNextTimer();
      return;
    case 'flush-notes':
      session.stream.flush(session.scheduler.nowNanos);
      return;
    case 'speed':
    case 'paused':
      return;
  }
}
