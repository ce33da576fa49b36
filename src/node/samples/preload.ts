/**
 * The CLI's and the hosts' step before a script runs: decode every sample it
 * names (sample-files.ts), into the session's bank.
 */
import { preloadSamples, samplesOf, type SampleLoader } from '../../core/commands/sample-load';
import type { StateHolder } from '../../core/session/state';
import type { SampleBank } from '../../core/synth/sample-bank';
import { SampleFiles } from './sample-files';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Load the samples of each script file (one that is not UTF-8 names none the
 * session could read) and return the session's bank. What a loader refuses is
 * reported where its `sample` line runs.
 */
export async function preloadScriptSamples(session: StateHolder, files: readonly { name: string; bytes: Uint8Array }[], loader: SampleLoader = new SampleFiles()): Promise<SampleBank> {
  for (const file of files) {
    let text: string;
    try {
      text = strictUtf8.decode(file.bytes);
    } catch {
      continue;
    }
    await preloadSamples(session, file.name, text, loader);
  }
  return samplesOf(session).bank;
}
