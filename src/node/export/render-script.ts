/**
 * The export itself, on whatever thread calls it (the export worker does):
 * parse the script once (one with errors is refused), run it on the virtual clock as fast as possible, and
 * render the notes it played to a 16-bit mono WAV with the core synthesiser.
 */
import { preloadSamples, SampleRefused, samplesOf } from '../../core/commands/sample-load';
import { Session } from '../../core/session/session';
import { SessionState, type StateHolder } from '../../core/session/state';
import { SampleFiles, type SampleSources } from '../samples/sample-files';
import type { SessionEvent } from '../../core/session/api';
import type { StreamEvent } from '../../core/stream/stream';
import { changesFromStreamEvents, renderToWav } from '../../core/synth/render';
import type { HostError } from '../../protocol';
import { describeSeconds, probeLength, RENDER_LIMIT_SECONDS, RenderStalled, runToEnd, type ScriptLength } from './render-limit';

/** Longest script an export renders, in logical seconds: the one limit of every offline render. */
export const EXPORT_LIMIT_SECONDS = RENDER_LIMIT_SECONDS;

export interface ScriptToRender {
  name: string;
  text: string;
  /** How to load the samples it names, as the session that played it did. */
  samples?: SampleSources;
}

/**
 * The samples `script` names, decoded as the app's host did (its rules, and
 * the files dropped on the page), in a state a session takes over; undefined
 * for a script that names none.
 */
export async function loadScriptSamples(script: ScriptToRender): Promise<StateHolder | undefined> {
  if (script.samples === undefined || !/sample/i.test(script.text)) return undefined;
  const holder = { state: new SessionState() };
  const loader = new SampleFiles(script.samples.files);
  for (const { name, data } of script.samples.dropped) {
    try {
      samplesOf(holder).bank.add(null, name, `dropped/${name}`, await loader.decodeBytes(name, data));
    } catch (error) {
      if (!(error instanceof SampleRefused)) throw error;
    }
  }
  await preloadSamples(holder, script.name, script.text, loader);
  return holder;
}

/** An export's WAV file, and whether it holds the whole script. */
export interface RenderedWav {
  wav: Uint8Array;
  /** Set when the script still played at the export limit: the file holds its first part, and this says so. */
  cut: string | null;
}

/** Why an export made no file, as the reply to the renderer says it. */
export class ExportFailure extends Error {
  constructor(readonly reason: HostError) {
    super(reason.message);
    this.name = 'ExportFailure';
  }
}

/**
 * Run `script` on the virtual clock and render what it played (48000 Hz
 * unless `sampleRate` says otherwise). A script that still plays at the
 * export limit is rendered up to it (`cut` says so). Throws an ExportFailure
 * if the script has parse errors (every one located).
 */
export function renderScriptInThread(script: ScriptToRender, sampleRate?: number, limitSeconds = EXPORT_LIMIT_SECONDS, samples?: StateHolder): RenderedWav {
  const events: StreamEvent[] = [];
  const { session, ended } = playScriptInThread(
    script,
    limitSeconds,
    (event) => {
      if (event.type === 'notes' || event.type === 'stream-end') events.push(event);
    },
    samples,
  );
  const { changes, endNs } = changesFromStreamEvents(events);
  // Stereo, as --wav is: each voice at its pan.
  const bank = samplesOf(session).bank;
  const wav = renderToWav(changes, endNs ?? session.scheduler.nowNanos, sampleRate === undefined ? { channels: 2, samples: bank } : { rate: sampleRate, channels: 2, samples: bank });
  return { wav, cut: ended ? null : cutNotice(script, limitSeconds) };
}

/**
 * Run `script` on the virtual clock to its end (or the limit: `ended` is
 * false), `listener` hearing every event; the session has ended when this
 * returns. Throws an ExportFailure if the script has parse errors (every one located).
 */
export function playScriptInThread(script: ScriptToRender, limitSeconds: number, listener: (event: SessionEvent) => void, samples?: StateHolder): { session: Session; ended: boolean } {
  const session = new Session();
  // the samples loaded for it (loadScriptSamples) become the session's
  if (samples !== undefined) Object.assign(samplesOf(session), samplesOf(samples));
  // Parsed once: the parse that found no errors is the one that plays.
  const parsed = session.parseScript(script.name, script.text).finish();
  const diagnostics = parsed.diagnostics;
  if (diagnostics.length > 0) {
    const n = diagnostics.length;
    // The message alone is what a menu's notice shows: it names the first error's place.
    const first = diagnostics[0];
    throw new ExportFailure({
      code: 'parse-error',
      message:
        `${script.name}: not exported, ${n} error${n === 1 ? '' : 's'} to fix first` +
        ` (${first.source}:${first.line}:${first.col}: ${first.message}${n > 1 ? ', …' : ''})`,
      diagnostics,
    });
  }
  session.subscribe(listener);
  session.loadParsed(parsed);
  const ended = runOrStall(script, () => runToEnd(session, limitSeconds));
  // At the limit, what played so far is kept: the file is its first `limitSeconds`.
  if (!ended) session.scheduler.runUntilIdle(limitSeconds);
  // A script that holds notes at its end is cut there.
  if (!session.ended) session.quit();
  return { session, ended };
}

/** A render that stalls (an internal error) fails the export with its message, rather than spin. */
function runOrStall<T>(script: ScriptToRender, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof RenderStalled)) throw error;
    throw new ExportFailure({ code: 'failed', message: `${script.name}: not exported, ${error.message}` });
  }
}

/** What the app says of an export cut at its limit: how long the script is, as far as a probe can tell, and how to render it all. */
export function cutNotice(script: ScriptToRender, limitSeconds: number, extension = '.wav'): string {
  const probe = new Session();
  probe.loadScript(script.name, script.text);
  const length: ScriptLength = runOrStall(script, () => probeLength(probe));
  const limit = describeSeconds(limitSeconds);
  const wavName = script.name.replace(/\.[^./\\]*$/, '') + extension;
  const rest = length.ended
    ? `it plays for ${length.seconds} s; the command line renders all of it: corotone ${script.name} --until ${length.seconds} --${extension === '.mid' ? 'midi' : 'wav'} ${wavName}`
    : 'it plays on (a loop that is never stopped plays forever: end the script with a wait and a stop)';
  return `${script.name}: exported its first ${limit} only, the longest an export renders: ${rest}`;
}
