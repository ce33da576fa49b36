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
  type FileResult,
  type HostError,
  type HostMessage,
  type HostReply,
  type RendererRequest,
  type RequestOf,
} from '../../protocol';
import type { LineSourceHandle } from '../../core/session/api';
import { EventBatcher, type BatcherOptions } from './batcher';
import type { EngineClock, EngineFactory, EngineSession } from './engine';
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
  /** Render a script offline to WAV bytes (the core synthesiser). Without it export-audio is `unavailable`. */
  renderWav?: (script: ScriptText, sampleRate: number | undefined) => Uint8Array | Promise<Uint8Array>;
  /** Deliver a produced file: Electron shows a Save dialog; the default offers it as a download. */
  deliverFile?: (file: OutgoingFile) => Promise<FileResult>;
  batching?: BatcherOptions;
  /** Called for each event (after batching is queued), e.g. for logging. */
  onEvent?: (event: SessionEvent) => void;
}

export function offerAsDownload(file: OutgoingFile): Promise<FileResult> {
  const text = file.kind === 'text';
  return Promise.resolve({
    kind: 'download',
    fileName: file.fileName,
    mime: file.mime,
    encoding: text ? 'utf8' : 'base64',
    data: text ? new TextDecoder().decode(file.bytes) : Buffer.from(file.bytes).toString('base64'),
  });
}

export class AppSession {
  private engine!: EngineSession;
  private clock!: EngineClock;
  private unsubscribe: (() => void) | null = null;
  private terminal: LineSourceHandle | null = null;
  /** The terminal source's task, to notice when that source (and not a newer one) ends. */
  private terminalTaskId: number | null = null;
  private openingTerminal = false;
  private recorder!: SessionRecorder;
  private readonly views = new Set<View>();
  private readonly batcher: EventBatcher;
  private currentScript: ScriptText | null = null;
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
        if (!result.started) return replyError(id, { code: 'session-ended', message: 'the session has ended', diagnostics: result.diagnostics });
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
   * Check and start a script (also used by the menu's Open Script): its parse
   * errors are reported first, then its good lines play as source `name`.
   */
  loadScript(name: string, text: string): { source: string; started: boolean; diagnostics: Diagnostic[] } {
    const result = this.engine.loadScript(name, text);
    const started = result.taskId !== null;
    if (started) this.currentScript = { name, text };
    return { source: name, started, diagnostics: result.diagnostics };
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
    const bytes = await render(script, request.sampleRate);
    const deliver = this.options.deliverFile ?? offerAsDownload;
    const result = await deliver({ fileName: script.name.replace(/\.[^./\\]*$/, '') + '.wav', mime: 'audio/wav', bytes, kind: 'binary' });
    return replyOk(request.id, result);
  }

  /** Stop the engine and forget every renderer (the window closed / the server stops). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
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
    const { session, clock } = this.options.createEngine();
    this.engine = session;
    this.clock = clock;
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
