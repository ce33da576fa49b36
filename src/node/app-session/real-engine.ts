/**
 * The real engine: the core's Session on the real clock, and the offline
 * render of a script to WAV with the core synthesiser (for export-audio), in
 * a worker thread (src/node/export).
 */
import { RealTimeDriver } from '../../core/scheduler/realtime';
import { rebuildAt } from '../../core/debug/replay';
import { Session, type SessionConfig } from '../../core/session/session';
import { VirtualExecutor, type Executor } from '../../core/executor/executor';
import { WorkerExecutor } from '../executor/worker-executor';
import type { RenderedWav } from '../export/render-script';
import type { RenderedMidi } from '../export/render-midi';
import { renderInWorker, renderMidiInWorker } from '../export/worker-export';
import type { EngineFactory, RebuildRequest, RebuiltParts } from './engine';
import type { ScriptText } from './engine';

/**
 * A fresh Session driven by a RealTimeDriver (started by the AppSession).
 * `offload` runs its work in real worker threads, so live `block` holds the
 * melody and `offload` does not; the workers stop when the session does.
 * Given a RebuildRequest, the session is first rebuilt on the virtual clock
 * (replay from here), its jobs until then standing in for workers as they do
 * offline; from the moment it is driven live, jobs go to the workers.
 */
export const createRealEngine: EngineFactory = (rebuild?: RebuildRequest) => {
  const workers = new WorkerExecutor();
  let clock: RealTimeDriver | null = null;
  let executor: Executor | null = null;
  const live = atClockSpeed(workers, () => clock?.speed ?? 1);
  // The host keeps the history itself (history.ts): the session need not keep a recent window too.
  const config: SessionConfig = { executor: { run: (...job) => (executor ?? live).run(...job) }, quitEnds: 'source', recentEvents: 0 };
  let session: Session;
  let rebuilt: RebuiltParts | undefined;
  if (rebuild === undefined) session = new Session(config);
  else {
    let offline: VirtualExecutor | null = null;
    executor = { run: (...job) => offline!.run(...job) };
    const made = rebuildAt(rebuild.inputs, rebuild.atNs, { ...config, configure: (s) => {
      offline = new VirtualExecutor(s.scheduler);
      rebuild.prepare?.(s);
    } });
    made.stopRecording();
    session = made.session;
    rebuilt = { events: made.events, handles: made.handles, inputAt: made.inputAt };
    executor = null;
  }
  clock = new RealTimeDriver(session.scheduler);
  clock.onBehind((report) => session.engineBehind(report));
  return { session, clock, close: () => workers.close(), rebuilt };
};

/**
 * `offload S` is S seconds of logical time: in slow motion (speed 1/2) its
 * worker is busy 2·S real seconds, so it ends where a `wait S` would.
 */
export function atClockSpeed(executor: Executor, speed: () => number): Executor {
  return {
    run: (job, done, started) => executor.run({ ...job, ns: Math.round(job.ns / speed()) }, done, started),
  };
}

export { EXPORT_LIMIT_SECONDS } from '../export/render-script';

/**
 * Run `script` on the virtual clock and render the notes it played to a
 * 16-bit mono WAV (48000 Hz unless `sampleRate` says otherwise), in a worker
 * thread, so the live session on this thread keeps its timing (a script longer
 * than the limit: its first part, and `cut` says so). Rejects with an
 * ExportFailure (parse errors, the worker died, `signal` aborted).
 */
export function renderScriptToWav(script: ScriptText, sampleRate?: number, signal?: AbortSignal): Promise<RenderedWav> {
  return renderInWorker(script, sampleRate, { signal });
}

/** Run `script` on the virtual clock in a worker thread and write what it played as a MIDI file (export-audio's `format: 'midi'`). */
export function renderScriptToMidi(script: ScriptText, signal?: AbortSignal): Promise<RenderedMidi> {
  return renderMidiInWorker(script, { signal });
}
