/**
 * Records what enters a session from outside (replay-inputs.ts): a session
 * wrapped so that each control the host calls is written to an InputLog with
 * the logical time it arrived at, then passed on. The wrapper is the one door
 * the host's requests go through, so no input is missed: lines (through the
 * handles of the sources it opens), scripts, cancels, stops, panic, quit.
 */
import type { ScriptParse, ScriptParseOptions } from '../language/script-parse';
import type { Scheduler } from '../scheduler/scheduler';
import type { LineSourceHandle, SessionControl } from '../session/api';
import type { InputLog, SessionInput } from './replay-inputs';

/** The part of a session the host drives (src/node/app-session/engine.ts's EngineSession). */
export type RecordableSession = Omit<SessionControl, 'ended' | 'errorCount'> & { readonly scheduler: Scheduler };

/** Runs `body` with the session's clock reading held still. */
export type Hold = <T>(body: () => T) => T;
type Recorder = <T>(input: SessionInput, body: () => T) => T;

/** A recorded session, and the sources it had opened before recording began, their lines recorded from now on. */
export interface Recording<S> {
  session: S;
  /** The handle of source `index` opened before (a rebuilt session's), its lines recorded; undefined if there is none. */
  reopened(index: number): LineSourceHandle | undefined;
}

/**
 * `session`, each input written to `log` before it is passed on; everything
 * else reaches the session itself. `before` are the sources a rebuilt session
 * had opened: new handles count on from them.
 */
export function recordInputs<S extends RecordableSession>(
  session: S,
  log: InputLog,
  before: readonly LineSourceHandle[] = [],
  /**
   * Runs one input with the clock's reading held (a real clock moves while the
   * session handles it): every time the session reads is the time recorded.
   */
  held: Hold = (body) => body(),
): Recording<S> {
  let opened = before.length;
  const record: Recorder = (input, body) =>
    held(() => {
      const s = session.scheduler;
      log.record(s.presentNanos, s.resumptions + s.work, input);
      return body();
    });
  const texts = new WeakMap<ScriptParse, string>();
  const wrapper: RecordableSession = {
    get scheduler() {
      return session.scheduler;
    },
    subscribe: (listener) => session.subscribe(listener),
    openSource(name: string): LineSourceHandle {
      return record({ kind: 'open-source', name }, () => recordedHandle(session.openSource(name), opened++, record));
    },
    loadScript: (name, text) => record({ kind: 'load-script', name, text }, () => session.loadScript(name, text)),
    check: (name, text) => session.check(name, text),
    parseScript(name: string, text: string, options?: ScriptParseOptions) {
      const script = session.parseScript(name, text, options);
      texts.set(script, text);
      return script;
    },
    loadParsed(script) {
      const text = texts.get(script);
      return text === undefined ? session.loadParsed(script) : record({ kind: 'load-script', name: script.source, text }, () => session.loadParsed(script));
    },
    cancelTask: (id) => record({ kind: 'cancel-task', id }, () => session.cancelTask(id)),
    stopSource: (name) => record({ kind: 'stop-source', name }, () => session.stopSource(name)),
    interruptSource: (name) => record({ kind: 'interrupt-source', name }, () => session.interruptSource(name)),
    stopAll: () => record({ kind: 'stop-all' }, () => session.stopAll()),
    panic: () => record({ kind: 'panic' }, () => session.panic()),
    snapshot: () => session.snapshot(),
    quit: () => record({ kind: 'quit' }, () => session.quit()),
  };
  const recorded = new Proxy(session, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(wrapper, prop)) return (wrapper as unknown as Record<string | symbol, unknown>)[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    session: recorded,
    reopened: (index) => (before[index] === undefined ? undefined : recordedHandle(before[index], index, record)),
  };
}

/** A source's handle whose lines are recorded as inputs of source `handle` (the count of opens before it). */
function recordedHandle(inner: LineSourceHandle, handle: number, record: Recorder): LineSourceHandle {
  return {
    name: inner.name,
    pushLine: (text) => record({ kind: 'push-line', handle, text }, () => inner.pushLine(text)),
    // The host types whole lines; bytes (stdin) are recorded as their text.
    pushBytes: (bytes) => record({ kind: 'push-line', handle, text: new TextDecoder().decode(bytes).replace(/\r?\n$/, '') }, () => inner.pushBytes(bytes)),
    end: () => record({ kind: 'end-source', handle }, () => inner.end()),
  };
}
