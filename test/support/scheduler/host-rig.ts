import { RealTimeDriver, type EngineBehindEvent, type TimerFunctions } from '../../../src/core/scheduler/realtime';
import { Session } from '../../../src/core/session/session';
import type { SessionEvent } from '../../../src/core/session/api';
import type { SchedulerLimits } from '../../../src/core/scheduler/limits';

/**
 * A session on the real-clock driver whose host is simulated: no wall clock.
 * The fake wall clock moves only as the engine works (`costUs` per unit of
 * work: a resumption or a command) and when the host waits for its next timer.
 * Each host turn runs one host timer and the microtasks after it; `turn()`
 * says how much fake wall time the engine held the host in it (a stall).
 */
export function hostRig(options: { costUs?: number; sliceMs?: number; limits?: Partial<SchedulerLimits> } = {}) {
  const costMs = (options.costUs ?? 1) / 1000;
  const session = new Session({ limits: options.limits });
  const s = session.scheduler;
  let idleMs = 0;
  const nowMs = (): number => idleMs + (s.resumptions + s.work) * costMs;
  let pending: { at: number; cb: () => void }[] = [];
  const timers: TimerFunctions = {
    nowMs,
    setTimeout: (cb, ms) => {
      const entry = { at: nowMs() + ms, cb };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      pending = pending.filter((p) => p !== handle);
    },
  };
  const driver = new RealTimeDriver(s, { timers, sliceMs: options.sliceMs });
  const events: SessionEvent[] = [];
  session.subscribe((e) => {
    if (e.type === 'diagnostic' || e.type === 'source-ended' || e.type === 'task-failed') events.push(e);
  });
  const behind: EngineBehindEvent[] = [];
  driver.onBehind((e) => behind.push(e));
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 4; i++) await Promise.resolve();
  };
  let turns = 0;
  let worstStallMs = 0;
  return {
    session,
    driver,
    behind,
    get turns() {
      return turns;
    },
    get worstStallMs() {
      return worstStallMs;
    },
    nowMs,
    /** Diagnostics as `source:line:col: message`. */
    errors: () =>
      events.flatMap((e) => (e.type === 'diagnostic' ? [`${e.diagnostic.source}:${e.diagnostic.line}:${e.diagnostic.col}: ${e.diagnostic.message}`] : [])),
    start(script: string) {
      session.loadScript('live.txt', script);
      const t0 = nowMs();
      driver.start();
      return flush().then(() => {
        worstStallMs = Math.max(worstStallMs, nowMs() - t0);
      });
    },
    /** One turn of the host: wait for the earliest host timer, run it and what it queues. False if none is armed. */
    async turn(): Promise<boolean> {
      await flush();
      pending.sort((a, b) => a.at - b.at);
      const next = pending.shift();
      if (next === undefined) return false;
      if (next.at > nowMs()) idleMs += next.at - nowMs();
      const t0 = nowMs();
      next.cb();
      await flush();
      turns++;
      worstStallMs = Math.max(worstStallMs, nowMs() - t0);
      return true;
    },
    /** Host turns until `done()` or `max` turns. */
    async run(max: number, done: () => boolean = () => false): Promise<void> {
      for (let i = 0; i < max && !done(); i++) if (!(await this.turn())) return;
    },
    /** Something the host does between turns (input, a panic), and the microtasks it queues: how long it held the host. */
    async act(what: () => void): Promise<number> {
      const t0 = nowMs();
      what();
      await flush();
      const held = nowMs() - t0;
      worstStallMs = Math.max(worstStallMs, held);
      return held;
    },
  };
}

/** The 21-line doubling script of issue 11: 2^20 calls of a phrase that takes no time. */
export const DOUBLING = [...Array.from({ length: 20 }, (_, i) => (i === 0 ? 'def p1 beep 60 0' : `def p${i + 1} p${i}; p${i}`)), 'p20'].join('\n');
