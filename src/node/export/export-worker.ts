/**
 * The export worker's program (a `worker_threads` entry, built to
 * out/main/export-worker.js): render the one script it was started with and
 * post back the file (its buffer transferred, not copied) or why there is none.
 * It runs one export and ends, so a crash or a runaway script takes nothing
 * else with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderMidiInThread } from './render-midi';
import { ExportFailure, loadScriptSamples, renderScriptInThread } from './render-script';
import type { ExportJob, ExportAnswer } from './worker-export';

const job = workerData as ExportJob;

async function run(): Promise<ExportAnswer> {
  try {
    // the samples it names are decoded first, as the session that played it did
    const samples = await loadScriptSamples(job.script);
    if (job.format === 'midi') return { ok: true, format: 'midi', ...renderMidiInThread(job.script, job.limitSeconds, samples) };
    return { ok: true, ...renderScriptInThread(job.script, job.sampleRate, job.limitSeconds, samples) };
  } catch (error) {
    if (!(error instanceof ExportFailure)) throw error; // the host reports it as the worker failing
    return { ok: false, error: error.reason };
  }
}

void run().then((answer) => {
  const bytes = !answer.ok ? null : 'midi' in answer ? answer.midi : answer.wav;
  parentPort!.postMessage(answer, bytes === null ? [] : [bytes.buffer as ArrayBuffer]);
});
