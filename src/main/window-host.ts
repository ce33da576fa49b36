/**
 * One window = one engine session. The session belongs to the window, not to
 * its renderer process: a reload or a renderer crash keeps it running, and the
 * reloaded page is sent a snapshot to carry on from.
 */
import { BrowserWindow, dialog, type WebContents } from 'electron';
import { CHANNELS, type FileResult, type HostMessage } from '../protocol';
import { AppSession, type OutgoingFile, type View } from '../node/app-session/app-session';
import { createRealEngine, renderScriptToMidi, renderScriptToWav } from '../node/app-session/real-engine';
import { saveFileForApp } from './files';

export interface WindowPaths {
  preload: string;
  /** What the window loads: app://corotone/index.html, or the dev server. */
  url: string;
  /** Folder of the example lessons (resources/examples). */
  examples?: string;
}

/** The window's settings per Electron's security checklist. */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A music app: let Web Audio start without waiting for a click.
    autoplayPolicy: 'no-user-gesture-required',
  };
}

/** Renderer crashes in a row within this window (ms) that still get an automatic reload. */
const CRASH_WINDOW_MS = 10_000;
const MAX_CRASH_RELOADS = 3;

export class WindowHost {
  readonly window: BrowserWindow;
  readonly session: AppSession;
  readonly view: View;
  private loads = 0;
  private crashes: number[] = [];
  private onFirstLoad: (() => void) | null = null;

  constructor(paths: WindowPaths, options: { onClosed?: (host: WindowHost) => void; firstScript?: () => void } = {}) {
    this.window = new BrowserWindow({
      width: 1200,
      height: 800,
      minWidth: 640,
      minHeight: 420,
      title: 'corotone',
      show: false,
      backgroundColor: '#101418',
      webPreferences: secureWebPreferences(paths.preload),
    });
    const contents = this.window.webContents;
    this.view = {
      send: (message: HostMessage) => {
        if (!contents.isDestroyed()) contents.send(CHANNELS.host, message);
      },
    };
    this.session = new AppSession({
      createEngine: createRealEngine,
      renderWav: renderScriptToWav,
      renderMidi: renderScriptToMidi,
      deliverFile: (file) => this.saveWithDialog(file),
      examplesDir: paths.examples,
      // the desktop app is the user's own: its OSC out may go to another machine
      oscAnyHost: true,
    });
    this.session.attach(this.view);
    this.onFirstLoad = options.firstScript ?? null;

    this.window.once('ready-to-show', () => this.window.show());
    contents.on('did-finish-load', () => {
      this.loads++;
      // A (re)loaded page starts empty: give it the session as it stands.
      this.session.sendSnapshot(this.view);
      const first = this.onFirstLoad;
      this.onFirstLoad = null;
      first?.();
    });
    contents.on('render-process-gone', (_event, details) => this.recover(contents, details.reason));
    this.window.on('closed', () => {
      this.session.dispose();
      options.onClosed?.(this);
    });
    void this.window.loadURL(paths.url);
  }

  get webContentsId(): number {
    return this.window.webContents.id;
  }

  get loadCount(): number {
    return this.loads;
  }

  private recover(contents: WebContents, reason: string): void {
    if (reason === 'clean-exit' || this.window.isDestroyed()) return;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length > MAX_CRASH_RELOADS) return; // crashing in a loop: leave it for the user to reload
    contents.reload();
  }

  /** Electron's way to deliver a produced file: a Save dialog, then write it. */
  private async saveWithDialog(file: OutgoingFile): Promise<FileResult> {
    const extension = file.fileName.split('.').pop() ?? '';
    const result = await dialog.showSaveDialog(this.window, {
      defaultPath: file.fileName,
      filters: extension ? [{ name: extension === 'wav' ? 'WAV audio' : extension === 'mid' ? 'MIDI file' : 'Script', extensions: [extension] }] : [],
    });
    if (result.canceled || !result.filePath) return { kind: 'cancelled' };
    await saveFileForApp(result.filePath, file.bytes);
    return { kind: 'saved', path: result.filePath };
  }
}
