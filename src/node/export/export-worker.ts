/**
 * The export worker's program (a `worker_threads` entry, built to
 * out/main/export-worker.js): render the one script it was started with and
 * post back the file (its buffer transferred, not copied) or why there is none.
 * It runs one export and ends, so a crash or a runaway script takes nothing
 * else with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderMidiInThread } from './render-midi';
import { ExportFailure, renderScriptInThread } from './render-script';
import type { ExportJob, ExportAnswer } from './worker-export';

const job = workerData as ExportJob;
let answer: ExportAnswer;
try {
  answer = job.format === 'midi' ? { ok: true, format: 'midi', ...renderMidiInThread(job.script, job.limitSeconds) } : { ok: true, ...renderScriptInThread(job.script, job.sampleRate, job.limitSeconds) };
} catch (error) {
  if (!(error instanceof ExportFailure)) throw error; // the host reports it as the worker failing
  answer = { ok: false, error: error.reason };
}
const bytes = !answer.ok ? null : 'midi' in answer ? answer.midi : answer.wav;
parentPort!.postMessage(answer, bytes === null ? [] : [bytes.buffer as ArrayBuffer]);
