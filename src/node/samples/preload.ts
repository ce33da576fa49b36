/**
 * The CLI's and the hosts' step before a script runs: decode every sample it
 * names (sample-files.ts), into the session's bank.
 */
import { preloadSamples, samplesOf, type SampleLoader } from '../../core/commands/sample-load';
import type { LineSourceHandle, SessionControl } from '../../core/session/api';
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

/**
 * `session` as a live source's reader sees it: a line (or a chunk of bytes)
 * that names a sample waits for its file to be decoded before it goes in, and
 * whatever comes after it waits its turn, so lines keep their order.
 */
export function withSamplesFirst<S extends StateHolder & Pick<SessionControl, 'openSource' | 'interruptSource' | 'ended'>>(session: S, loader: SampleLoader): S {
  const openSource = (name: string): LineSourceHandle => {
    const opened = session.openSource(name);
    let queue: Promise<void> | null = null;
    const inTurn = (text: string | null, go: () => void): void => {
      if (queue === null && (text === null || !/sample/i.test(text))) return go();
      const mine: Promise<void> = (queue ?? Promise.resolve())
        .then(() => (text === null ? undefined : preloadSamples(session, name, text, loader).then(() => undefined)))
        .catch(() => {})
        .then(() => {
          if (queue === mine) queue = null;
          go();
        });
      queue = mine;
    };
    return {
      name: opened.name,
      pushLine: (line) => inTurn(line, () => opened.pushLine(line)),
      pushBytes: (bytes) => inTurn(new TextDecoder().decode(bytes), () => opened.pushBytes(bytes)),
      end: () => inTurn(null, () => opened.end()),
    };
  };
  return new Proxy(session, { get: (target, key, receiver) => (key === 'openSource' ? openSource : Reflect.get(target, key, receiver)) });
}
