/**
 * The engine host shared by Electron main (one per window) and web mode (one
 * per server): an engine session on the real clock, the renderers attached to
 * it, and the handling of their requests. Renderers come and go (reload,
 * crash, a second tab); the session stays, and each newly attached renderer
 * is sent a snapshot to carry on from.
 *
 * Its jobs live in files of their own: the engine's lifetime
 * (engine-lifetime.ts), the views and what they are sent (views.ts), the
 * terminal source (terminal.ts), scripts and examples (scripts.ts), exports
 * (exports.ts); this class holds them
 * together and answers requests with one handler per request type
 * (handlers.ts). Every request is validated first: an invalid one is answered
 * with an `invalid-message` error and changes nothing.
 */
import type { SessionEvent } from '../../core/session/api';
import {
  EXPLORE_LIMITS,
  PROTOCOL_VERSION,
  TERMINAL_SOURCE,
  type ClockInfo,
  type ExampleSummary,
  type FileResult,
  type HostError,
  type HostMessageOf,
  type HostReply,
  type ParamsOf,
  type ReplyOf,
  type RequestType,
} from '../../protocol';
import type { BatcherOptions } from './batcher';
import type { EngineFactory, ScriptText } from './engine';
import { EngineLifetime } from './engine-lifetime';
import { Exports, type ExportOptions } from './exports';
import { OscSetting } from './osc-setting';
import { exploreRequest } from './explore';
import { handleRaw, runRequest, type RequestHandlers } from './handlers';
import { Scripts, notPlayed, type ExampleLoad, type ScriptLoad } from './scripts';
import { Stepping } from './stepping';
import { HostSamples, type SampleSources } from './samples';
import { TerminalSource } from './terminal';
import { playedScript } from './played-script';
import { replayFrom } from './replay';
import { Views, type SnapshotHistory, type SnapshotMessage, type View } from './views';

export type { View } from './views';
export type { SnapshotMessage } from './views';
export type { ScriptText } from './engine';
export type { ExampleLoad, ScriptLoad } from './scripts';
export { offerAsDownload, type OutgoingFile } from './exports';

export interface AppSessionOptions extends ExportOptions {
  createEngine: EngineFactory;
  batching?: BatcherOptions;
  /** Events of the session's history the host keeps for renderers (default HISTORY_CAP_EVENTS, a million). */
  historyCap?: number;
  /** Events per chunk of a large snapshot's history (default 2000). */
  historyChunkEvents?: number;
  /** Called for each event (after batching is queued), e.g. for logging. */
  onEvent?: (event: SessionEvent) => void;
  /** Folder of the example lessons (with index.json). Without it there are no examples. */
  examplesDir?: string;
  /** OSC out (set-osc) may send to another machine than this one (the desktop app; web mode with --osc-any-host). */
  oscAnyHost?: boolean;
  /** Where `sample PATH` reads (default: from the working folder, anywhere; web mode gives a root). */
  samples?: SampleSources['files'];
}

export class AppSession {
  private readonly lifetime: EngineLifetime;
  private readonly osc: OscSetting;
  private readonly views: Views;
  private readonly exports: Exports;
  private readonly scripts: Scripts;
  private readonly stepping: Stepping;
  private terminal!: TerminalSource;
  private readonly samples: HostSamples;
  /** Typed lines waiting for their samples to be decoded, and those queued behind them (so lines keep their order). */
  private lineQueue: Promise<void> | null = null;
  private disposed = false;

  /** One handler per request type; the type refuses a missing one. */
  private readonly handlers: RequestHandlers = {
    'submit-line': ({ line }) => {
      this.submitLine(line);
      return { ok: true, value: { source: TERMINAL_SOURCE } };
    },
    'load-script': async ({ name, text }) => {
      const { source, started, diagnostics, more } = await this.loadScript(name, text);
      if (diagnostics.length > 0) return { ok: false, error: notPlayed(source, diagnostics, more) };
      if (!started) return { ok: false, error: sessionEnded() };
      return { ok: true, value: { source, started, diagnostics } };
    },
    'stop-source': ({ source }) => {
      if (source === TERMINAL_SOURCE) this.terminal.forget();
      return { ok: true, value: { stopped: this.engine.stopSource(source) } };
    },
    'interrupt-source': ({ source }) => ({ ok: true, value: { interrupted: this.engine.interruptSource(source) } }),
    'cancel-task': ({ taskId }) => ({ ok: true, value: { cancelled: this.engine.cancelTask(taskId) } }),
    'stop-all': () => {
      this.stopAll();
      return { ok: true, value: null };
    },
    panic: () => {
      this.panic();
      return { ok: true, value: null };
    },
    'get-snapshot': (_params, view) => {
      if (view !== null) this.sendSnapshot(view);
      return { ok: true, value: null };
    },
    'export-audio': (params) => this.exports.exportAudio(params),
    'cancel-export': ({ exportId }) => ({ ok: true, value: { cancelled: this.exports.cancel(exportId) } }),
    'save-session': async () => ({ ok: true, value: await this.saveSession() }),
    'list-examples': () => ({ ok: true, value: { examples: this.listExamples() } }),
    'load-example': async ({ file, play }) => {
      const loaded = await this.loadExample(file, play ?? true);
      if (loaded === null) return { ok: false, error: { code: 'failed', message: `no example named "${file}"` } };
      const { example, source, started, diagnostics, more } = loaded;
      if (diagnostics.length > 0) return { ok: false, error: notPlayed(source, diagnostics, more) };
      if (play !== false && !started) return { ok: false, error: sessionEnded() };
      return { ok: true, value: { example, source, started, diagnostics } };
    },
    'set-osc': ({ target }) => this.osc.set(target),
    'set-speed': ({ speed }) => {
      this.setSpeed(speed);
      return { ok: true, value: { speed: this.playbackSpeed } };
    },
    'replay-from': ({ t, paused }) => this.replayFrom(t, paused ?? true),
    'add-sample': ({ name, data }) => this.samples.add(this.engine, name, data),
    'get-sample': ({ sample, from }) => this.samples.get(this.engine, sample, from),
    'set-paused': ({ paused }) => {
      if (!this.lifetime.canPause) return { ok: false, error: { code: 'unavailable', message: 'this engine’s clock cannot pause' } };
      const clock = this.setPaused(paused);
      return { ok: true, value: { paused: clock.paused === true, t: clock.t } };
    },
    step: (params) => this.stepping.step(params),
    inspect: () => ({ ok: true, value: this.stepping.inspector() }),
    explore: ({ name, text, budget }) => exploreRequest(name, text, budget ?? EXPLORE_LIMITS.defaultBudget),
  };

  constructor(options: AppSessionOptions) {
    this.osc = new OscSetting(options.oscAnyHost !== true, () => this.lifetime.oscClock, (text) => this.notify('error', text));
    this.views = new Views((recent, history) => this.snapshotOf(recent, history), {
      batching: options.batching,
      historyCap: options.historyCap,
      chunkEvents: options.historyChunkEvents,
    });
    this.samples = new HostSamples(options.samples ?? { examplesDir: options.examplesDir });
    this.scripts = new Scripts(
      {
        engine: () => this.engine,
        now: () => ({ t: this.lifetime.now(), wall: this.lifetime.wall }),
        closed: () => this.disposed,
        preload: (engine, name, text) => this.samples.preload(engine, name, text),
      },
      this.views,
      options.examplesDir,
    );
    this.exports = new Exports(options, {
      typedScript: () => this.sessionScript(),
      playedScript: (name) => this.scripts.played(name),
      everythingPlayed: () => playedScript(this.views.history.slice(this.views.history.first)),
      scriptToExport: () => this.scriptToExport(),
      samples: () => this.samples.sources(),
      closed: () => this.disposed,
      notify: (text) => this.notify('info', text),
    });
    this.stepping = new Stepping({
      engine: () => this.engine,
      paused: () => this.lifetime.paused,
      clock: () => this.clockInfo(),
      publish: (message) => this.views.publish(message),
      input: (input, body) => this.lifetime.input(input, body),
    });
    this.lifetime = new EngineLifetime(options.createEngine, {
      started: (engine) => {
        this.terminal = new TerminalSource(engine);
      },
      event: (event) => {
        this.terminal.observe(event);
        this.views.push(event);
        this.osc.onEvent(event);
        this.stepping.changed();
        options.onEvent?.(event);
      },
      replacing: () => this.views.newSession(),
      replaced: () => {
        this.notify('info', 'the session ended (quit); a new one has started');
        this.views.sendSnapshotToAll();
      },
    });
  }

  private get engine() {
    return this.lifetime.engine;
  }

  /** Identifies the current engine session (it changes only after `quit`). */
  get sessionId(): string {
    return this.lifetime.sessionId;
  }

  get viewCount(): number {
    return this.views.count;
  }

  get script(): ScriptText | null {
    return this.scripts.current;
  }

  // ---- requests ------------------------------------------------------------

  /**
   * Handle one raw request from renderer `view` (which gets the snapshot a
   * get-snapshot asks for). Never throws; always resolves with a reply.
   */
  handle(raw: unknown, view: View | null): Promise<HostReply> {
    return handleRaw(this.handlers, () => this.closedReason(), raw, view);
  }

  /**
   * Run a request already typed (the Electron menu): the same handler a
   * renderer's request runs, answered with the same reply. Never throws.
   */
  request<K extends RequestType>(type: K, params: ParamsOf<K>, view: View | null = null): Promise<ReplyOf<K>> {
    return runRequest(this.handlers, () => this.closedReason(), type, params, view);
  }

  private closedReason(): string | null {
    return this.disposed ? 'this window’s session is closed' : null;
  }

  // ---- views and snapshots -------------------------------------------------

  /** Attach a renderer: it is sent a snapshot now and every event batch from now on. Returns detach. */
  attach(view: View): () => void {
    return this.views.attach(view);
  }

  /** Send `view` a fresh snapshot, after flushing pending events so every later batch is newer. */
  sendSnapshot(view: View): void {
    this.views.sendSnapshot(view);
  }

  /** The session as it stands, with its whole history (as far as the cap keeps it) in `recent`, unchunked. */
  snapshotMessage(): SnapshotMessage {
    return this.views.snapshotMessage();
  }

  private snapshotOf(recent: SessionEvent[], history: SnapshotHistory): SnapshotMessage {
    return {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      sessionId: this.lifetime.sessionId,
      snapshot: { ...this.engine.snapshot(), recent },
      clock: this.clockInfo(),
      script: this.scripts.current ? { name: this.scripts.current.name } : null,
      example: this.scripts.example,
      history,
    };
  }

  clockInfo(): ClockInfo {
    return this.lifetime.clockInfo();
  }

  /** Open one of the page's controls in every attached renderer (a desktop menu item: see the 'menu' message). */
  openInPage(action: HostMessageOf<'menu'>['action']): void {
    this.views.publish({ type: 'menu', action });
  }

  /** Send a notice to every attached renderer. */
  notify(level: 'info' | 'error', text: string): void {
    this.views.notify(level, text);
  }

  // ---- lines and scripts -----------------------------------------------------

  /** Queue a line in the terminal source (opening it if needed). */
  submitLine(line: string): void {
    // a typed line is played as an instrument: its notes are not held for the batch interval
    this.views.expectInput();
    // A line that names a sample waits for it to be decoded (and the lines after it for it), so it finds it when it runs.
    if (this.lineQueue === null && !/sample/i.test(line)) {
      this.submitNow(line);
      return;
    }
    const engine = this.engine;
    const queued: Promise<void> = (this.lineQueue ?? Promise.resolve())
      .then(() => this.samples.preload(engine, TERMINAL_SOURCE, line))
      .catch(() => {})
      .then(() => {
        if (this.lineQueue === queued) this.lineQueue = null;
        if (!this.disposed && this.engine === engine) this.submitNow(line);
      });
    this.lineQueue = queued;
  }

  private submitNow(line: string): void {
    this.terminal.submit(line, this.lifetime.now());
    // Paused, the line waits in the ready queue: the inspector shows it there.
    this.stepping.changed();
  }

  /** Check a script (in slices), and play it as source `name` only if it has no errors (see Scripts.load). */
  loadScript(name: string, text: string): Promise<ScriptLoad> {
    return this.scripts.load(name, text);
  }

  /** Load a script for the menu's Open Script: its errors go to every renderer (see Scripts.open). */
  openScript(name: string, text: string, what = `opened ${name}`, folder?: string): Promise<ScriptLoad> {
    // `sample PATH` in it reads from the file's own folder
    if (folder !== undefined) this.samples.setFolder(name, folder);
    return this.scripts.open(name, text, what);
  }

  stopAll(): void {
    this.terminal.forget();
    this.engine.stopAll();
  }

  panic(): void {
    this.terminal.forget();
    this.engine.panic();
  }

  // ---- examples --------------------------------------------------------------

  /** The example lessons, in the index's order ([] without an examples folder). */
  listExamples(): ExampleSummary[] {
    return this.scripts.listExamples();
  }

  /** Open an example, and play it if `play`: every renderer is sent its story. Null if there is none. */
  loadExample(file: string, play = true): Promise<ExampleLoad | null> {
    return this.scripts.loadExample(file, play);
  }

  // ---- speed -------------------------------------------------------------------

  get playbackSpeed(): number {
    return this.lifetime.speed;
  }

  /**
   * Play logical time at `speed` times real time from now on. Every renderer
   * gets the clock read at the change (after the events before it), to
   * re-anchor its audio there.
   */
  setSpeed(speed: number): void {
    this.lifetime.setSpeed(speed);
    this.views.publish({ type: 'clock', clock: this.clockInfo() });
  }

  /** Whether the session's logical clock is paused. */
  get paused(): boolean {
    return this.lifetime.paused;
  }

  /**
   * Pause or continue the session's logical clock. Every renderer gets the
   * clock read at the change (paused or running, at which logical time), so
   * every view of the session says so. Returns that clock.
   */
  setPaused(paused: boolean): ClockInfo {
    const was = this.lifetime.paused;
    const before = this.lifetime.now();
    this.lifetime.setPaused(paused);
    // On continue, `t` is the time it goes on from (where it paused); the wall is read at the change.
    const clock = this.lifetime.paused ? this.clockInfo() : { ...this.clockInfo(), t: before };
    if (this.lifetime.paused !== was) {
      this.views.publish({ type: 'clock', clock });
      this.stepping.announce();
    }
    return clock;
  }

  // ---- replay from here ----------------------------------------------------------

  /**
   * Rebuild the session at logical time `t` from its recorded inputs, check it
   * equals the original there, and carry on from it (paused at `t`, or not).
   * Refused, with what differs, if the rebuild is not the original.
   */
  replayFrom(t: number, paused: boolean): ReplyOf<'replay-from'> {
    const engine = this.engine;
    const reply = replayFrom(
      {
        lifetime: this.lifetime,
        views: this.views,
        adoptTerminal: (open, typed, events) => {
          const handle = open === null ? undefined : this.lifetime.reopened(open.index);
          this.terminal.adopt(handle ?? null, handle === undefined ? null : open!.taskId);
          this.terminal.recordPast(typed, events);
        },
        resend: () => this.views.sendSnapshotToAll(),
        prepare: (session) => this.samples.carryTo(engine, session),
      },
      t,
      paused,
    );
    if (reply.ok) this.notify('info', `replayed from t = ${Math.round(t * 1000) / 1000} s (${reply.value.inputs} inputs, rebuilt in ${reply.value.rebuildMs.toFixed(1)} ms)${paused ? ', paused there' : ''}`);
    return reply;
  }

  // ---- files -------------------------------------------------------------------

  /** The typed lines as a replayable script. */
  sessionScript(): string {
    return this.terminal.script();
  }

  saveSession(): Promise<FileResult> {
    return this.exports.saveSession();
  }

  /** What export-audio renders when no script is given. */
  scriptToExport(): ScriptText | null {
    if (this.scripts.current) return this.scripts.current;
    const typed = this.sessionScript();
    return typed === '' ? null : { name: 'session.txt', text: typed };
  }

  /** True while an export runs (from the request to its reply, a Save dialog included). */
  get isExporting(): boolean {
    return this.exports.isExporting;
  }

  // ---- lifetime ------------------------------------------------------------------

  /** Stop the engine and forget every renderer (the window closed / the server stops). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // An export still running: its worker is terminated, its request answered session-ended.
    this.exports.abort();
    void this.osc.close();
    this.views.flush();
    this.lifetime.stop();
    this.views.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}

function sessionEnded(): HostError {
  return { code: 'session-ended', message: 'the session has ended' };
}

export type { HostError };
