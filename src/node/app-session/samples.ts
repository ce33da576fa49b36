/**
 * The app host's samples (`sample PATH`): a script's and a typed line's files
 * are decoded before they run (the CLI's rule: the core never waits for a
 * file), files dropped on the page are decoded here and kept under their
 * names, and the page's player fetches a sample's PCM in parts (get-sample).
 * One loader per engine session, so a session decodes each file once and a
 * new session (after quit) starts from nothing.
 */
import { preloadSamples, SampleRefused, samplesOf } from '../../core/commands/sample-load';
import type { StateHolder } from '../../core/session/state';
import { LIMITS, type HostError, type ResultOf } from '../../protocol';
import { SampleFiles, type SampleSources } from '../samples/sample-files';
import type { EngineSession } from './engine';

export type { SampleSources } from '../samples/sample-files';

type Result<T> = { ok: true; value: T } | { ok: false; error: HostError };

/** How many dropped files a session keeps (the oldest is forgotten first). */
const MAX_DROPPED = 64;

export class HostSamples {
  private engine: EngineSession | null = null;
  /** Sessions rebuilt from this one's (replay from here): they take its samples, and its decodes and dropped files go on. */
  private readonly carried = new WeakSet<object>();
  private loader: SampleFiles;
  private dropped: { name: string; data: Uint8Array }[] = [];
  private redrops = 0;

  constructor(private rules: SampleSources['files']) {
    this.rules = { ...rules, folders: { ...rules.folders } };
    this.loader = new SampleFiles(this.rules);
  }

  /** The session's state, if the engine is the core's session (a test's fake has none: it plays no samples). */
  private holder(engine: EngineSession): StateHolder | null {
    if (engine !== this.engine && this.carried.has(engine)) this.engine = engine;
    else if (engine !== this.engine) {
      this.engine = engine;
      this.loader = new SampleFiles(this.rules);
      this.dropped = [];
    }
    const state = (engine as Partial<StateHolder>).state;
    return state === undefined ? null : { state };
  }

  /**
   * A session rebuilt from `from`'s inputs (replay from here) gets its decoded
   * samples before the inputs replay: the inputs name files, the decodes are not in them.
   */
  carryTo(from: EngineSession, to: StateHolder): void {
    const old = this.holder(from);
    if (old === null) return;
    const [was, now] = [samplesOf(old), samplesOf(to)];
    now.bank.copyFrom(was.bank);
    // a path refused is refused where its line runs, in the rebuild as it was live
    for (const [key, refusal] of was.refusals) now.refusals.set(key, refusal);
    this.carried.add(to);
  }

  /** The script played as `name` is the file in `folder`: its sample paths start there (the desktop app's Open). */
  setFolder(name: string, folder: string): void {
    // the loaders read this very record (a loader keeps its decodes)
    this.rules.folders![name] = folder;
  }

  /** Decode what `text` (source `source`) names, before it runs; a refusal is reported where its line runs. */
  async preload(engine: EngineSession, source: string, text: string): Promise<void> {
    if (!/sample/i.test(text)) return;
    const holder = this.holder(engine);
    if (holder !== null) await preloadSamples(holder, source, text, this.loader);
  }

  /** A dropped file: decoded and kept under `name` for every source of the session. */
  async add(engine: EngineSession, name: string, base64: string): Promise<Result<ResultOf<'add-sample'>>> {
    const holder = this.holder(engine);
    if (holder === null) return { ok: false, error: { code: 'unavailable', message: 'this engine plays no samples' } };
    const data = new Uint8Array(Buffer.from(base64, 'base64'));
    if (data.length > LIMITS.droppedSampleBytes) return refused(`${name} is larger than ${LIMITS.droppedSampleBytes / 1024 / 1024} MiB, the largest file the app takes in`);
    try {
      const audio = await this.loader.decodeBytes(name, data);
      // a file dropped again under a name already taken replaces it: a new id, so no one plays the old one for it
      const { bank } = samplesOf(holder);
      const taken = bank.get(`dropped/${name}`) !== undefined;
      const info = bank.add(null, name, taken ? `dropped/${name}#${++this.redrops}` : `dropped/${name}`, audio);
      this.dropped = [...this.dropped.filter((d) => d.name !== name), { name, data }].slice(-MAX_DROPPED);
      return { ok: true, value: { id: info.id, seconds: info.seconds } };
    } catch (error) {
      if (!(error instanceof SampleRefused)) throw error;
      return refused(error.message);
    }
  }

  /** A part of a sample's PCM for the page's player, from frame `from`. */
  get(engine: EngineSession, id: string, from: number): Result<ResultOf<'get-sample'>> {
    const holder = this.holder(engine);
    const bank = holder === null ? undefined : samplesOf(holder).bank;
    const info = bank?.get(id);
    const samples = bank?.samples(id);
    if (info === undefined || samples === undefined) return { ok: false, error: { code: 'failed', message: `no sample ${id} in this session` } };
    const part = samples.subarray(Math.min(from, samples.length), Math.min(samples.length, from + LIMITS.sampleChunkFrames));
    const data = Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64');
    return { ok: true, value: { sampleRate: info.sampleRate, frames: samples.length, from, data } };
  }

  /** What an export of this session needs to load its samples. */
  sources(): SampleSources {
    return { files: this.rules, dropped: [...this.dropped] };
  }
}

function refused(message: string): { ok: false; error: HostError } {
  return { ok: false, error: { code: 'failed', message } };
}
