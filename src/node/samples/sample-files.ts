/**
 * `sample PATH`'s files: the path rules and the decoder (audio-decode: WAV,
 * FLAC, OGG Vorbis, MP3), as the session's SampleLoader (core/commands/sample-load.ts).
 *
 * - A path is relative to the folder of the script that names it (standard
 *   input's and a typed line's: the folder corotone runs in, or web mode's folder).
 * - With a `root` (web mode): only files under it, by their real path: no
 *   absolute path, no `..`, no link that leads out of it.
 * - Always: a regular file of at most MAX_SAMPLE_BYTES, decoding to at most
 *   MAX_SAMPLE_SECONDS.
 *
 * Each file is read and decoded once per loader (a loader lives as long as its
 * session): `decodes` counts the decodes.
 */
import { constants, existsSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import decodeAudio from 'audio-decode';
import { SampleRefused, type SampleLoader } from '../../core/commands/sample-load';
import type { DecodedAudio } from '../../core/synth/sample-bank';
import { describeFileError, describeFileKind } from '../files/file-error';

/** The largest audio file read, in bytes (16 MiB). */
export const MAX_SAMPLE_BYTES = 16 * 1024 * 1024;
/** The longest a decoded sample may be, in seconds (10 minutes). */
export const MAX_SAMPLE_SECONDS = 600;

export interface SampleFilesOptions {
  /** The folder a source's paths are relative to; by default its name's folder, from `base`. */
  folderOf?: (source: string) => string;
  /** Where relative script names (and standard input) start: default the working folder. */
  base?: string;
  /** Web mode: only files under this folder are read. */
  root?: string;
  /** The folder of a script by its source name (the desktop app's Open plays a file by its bare name): its paths start there. */
  folders?: Record<string, string>;
  /** The app's lessons: a script of this folder's (by its bare name) reads under its parent folder (resources/), `..` allowed there. */
  examplesDir?: string;
}

/** What an export worker needs to load a script's samples as the app's host did: the rules, and the files dropped on the page. */
export interface SampleSources {
  files: Pick<SampleFilesOptions, 'base' | 'root' | 'examplesDir' | 'folders'>;
  dropped: { name: string; data: Uint8Array }[];
}

/** The folder a source's paths start from, the folder it may read under, and whether `..` is refused. */
interface Policy {
  folder: string;
  root: string | undefined;
  strict: boolean;
}

export class SampleFiles implements SampleLoader {
  /** How many files have been decoded. */
  decodes = 0;
  private readonly base: string;
  private readonly root: string | undefined;
  private readonly folderOf: (source: string) => string;
  private readonly examplesDir: string | undefined;
  private readonly folders: Record<string, string>;
  /** Each real path's load (its id and audio, or its refusal), once. */
  private readonly loads = new Map<string, Promise<{ id: string; audio: DecodedAudio }>>();

  constructor(options: SampleFilesOptions = {}) {
    this.base = resolve(options.base ?? process.cwd());
    this.root = options.root === undefined ? undefined : resolve(options.root);
    this.examplesDir = options.examplesDir === undefined ? undefined : resolve(options.examplesDir);
    this.folders = options.folders ?? {};
    this.folderOf = options.folderOf ?? ((source) => (source.startsWith('<') ? this.base : dirname(resolve(this.base, source))));
  }

  async load(path: string, source: string): Promise<{ id: string; audio: DecodedAudio }> {
    const full = await this.resolvePath(path, source);
    let load = this.loads.get(full);
    if (load === undefined) {
      load = this.readAndDecode(path, full);
      this.loads.set(full, load);
    }
    return load;
  }

  /** Decode a file's bytes (one dropped on the app), refused as a file on disk would be. */
  async decodeBytes(name: string, bytes: Uint8Array): Promise<DecodedAudio> {
    if (bytes.length > MAX_SAMPLE_BYTES) throw new SampleRefused(`${name} is ${bytes.length} bytes, larger than ${MAX_SAMPLE_BYTES / 1024 / 1024} MiB, the largest sample corotone reads`, name, `an audio file of at most ${MAX_SAMPLE_BYTES / 1024 / 1024} MiB`);
    return decode(name, bytes, () => this.decodes++);
  }

  private policyOf(source: string): Policy {
    const lesson = this.examplesDir !== undefined && /^[\w.-]+\.txt$/.test(source) && existsSync(resolve(this.examplesDir, source));
    if (lesson) return { folder: this.examplesDir!, root: dirname(this.examplesDir!), strict: false };
    const opened = Object.hasOwn(this.folders, source) ? this.folders[source] : undefined;
    if (opened !== undefined) return { folder: opened, root: this.root, strict: this.root !== undefined };
    return { folder: this.folderOf(source), root: this.root, strict: this.root !== undefined };
  }

  /** The real path `path` names, or a SampleRefused saying why not. */
  private async resolvePath(path: string, source: string): Promise<string> {
    const policy = this.policyOf(source);
    if (policy.strict) {
      if (isAbsolute(path) || /^[a-z]:/i.test(path)) throw new SampleRefused(`web mode reads no absolute path: ${path} must be relative to the script's folder`, path, 'a path relative to the script, under the folder web mode serves');
      if (path.split(/[/\\]/).includes('..')) throw new SampleRefused(`web mode reads no path with "..": ${path} would leave the script's folder`, path, 'a path under the folder web mode serves, without ".."');
    }
    const named = resolve(policy.folder, path);
    let real: string;
    try {
      real = await realpath(named);
    } catch (error) {
      throw new SampleRefused(`cannot read ${path}: ${describeFileError(error as NodeJS.ErrnoException)}`, path, 'an audio file (WAV, FLAC, OGG or MP3)');
    }
    if (policy.root !== undefined && !inside(real, await realpath(policy.root).catch(() => policy.root!))) {
      throw new SampleRefused(`web mode reads only files under its folder: ${path} leads out of it (a link)`, path, 'a file under the folder web mode serves');
    }
    return real;
  }

  private async readAndDecode(path: string, real: string): Promise<{ id: string; audio: DecodedAudio }> {
    const audio = await decode(path, await readCapped(path, real), () => this.decodes++);
    return { id: relative(this.root ?? this.base, real).split(sep).join('/'), audio };
  }
}

/** Decode `bytes` (named `path` in what a refusal says); `counted` is called for each decode that ran. */
async function decode(path: string, bytes: Uint8Array, counted: () => void): Promise<DecodedAudio> {
  let decoded: { sampleRate: number; channelData: Float32Array[] };
  try {
    decoded = (await decodeAudio(bytes)) as unknown as typeof decoded;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new SampleRefused(`cannot decode ${path}: ${why}`, path, 'an audio file: WAV, FLAC, OGG or MP3');
  }
  counted();
  const channels = decoded.channelData ?? [];
  const frames = channels[0]?.length ?? 0;
  if (channels.length === 0 || frames === 0 || !(decoded.sampleRate > 0)) throw new SampleRefused(`${path} holds no sound`, path, 'an audio file with at least one sample');
  if (frames / decoded.sampleRate > MAX_SAMPLE_SECONDS) {
    throw new SampleRefused(`${path} plays ${(frames / decoded.sampleRate).toFixed(1)} s, longer than ${MAX_SAMPLE_SECONDS} s, the longest sample corotone plays`, path, `a sample of at most ${MAX_SAMPLE_SECONDS} s`);
  }
  return { sampleRate: decoded.sampleRate, channelData: channels };
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The whole of a regular file of at most MAX_SAMPLE_BYTES. */
async function readCapped(path: string, real: string): Promise<Uint8Array> {
  const refuse = (why: string, expected = 'an audio file (WAV, FLAC, OGG or MP3)') => new SampleRefused(`cannot read ${path}: ${why}`, path, expected);
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(describeFileError(error as NodeJS.ErrnoException));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse(`not a regular file (${describeFileKind(info)})`);
    const cap = `an audio file of at most ${MAX_SAMPLE_BYTES / 1024 / 1024} MiB`;
    if (info.size > MAX_SAMPLE_BYTES) throw refuse(`${info.size} bytes, larger than ${MAX_SAMPLE_BYTES / 1024 / 1024} MiB, the largest sample corotone reads`, cap);
    const buffer = new Uint8Array(info.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      // It grew while read: past its size, it is refused rather than read on.
      if (length > info.size) throw refuse(`it grew while it was read`, cap);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof SampleRefused) throw error;
    throw refuse(describeFileError(error as NodeJS.ErrnoException));
  } finally {
    await handle.close();
  }
}
