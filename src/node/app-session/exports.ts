/**
 * The files a host session produces: the typed session saved as a script, and
 * a script rendered offline to WAV (EXPORTS_AT_ONCE at a time, the rest in a
 * queue; each can be cancelled, and all stop when the session closes). Each is handed to the transport's `deliverFile`: Electron
 * shows a Save dialog, web mode offers a download.
 */
import type { FileResult, ParamsOf, ReplyOf } from '../../protocol';
import type { RenderedMidi } from '../export/render-midi';
import { ExportFailure, type RenderedWav } from '../export/render-script';
import type { ScriptText } from './engine';

/** A file the host produced, handed to the transport to save or offer. */
export interface OutgoingFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  /** 'text' files (a saved session) may be offered as utf8 rather than base64. */
  kind: 'text' | 'binary';
}

export interface ExportOptions {
  /**
   * Render a script offline to WAV bytes (the core synthesiser; the real one
   * runs in a worker thread). `signal` is aborted when the session closes. It
   * may reject with an ExportFailure, whose reason is the reply's error. A
   * RenderedWav's `cut` (the script played past the export limit) is told to
   * the views. Without it export-audio is `unavailable`.
   */
  renderWav?: (script: ScriptText, sampleRate: number | undefined, signal: AbortSignal) => WavBytes | Promise<WavBytes>;
  /** Run a script offline and write its notes as a MIDI file (in a worker thread). Without it, an export of `format: 'midi'` is `unavailable`. */
  renderMidi?: (script: ScriptText, signal: AbortSignal) => Promise<RenderedMidi>;
  /** Deliver a produced file: Electron shows a Save dialog; the default offers it as a download. */
  deliverFile?: (file: OutgoingFile) => Promise<FileResult>;
}

/** A rendered WAV: its bytes, or the bytes and whether the script was cut at the limit. */
export type WavBytes = Uint8Array | RenderedWav;

/** An export's file, and what to tell the views of it (cut at the limit, notes left out). */
interface RenderedFile {
  file: OutgoingFile;
  notices: string[];
}

/** What the session has to export: its typed lines, its scripts, everything that played, and the default. */
export interface ExportSources {
  typedScript(): string;
  /** The script that played as source `name`, if kept. */
  playedScript(name: string): ScriptText | null;
  /** Everything that played, as a script of its notes ('' if nothing sounded). */
  everythingPlayed(): string;
  scriptToExport(): ScriptText | null;
  /** How an export loads the samples a script names, as the session does (none: it plays no samples). */
  samples?(): ScriptText['samples'];
  /** True once the session has closed. */
  closed(): boolean;
  /** Tell the views something about an export that went through (a file cut at the export limit). */
  notify(text: string): void;
}

/**
 * How many exports render at once, each in its own worker thread; the rest
 * wait their turn, in order. Two keep one export that runs long (or cannot
 * finish) from holding up the next, and leave the live session's thread a
 * core of its own on a machine of four.
 */
export const EXPORTS_AT_ONCE = 2;

/** One export, from its request to its reply. */
interface ExportJob {
  /** The renderer's name for it (export-audio's `exportId`), to cancel it by. */
  readonly id: string | undefined;
  readonly controller: AbortController;
  /** Stopped by cancel-export (not by the session closing). */
  cancelled: boolean;
  /** Rendered: only its delivery (a Save dialog) is left, which cancel-export does not stop. */
  rendered: boolean;
  /** Lets a waiting export start. */
  go: (() => void) | null;
}

export class Exports {
  /** Exports from request to reply, a Save dialog included. */
  private readonly alive = new Set<ExportJob>();
  /** Exports rendering now (at most EXPORTS_AT_ONCE). */
  private readonly rendering = new Set<ExportJob>();
  /** Exports waiting for their turn, oldest first. */
  private readonly waiting: ExportJob[] = [];

  constructor(
    private readonly options: ExportOptions,
    private readonly sources: ExportSources,
  ) {}

  /** True while an export runs or waits (from the request to its reply, a Save dialog included). */
  get isExporting(): boolean {
    return this.alive.size > 0;
  }

  /** The typed lines as a replayable script, delivered as a text file. */
  async saveSession(): Promise<FileResult> {
    return this.deliver({
      fileName: `session-${timestampForFile()}.txt`,
      mime: 'text/plain;charset=utf-8',
      bytes: new TextEncoder().encode(this.sources.typedScript()),
      kind: 'text',
    });
  }

  async exportAudio(params: ParamsOf<'export-audio'>): Promise<ReplyOf<'export-audio'>> {
    const render = this.renderer(params);
    if (render === null) return { ok: false, error: { code: 'unavailable', message: `${params.format === 'midi' ? 'MIDI' : 'audio'} export is not available in this build` } };
    const chosen = this.chosen(params);
    if ('error' in chosen) return { ok: false, error: { code: 'failed', message: chosen.error } };
    const { script } = chosen;
    const job: ExportJob = { id: params.exportId, controller: new AbortController(), cancelled: false, rendered: false, go: null };
    this.alive.add(job);
    try {
      // Started at once when there is room (the worker starts before this returns), else after a wait.
      const waiting = this.turn(job);
      if (waiting !== null) await waiting;
      let rendered: RenderedFile;
      try {
        if (job.controller.signal.aborted) throw stoppedFailure();
        rendered = await render(script, chosen.fileName, job.controller.signal);
      } catch (error) {
        if (job.cancelled) return { ok: true, value: { kind: 'cancelled' } };
        if (error instanceof ExportFailure) return { ok: false, error: error.reason };
        throw error;
      } finally {
        this.release(job);
      }
      job.rendered = true;
      if (job.cancelled) return { ok: true, value: { kind: 'cancelled' } };
      if (this.sources.closed()) return { ok: false, error: stoppedFailure().reason };
      const value = await this.deliver(rendered.file);
      if (value.kind !== 'cancelled') for (const notice of rendered.notices) this.sources.notify(notice);
      return { ok: true, value };
    } finally {
      this.alive.delete(job);
    }
  }

  /** How an export of `params.format` is made into a file, or null if this build cannot. */
  private renderer(params: ParamsOf<'export-audio'>): ((script: ScriptText, fileName: string, signal: AbortSignal) => Promise<RenderedFile>) | null {
    const { renderWav, renderMidi } = this.options;
    if (params.format === 'midi') {
      if (!renderMidi) return null;
      return async (script, fileName, signal) => {
        const { midi, cut, leftOut } = await renderMidi({ ...script, samples: this.sources.samples?.() }, signal);
        const notices = [cut, leftOut].filter((n): n is string => n !== null);
        return { file: { fileName: fileName.replace(/\.wav$/, '.mid'), mime: 'audio/midi', bytes: midi, kind: 'binary' }, notices };
      };
    }
    if (!renderWav) return null;
    return async (script, fileName, signal) => {
      const rendered = await renderWav({ ...script, samples: this.sources.samples?.() }, params.sampleRate, signal);
      const { wav: bytes, cut } = rendered instanceof Uint8Array ? { wav: rendered, cut: null } : rendered;
      return { file: { fileName, mime: 'audio/wav', bytes, kind: 'binary' }, notices: cut === null ? [] : [cut] };
    };
  }

  /**
   * Stop the export named `id` (every one, without it), rendering or waiting:
   * its worker ends and its request is answered `cancelled`. True if there was one.
   */
  cancel(id?: string): boolean {
    let found = false;
    for (const job of this.alive) {
      if (job.rendered || (id !== undefined && job.id !== id)) continue;
      found = true;
      job.cancelled = true;
      job.controller.abort();
    }
    return found;
  }

  /** Take a free place among the exports that render (null), or wait for one (or for `job` to be stopped). */
  private turn(job: ExportJob): Promise<void> | null {
    if (this.rendering.size < EXPORTS_AT_ONCE && this.waiting.length === 0) {
      this.rendering.add(job);
      return null;
    }
    return new Promise<void>((resolve) => {
      job.go = resolve;
      this.waiting.push(job);
      job.controller.signal.addEventListener('abort', () => this.release(job), { once: true });
    });
  }

  /** `job` renders no more (or never will): the oldest waiting export takes its place. */
  private release(job: ExportJob): void {
    this.rendering.delete(job);
    const at = this.waiting.indexOf(job);
    if (at >= 0) {
      this.waiting.splice(at, 1);
      job.go?.();
    }
    while (this.rendering.size < EXPORTS_AT_ONCE && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.rendering.add(next);
      next.go?.();
    }
  }

  /** The script an export renders, and the file it is named as: after what was chosen. */
  private chosen(params: ParamsOf<'export-audio'>): { script: ScriptText; fileName: string } | { error: string } {
    const named = (script: ScriptText) => ({ script, fileName: `${script.name.replace(/\.[^./\\]*$/, '')}.wav` });
    switch (params.what) {
      case 'terminal': {
        const text = this.sources.typedScript();
        if (text === '') return { error: 'nothing to export: type some lines in the terminal first' };
        return { script: { name: 'terminal-session.txt', text }, fileName: 'terminal-session.wav' };
      }
      case 'script': {
        if (params.name === undefined) return { error: 'which script? name the script to export' };
        const script = this.sources.playedScript(params.name);
        return script === null ? { error: `nothing to export: no script named "${params.name}" played in this session` } : named(script);
      }
      case 'all': {
        const text = this.sources.everythingPlayed();
        if (text === '') return { error: 'nothing to export: nothing has sounded in this session yet' };
        return { script: { name: 'everything-played.txt', text }, fileName: 'everything-played.wav' };
      }
      default: {
        const script = params.text !== undefined ? { name: params.name ?? 'script.txt', text: params.text } : this.sources.scriptToExport();
        return script === null ? { error: 'nothing to export: load a script or type some lines first' } : named(script);
      }
    }
  }

  /** Stop every export (the session closes): workers are terminated, requests answered session-ended. */
  abort(): void {
    for (const job of this.alive) job.controller.abort();
  }

  private deliver(file: OutgoingFile): Promise<FileResult> {
    return (this.options.deliverFile ?? offerAsDownload)(file);
  }
}

function stoppedFailure(): ExportFailure {
  return new ExportFailure({ code: 'session-ended', message: 'the export was stopped: its session closed' });
}

export async function offerAsDownload(file: OutgoingFile): Promise<FileResult> {
  const text = file.kind === 'text';
  return {
    kind: 'download',
    fileName: file.fileName,
    mime: file.mime,
    encoding: text ? 'utf8' : 'base64',
    data: text ? new TextDecoder().decode(file.bytes) : await base64InSlices(file.bytes),
  };
}

/** Bytes base64-encoded per turn of the event loop (a multiple of 3, so the slices' texts join into one). */
const BASE64_SLICE_BYTES = 3 * 256 * 1024;

/**
 * Base64 of a large file a slice at a time, letting the event loop (the live
 * session's timers) run between slices: a 10-minute WAV in one go held the
 * engine's thread ~60 ms.
 */
async function base64InSlices(bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length <= BASE64_SLICE_BYTES) return buffer.toString('base64');
  let text = '';
  for (let at = 0; at < buffer.length; at += BASE64_SLICE_BYTES) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    text += buffer.toString('base64', at, at + BASE64_SLICE_BYTES);
  }
  return text;
}

function timestampForFile(): string {
  return new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
}
