/**
 * The real engine: the core's Session on the real clock, and the offline
 * render of a script to WAV with the core synthesiser (for export-audio).
 */
import { RealTimeDriver } from '../../core/scheduler/realtime';
import { Session } from '../../core/session/session';
import type { StreamEvent } from '../../core/stream/stream';
import { nsToSeconds, secondsToNs } from '../../core/time';
import { changesFromStreamEvents, renderToWav } from '../../core/synth/render';
import type { Executor } from '../../core/executor/executor';
import { WorkerExecutor } from '../executor/worker-executor';
import type { EngineFactory } from './engine';
import type { ScriptText } from './app-session';

/**
 * A fresh Session driven by a RealTimeDriver (started by the AppSession).
 * `offload` runs its work in real worker threads, so live `block` holds the
 * melody and `offload` does not; the workers stop when the session does.
 */
export const createRealEngine: EngineFactory = () => {
  const workers = new WorkerExecutor();
  let clock: RealTimeDriver | null = null;
  const session = new Session({ executor: atClockSpeed(workers, () => clock?.speed ?? 1) });
  clock = new RealTimeDriver(session.scheduler);
  return { session, clock, close: () => workers.close() };
};

/**
 * `offload S` is S seconds of logical time: in slow motion (speed 1/2) its
 * worker is busy 2·S real seconds, so it ends where a `wait S` would.
 */
export function atClockSpeed(executor: Executor, speed: () => number): Executor {
  return {
    run: (job, done) => executor.run({ ...job, ns: Math.round(job.ns / speed()) }, done),
  };
}

/** Longest script an export renders, in logical seconds (a script that never ends stops here). */
export const EXPORT_LIMIT_SECONDS = 10 * 60;

/**
 * Run `script` on the virtual clock, as fast as possible, and render the notes
 * it played to a 16-bit mono WAV (48000 Hz unless `sampleRate` says otherwise).
 */
export function renderScriptToWav(script: ScriptText, sampleRate?: number): Uint8Array {
  const session = new Session();
  const events: StreamEvent[] = [];
  session.subscribe((event) => {
    if (event.type === 'notes' || event.type === 'stream-end') events.push(event);
  });
  session.loadScript(script.name, script.text);
  runToEnd(session, EXPORT_LIMIT_SECONDS);
  // A script that holds notes at its end (or hits the limit) is cut there.
  if (!session.ended) session.quit();
  const { changes, endNs } = changesFromStreamEvents(events);
  return renderToWav(changes, endNs ?? session.scheduler.nowNanos, sampleRate === undefined ? {} : { rate: sampleRate });
}

/**
 * Run on the virtual clock until nothing is left to do, or until logical time
 * `limitSeconds`. Unlike runUntilIdle(limit), time stays where the last thing
 * happened (not at the limit), so the render ends with the script.
 */
function runToEnd(session: Session, limitSeconds: number): void {
  const scheduler = session.scheduler;
  const limitNs = secondsToNs(limitSeconds);
  while (!scheduler.idle) {
    const next = scheduler.nextTimerNs() ?? scheduler.nowNanos;
    if (next > limitNs) {
      scheduler.advanceTo(limitNs);
      return;
    }
    scheduler.runUntilIdle(nsToSeconds(next));
  }
}
