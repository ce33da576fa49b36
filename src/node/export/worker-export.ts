/**
 * Export a script to WAV in a worker thread, so the live session's scheduler
 * (on this thread) keeps its timing while the export runs: a 10-minute script
 * takes a few hundred ms to run and render, which on the engine's thread made
 * every live task resume that much late.
 *
 * Each export gets a fresh worker that ends with it (starting one costs tens
 * of ms, nothing next to the render). Whatever happens to the worker, the
 * promise settles: with the WAV, or with an ExportFailure saying why not.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { HostError } from '../../protocol';
import type { RenderedMidi } from './render-midi';
import { EXPORT_LIMIT_SECONDS, ExportFailure, type RenderedWav, type ScriptToRender } from './render-script';

/**
 * Longest an export may work, wall-clock ms. A 10-minute script takes well
 * under a second; one that sleeps a nanosecond at a time in a loop would take
 * hours to reach the limit, and until it ends no other export could start.
 */
export const EXPORT_TIMEOUT_MS = 2 * 60 * 1000;

/** What the worker is started with (its workerData). */
export interface ExportJob {
  script: ScriptToRender;
  sampleRate: number | undefined;
  limitSeconds: number;
  /** What to write (default a WAV). */
  format?: 'wav' | 'midi';
}

type Rendered = RenderedWav | ({ format: 'midi' } & RenderedMidi);
/** The worker's one message. */
export type ExportAnswer = ({ ok: true } & Rendered) | { ok: false; error: HostError };

export interface WorkerExportOptions {
  /** Aborting stops the worker at once; the promise rejects with a `session-ended` failure. */
  signal?: AbortSignal;
  /** Longest script rendered, logical seconds (default EXPORT_LIMIT_SECONDS). */
  limitSeconds?: number;
  /** Give up (terminate the worker) after this many ms (default EXPORT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Heap limits for the worker: beyond them it dies (ERR_WORKER_OUT_OF_MEMORY), not the host. */
  resourceLimits?: ResourceLimits;
  /** Start the worker for a job (tests start one that crashes). Default: the export worker. */
  startWorker?: (job: ExportJob, resourceLimits: ResourceLimits | undefined) => Worker;
}

/**
 * Where the worker's program is. From source (vitest, tsx) this module is a
 * .ts file beside the worker's entry, which is loaded through a small .mjs
 * that registers tsx in the worker; in the electron-vite build this module is
 * bundled into out/main/index.js, beside the worker's own entry
 * (electron.vite.config.ts builds it as out/main/export-worker.js).
 */
export function exportWorkerUrl(moduleUrl: string = import.meta.url): URL {
  const fromSource = moduleUrl.endsWith('.ts');
  // A name held in a variable, so the bundler leaves the URL to run time.
  const entry = fromSource ? 'export-worker.source.mjs' : 'export-worker.js';
  return new URL(`./${entry}`, moduleUrl);
}

export function startExportWorker(job: ExportJob, resourceLimits?: ResourceLimits): Worker {
  return new Worker(exportWorkerUrl(), { workerData: job, resourceLimits, stdout: false, stderr: false });
}

/** Run and render `script` in a worker thread; resolves with the WAV file's bytes (and whether the script was cut at the limit). */
export async function renderInWorker(script: ScriptToRender, sampleRate?: number, options: WorkerExportOptions = {}): Promise<RenderedWav> {
  const answer = await runInWorker({ script: { name: script.name, text: script.text, samples: script.samples }, sampleRate, limitSeconds: options.limitSeconds ?? EXPORT_LIMIT_SECONDS }, options);
  if ('format' in answer) throw new ExportFailure({ code: 'failed', message: 'the export worker wrote a MIDI file, not a WAV' });
  return { wav: answer.wav, cut: answer.cut };
}

/** Run `script` in a worker thread and write what it played as a MIDI file. */
export async function renderMidiInWorker(script: ScriptToRender, options: WorkerExportOptions = {}): Promise<RenderedMidi> {
  const job: ExportJob = { script: { name: script.name, text: script.text, samples: script.samples }, sampleRate: undefined, limitSeconds: options.limitSeconds ?? EXPORT_LIMIT_SECONDS, format: 'midi' };
  const answer = await runInWorker(job, options);
  if (!('format' in answer)) throw new ExportFailure({ code: 'failed', message: 'the export worker wrote a WAV, not a MIDI file' });
  return { midi: answer.midi, cut: answer.cut, leftOut: answer.leftOut };
}

/** One export job in a worker of its own: its answer, or an ExportFailure saying why there is none. */
function runInWorker(job: ExportJob, options: WorkerExportOptions): Promise<Rendered> {
  const { signal } = options;
  const script = job.script;
  return new Promise<Rendered>((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    let worker: Worker;
    try {
      worker = (options.startWorker ?? startExportWorker)(job, options.resourceLimits);
    } catch (error) {
      reject(new ExportFailure({ code: 'failed', message: `the export could not start: ${messageOf(error)}` }));
      return;
    }
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const timeoutMs = options.timeoutMs ?? EXPORT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 100) / 10;
      settle(() => reject(new ExportFailure({ code: 'failed', message: `${script.name}: not exported, it was still rendering after ${seconds} s` })));
      void worker.terminate();
    }, timeoutMs);
    const onAbort = (): void => {
      settle(() => reject(stopped()));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (answer: ExportAnswer) => {
      settle(() => (answer.ok ? resolve(answer) : reject(new ExportFailure(answer.error))));
    });
    worker.on('error', (error) => {
      settle(() => reject(new ExportFailure({ code: 'failed', message: `the export failed: ${messageOf(error)}` })));
    });
    worker.on('exit', (code) => {
      settle(() =>
        reject(new ExportFailure({ code: 'failed', message: `the export stopped before it finished (its worker exited with code ${code})` })),
      );
    });
  });
}

function stopped(): ExportFailure {
  return new ExportFailure({ code: 'session-ended', message: 'the export was stopped: its session closed' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
