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

/**
 * `session`, each input written to `log` before it is passed on; everything
 * else reaches the session itself. `opened` sources were opened before (a
 * rebuilt session's): the handles of new ones count on from there.
 */
export function recordInputs<S extends RecordableSession>(session: S, log: InputLog, opened = 0): S {
  const record = (input: SessionInput): void => {
    const s = session.scheduler;
    log.record(s.presentNanos, s.resumptions + s.work, input);
  };
  const texts = new WeakMap<ScriptParse, string>();
  const wrapper: RecordableSession = {
    get scheduler() {
      return session.scheduler;
    },
    subscribe: (listener) => session.subscribe(listener),
    openSource(name: string): LineSourceHandle {
      record({ kind: 'open-source', name });
      return recordedHandle(session.openSource(name), opened++, record);
    },
    loadScript(name, text) {
      record({ kind: 'load-script', name, text });
      return session.loadScript(name, text);
    },
    check: (name, text) => session.check(name, text),
    parseScript(name: string, text: string, options?: ScriptParseOptions) {
      const script = session.parseScript(name, text, options);
      texts.set(script, text);
      return script;
    },
    loadParsed(script) {
      const text = texts.get(script);
      if (text !== undefined) record({ kind: 'load-script', name: script.source, text });
      return session.loadParsed(script);
    },
    cancelTask(id) {
      record({ kind: 'cancel-task', id });
      return session.cancelTask(id);
    },
    stopSource(name) {
      record({ kind: 'stop-source', name });
      return session.stopSource(name);
    },
    interruptSource(name) {
      record({ kind: 'interrupt-source', name });
      return session.interruptSource(name);
    },
    stopAll() {
      record({ kind: 'stop-all' });
      session.stopAll();
    },
    panic() {
      record({ kind: 'panic' });
      session.panic();
    },
    snapshot: () => session.snapshot(),
    quit() {
      record({ kind: 'quit' });
      session.quit();
    },
  };
  return new Proxy(session, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(wrapper, prop)) return (wrapper as unknown as Record<string | symbol, unknown>)[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A source's handle whose lines are recorded as inputs of source `handle` (the count of opens before it). */
function recordedHandle(inner: LineSourceHandle, handle: number, record: (input: SessionInput) => void): LineSourceHandle {
  return {
    name: inner.name,
    pushLine(text) {
      record({ kind: 'push-line', handle, text });
      inner.pushLine(text);
    },
    pushBytes(bytes) {
      // The host types whole lines; bytes (stdin) are recorded as their text.
      record({ kind: 'push-line', handle, text: new TextDecoder().decode(bytes).replace(/\r?\n$/, '') });
      inner.pushBytes(bytes);
    },
    end() {
      record({ kind: 'end-source', handle });
      inner.end();
    },
  };
}
