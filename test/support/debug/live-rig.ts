import { RealTimeDriver, type TimerFunctions } from '../../../src/core/scheduler/realtime';
import { Session, type SessionConfig } from '../../../src/core/session/session';
import type { SessionEvent } from '../../../src/core/session/api';
import { InputLog } from '../../../src/core/debug/replay-inputs';
import { recordInputs } from '../../../src/core/debug/record-inputs';

/**
 * A session on the real-clock driver, as the app plays it, with a wall clock
 * the test moves (`to(ms)` runs the host timers due by then, in order), and
 * its inputs recorded as the host records them: the original a rebuild is
 * checked against.
 */
export function liveRig(config: SessionConfig = {}) {
  const session = new Session(config);
  let wallMs = 0;
  let pending: { at: number; cb: () => void }[] = [];
  const timers: TimerFunctions = {
    nowMs: () => wallMs,
    setTimeout: (cb, ms) => {
      const entry = { at: wallMs + ms, cb };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      pending = pending.filter((p) => p !== handle);
    },
  };
  const driver = new RealTimeDriver(session.scheduler, { timers });
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const log = new InputLog();
  const engine = recordInputs(session, log).session;
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  driver.start();
  return {
    session,
    driver,
    engine,
    events,
    log,
    /** Move the wall clock to `ms` (never back), running every host timer due on the way. */
    async to(ms: number): Promise<void> {
      for (;;) {
        await flush();
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (next === undefined || next.at > ms) break;
        pending.shift();
        wallMs = Math.max(wallMs, next.at);
        next.cb();
      }
      wallMs = Math.max(wallMs, ms);
      await flush();
    },
    /**
     * At wall time `ms`, do `what` to the recorded session (an input from
     * outside). `lateMs`: the host's timers due in the last `lateMs` have not
     * fired yet (a busy host), so the input comes before work due before it.
     */
    async at(ms: number, what: (engine: Session) => void, lateMs = 0): Promise<void> {
      await this.to(ms - lateMs);
      wallMs = Math.max(wallMs, ms);
      what(engine);
      await flush();
    },
    stop(): void {
      driver.stop();
    },
  };
}
