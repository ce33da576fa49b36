/**
 * The engine host shared by Electron main (one per window) and web mode (one
 * per server): an engine session on the real clock, the renderers attached to
 * it, batching of the events they are sent, and the handling of their
 * requests. Renderers come and go (reload, crash, a second tab); the session
 * stays, and each newly attached renderer is sent a snapshot to carry on from.
 *
 * Every request is validated first: an invalid one is answered with an
 * `invalid-message` error and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Diagnostic, SessionEvent } from '../../core/session/api';
import {
  PROTOCOL_VERSION,
  TERMINAL_SOURCE,
  parseRendererRequest,
  replyError,
  replyOk,
  type ClockInfo,
  type Example,
  type ExampleSummary,
  type FileResult,
  type HostError,
  type HostMessage,
  type HostReply,
  type RendererRequest,
  type RequestOf,
} from '../../protocol';
import type { LineSourceHandle } from '../../core/session/api';
import { ExportFailure } from '../export/render-script';
import { EventBatcher, type BatcherOptions } from './batcher';
import type { EngineClock, EngineFactory, EngineSession } from './engine';
import { readExample, readExampleIndex } from './examples';
import { SessionRecorder } from './recorder';

/** A renderer attached to the session: where its pushed messages go. */
export interface View {
  send(message: HostMessage): void;
}

/** A file the host produced, handed to the transport to save or offer. */
export interface OutgoingFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  /** 'text' files (a saved session) may be offered as utf8 rather than base64. */
  kind: 'text' | 'binary';
}

export interface ScriptText {
  name: string;
  text: string;
}

export interface AppSessionOptions {
  createEngine: EngineFactory;
  /**
   * Render a script offline to WAV bytes (the core synthesiser; the real one
   * runs in a worker thread). `signal` is aborted when the session closes. It
   * may reject with an ExportFailure, whose reason is the reply's error.
   * Without it export-audio is `unavailable`.
   */
  renderWav?: (script: ScriptText, sampleRate: number | undefined, signal: AbortSignal) => Uint8Array | Promise<Uint8Array>;
  /** Deliver a produced file: Electron shows a Save dialog; the default offers it as a download. */
  deliverFile?: (file: OutgoingFile) => Promise<FileResult>;
  batching?: BatcherOptions;
  /** Called for each event (after batching is queued), e.g. for logging. */
  onEvent?: (event: SessionEvent) => void;
  /** Folder of the example lessons (with index.json). Without it there are no examples. */
  examplesDir?: string;
}

/** What loading a script did: `diagnostics` non-empty means it did not play at all. */
export interface ScriptLoad {
  source: string;
  started: boolean;
  diagnostics: Diagnostic[];
}

export interface ExampleLoad extends ScriptLoad {
  example: Example;
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

export class AppSession {
  private engine!: EngineSession;
  private clock!: EngineClock;
  private closeEngine: (() => void | Promise<void>) | undefined;
  /** Speed of logical time; it carries over to the session that follows a quit. */
  private speed = 1;
  private currentExample: Example | null = null;
  private unsubscribe: (() => void) | null = null;
  private terminal: LineSourceHandle | null = null;
  /** The terminal source's task, to notice when that source (and not a newer one) ends. */
  private terminalTaskId: number | null = null;
  private openingTerminal = false;
  private recorder!: SessionRecorder;
  private readonly views = new Set<View>();
  private readonly batcher: EventBatcher;
  private currentScript: ScriptText | null = null;
  /** The export running now (one at a time), to stop it when the session closes. */
  private exporting: AbortController | null = null;
  private disposed = false;
  private replacing = false;
  private id = '';

  constructor(private readonly options: AppSessionOptions) {
    this.batcher = new EventBatcher((events) => this.broadcast({ type: 'events', events }), options.batching);
    this.startEngine();
  }

  /** Identifies the current engine session (it changes only after `quit`). */
  get sessionId(): string {
    return this.id;
  }

  get viewCount(): number {
    return this.views.size;
  }

  get script(): ScriptText | null {
    return this.currentScript;
  }

  /** Attach a renderer: it is sent a snapshot now and every event batch from now on. Returns detach. */
  attach(view: View): () => void {
    // Pending events go to the views that were there; the new one starts from the snapshot.
    this.batcher.flush();
    this.views.add(view);
    safeSend(view, this.snapshotMessage());
    return () => {
      this.views.delete(view);
    };
  }

  /** Send `view` a fresh snapshot, after flushing pending events so every later batch is newer. */
  sendSnapshot(view: View): void {
    this.batcher.flush();
    safeSend(view, this.snapshotMessage());
  }

  snapshotMessage(): HostMessageOfSnapshot {
    return {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      sessionId: this.id,
      snapshot: this.engine.snapshot(),
      clock: this.clockInfo(),
      script: this.currentScript ? { name: this.currentScript.name } : null,
      example: this.currentExample,
    };
  }

  clockInfo(): ClockInfo {
    return { t: this.clock.logicalNowNs() / 1e9, wall: this.clock.wall, epochMs: Date.now(), speed: this.clock.speed };
  }

  /** Send a notice to every attached renderer. */
  notify(level: 'info' | 'error', text: string): void {
    this.broadcast({ type: 'notice', level, text });
  }

  /**
   * Handle one raw request from renderer `view` (which gets the snapshot a
   * get-snapshot asks for). Never throws; always resolves with a reply.
   */
  async handle(raw: unknown, view: View | null): Promise<HostReply> {
    const parsed = parseRendererRequest(raw);
    if (!parsed.ok) return replyError(parsed.error.id, { code: 'invalid-message', message: parsed.error.message });
    const request = parsed.value;
    if (this.disposed) return replyError(request.id, { code: 'session-ended', message: 'this window’s session is closed' });
    try {
      return await this.dispatch(request, view);
    } catch (error) {
      return replyError(request.id, { code: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async dispatch(request: RendererRequest, view: View | null): Promise<HostReply> {
    const { id } = request;
    switch (request.type) {
      case 'submit-line':
        this.submitLine(request.line);
        return replyOk(id, { source: TERMINAL_SOURCE });
      case 'load-script': {
        const result = this.loadScript(request.name, request.text);
        if (result.diagnostics.length > 0) return replyError(id, notPlayed(result.source, result.diagnostics));
        if (!result.started) return replyError(id, { code: 'session-ended', message: 'the session has ended' });
        return replyOk(id, result);
      }
      case 'stop-source':
        if (request.source === TERMINAL_SOURCE) this.forgetTerminal();
        return replyOk(id, { stopped: this.engine.stopSource(request.source) });
      case 'interrupt-source':
        return replyOk(id, { interrupted: this.engine.interruptSource(request.source) });
      case 'cancel-task':
        return replyOk(id, { cancelled: this.engine.cancelTask(request.taskId) });
      case 'stop-all':
        this.stopAll();
        return replyOk(id, null);
      case 'panic':
        this.panic();
        return replyOk(id, null);
      case 'get-snapshot':
        if (view !== null) this.sendSnapshot(view);
        return replyOk(id, null);
      case 'export-audio':
        return this.exportAudio(request);
      case 'save-session':
        return replyOk(id, await this.saveSession());
      case 'list-examples':
        return replyOk(id, { examples: this.listExamples() });
      case 'load-example': {
        const loaded = await this.loadExample(request.file, request.play ?? true);
        if (loaded === null) return replyError(id, { code: 'failed', message: `no example named "${request.file}"` });
        if (loaded.diagnostics.length > 0) return replyError(id, notPlayed(loaded.source, loaded.diagnostics));
        if (request.play !== false && !loaded.started) return replyError(id, { code: 'session-ended', message: 'the session has ended' });
        return replyOk(id, loaded);
      }
      case 'set-speed':
        this.setSpeed(request.speed);
        return replyOk(id, { speed: this.speed });
    }
  }

  /** Queue a line in the terminal source (opening it if needed). */
  submitLine(line: string): void {
    if (this.terminal === null) {
      this.openingTerminal = true;
      try {
        this.terminal = this.engine.openSource(TERMINAL_SOURCE);
      } finally {
        this.openingTerminal = false;
      }
    }
    this.recorder.submitted(line, this.clock.logicalNowNs() / 1e9);
    this.terminal.pushLine(line);
  }

  /**
   * Check a script, and play it as source `name` only if it has no errors: a
   * script with parse errors plays nothing (it would not mean what it says
   * with lines left out); its errors are returned, every one located.
   */
  loadScript(name: string, text: string): ScriptLoad {
    const diagnostics = this.engine.check(name, text);
    if (diagnostics.length > 0) return { source: name, started: false, diagnostics };
    const result = this.engine.loadScript(name, text);
    const started = result.taskId !== null;
    if (started) this.currentScript = { name, text };
    return { source: name, started, diagnostics: result.diagnostics };
  }

  /**
   * Load a script for someone who cannot be answered with a reply (the
   * Electron menu's Open Script): its errors, if any, go to every renderer as
   * `diagnostic` events, and a notice says what happened.
   */
  openScript(name: string, text: string, what = `opened ${name}`): ScriptLoad {
    const result = this.loadScript(name, text);
    if (result.diagnostics.length > 0) {
      this.publishDiagnostics(result.diagnostics);
      this.notify('error', notPlayed(name, result.diagnostics).message);
    } else if (!result.started) this.notify('error', `${name}: not played, the session has ended`);
    else this.notify('info', what);
    return result;
  }

  /** Diagnostics found outside the engine (a refused script), as events every renderer prints. */
  private publishDiagnostics(diagnostics: Diagnostic[]): void {
    const t = this.clock.logicalNowNs() / 1e9;
    const wall = this.clock.wall;
    for (const diagnostic of diagnostics) this.batcher.push({ type: 'diagnostic', t, wall, diagnostic, taskId: null });
  }

  // ---- examples ----------------------------------------------------------

  /** The example lessons, in the index's order ([] without an examples folder). */
  listExamples(): ExampleSummary[] {
    return this.options.examplesDir === undefined ? [] : readExampleIndex(this.options.examplesDir);
  }

  /**
   * Open an example: every renderer is sent its story (an `example` message)
   * and, if `play`, it plays as a script named after its file. Null if there
   * is no such example.
   */
  async loadExample(file: string, play = true): Promise<ExampleLoad | null> {
    const dir = this.options.examplesDir;
    const example = dir === undefined ? null : await readExample(dir, file);
    if (example === null || this.disposed) return null;
    this.currentExample = example;
    this.batcher.flush();
    this.broadcast({ type: 'example', example });
    if (!play) return { example, source: example.file, started: false, diagnostics: [] };
    return { example, ...this.loadScript(example.file, example.text) };
  }

  // ---- speed -------------------------------------------------------------

  get playbackSpeed(): number {
    return this.speed;
  }

  /**
   * Play logical time at `speed` times real time from now on. Every renderer
   * gets the clock read at the change (after the events before it), to
   * re-anchor its audio there.
   */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be positive');
    this.speed = speed;
    this.batcher.flush();
    if (this.clock.speed !== speed) this.clock.speed = speed;
    this.broadcast({ type: 'clock', clock: this.clockInfo() });
  }

  stopAll(): void {
    this.forgetTerminal();
    this.engine.stopAll();
  }

  panic(): void {
    this.forgetTerminal();
    this.engine.panic();
  }

  /**
   * The terminal source is being stopped: the next typed line opens a new
   * one at once, rather than going to the old one before its end is reported.
   */
  private forgetTerminal(): void {
    this.terminal = null;
    this.terminalTaskId = null;
  }

  /** The typed lines as a replayable script. */
  sessionScript(): string {
    return this.recorder.script();
  }

  async saveSession(): Promise<FileResult> {
    const deliver = this.options.deliverFile ?? offerAsDownload;
    return deliver({
      fileName: `session-${timestampForFile()}.txt`,
      mime: 'text/plain;charset=utf-8',
      bytes: new TextEncoder().encode(this.sessionScript()),
      kind: 'text',
    });
  }

  /** What export-audio renders when no script is given. */
  scriptToExport(): ScriptText | null {
    if (this.currentScript) return this.currentScript;
    const typed = this.sessionScript();
    return typed === '' ? null : { name: 'session.txt', text: typed };
  }

  async exportAudio(request: RequestOf<'export-audio'>): Promise<HostReply> {
    const render = this.options.renderWav;
    if (!render) return replyError(request.id, { code: 'unavailable', message: 'audio export is not available in this build' });
    const script = request.text !== undefined ? { name: request.name ?? 'script.txt', text: request.text } : this.scriptToExport();
    if (script === null) return replyError(request.id, { code: 'failed', message: 'nothing to export: load a script or type some lines first' });
    if (this.exporting !== null) {
      return replyError(request.id, { code: 'failed', message: 'an export is already running: wait for it to finish' });
    }
    const exporting = new AbortController();
    this.exporting = exporting;
    try {
      let bytes: Uint8Array;
      try {
        bytes = await render(script, request.sampleRate, exporting.signal);
      } catch (error) {
        if (error instanceof ExportFailure) return replyError(request.id, error.reason);
        throw error;
      }
      if (this.disposed) return replyError(request.id, { code: 'session-ended', message: 'the export was stopped: its session closed' });
      const deliver = this.options.deliverFile ?? offerAsDownload;
      const result = await deliver({ fileName: script.name.replace(/\.[^./\\]*$/, '') + '.wav', mime: 'audio/wav', bytes, kind: 'binary' });
      return replyOk(request.id, result);
    } finally {
      if (this.exporting === exporting) this.exporting = null;
    }
  }

  /** True while an export runs (from the request to its reply, a Save dialog included). */
  get isExporting(): boolean {
    return this.exporting !== null;
  }

  /** Stop the engine and forget every renderer (the window closed / the server stops). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // An export still running: its worker is terminated, its request answered session-ended.
    this.exporting?.abort();
    this.batcher.flush();
    this.batcher.dispose();
    this.stopEngine();
    this.views.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  // ---- internals ---------------------------------------------------------

  private startEngine(): void {
    const { session, clock, close } = this.options.createEngine();
    this.engine = session;
    this.clock = clock;
    this.closeEngine = close;
    // Before start: the new clock starts from its present at the speed in force.
    if (clock.speed !== this.speed) clock.speed = this.speed;
    this.id = randomUUID();
    this.forgetTerminal();
    this.recorder = new SessionRecorder(TERMINAL_SOURCE);
    this.unsubscribe = session.subscribe((event) => this.onEngineEvent(event));
    clock.start();
  }

  private stopEngine(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    try {
      this.engine.quit();
    } catch {
      // already over
    }
    this.clock.stop();
    const close = this.closeEngine;
    this.closeEngine = undefined;
    // The session's worker threads (offload): a job still running is abandoned.
    if (close) void Promise.resolve().then(close).catch(() => {});
  }

  private onEngineEvent(event: SessionEvent): void {
    if (this.replacing) return;
    this.recorder.observe(event);
    this.trackTerminal(event);
    this.batcher.push(event);
    this.options.onEvent?.(event);
    if (event.type === 'session-ended' && !this.disposed) queueMicrotask(() => this.replaceEngine());
  }

  private trackTerminal(event: SessionEvent): void {
    if (event.type === 'source-opened' && event.source === TERMINAL_SOURCE && this.openingTerminal) {
      this.terminalTaskId = event.taskId;
    } else if (
      (event.type === 'task-done' || event.type === 'task-failed' || event.type === 'task-cancelled') &&
      event.id === this.terminalTaskId
    ) {
      this.forgetTerminal();
    }
  }

  /** After `quit` the engine is over; the window goes on with a fresh one. */
  private replaceEngine(): void {
    if (this.disposed) return;
    this.batcher.flush();
    this.replacing = true;
    this.stopEngine();
    this.replacing = false;
    this.startEngine();
    this.notify('info', 'the session ended (quit); a new one has started');
    for (const view of this.views) this.sendSnapshot(view);
  }

  private broadcast(message: HostMessage): void {
    for (const view of this.views) safeSend(view, message);
  }
}

type HostMessageOfSnapshot = Extract<HostMessage, { type: 'snapshot' }>;

function notPlayed(name: string, diagnostics: Diagnostic[]): HostError {
  const n = diagnostics.length;
  return { code: 'parse-error', message: `${name}: not played, ${n} error${n === 1 ? '' : 's'} to fix first`, diagnostics };
}

/** A view that throws (a destroyed window) must not stop the others. */
function safeSend(view: View, message: HostMessage): void {
  try {
    view.send(message);
  } catch {
    // the transport drops it; the view will detach
  }
}

function timestampForFile(): string {
  return new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
}

export type { HostError };
