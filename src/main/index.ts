/**
 * corotone's Electron main process: a thin shell. Each window gets its own
 * engine session (src/node/app-session) and talks to it over IPC with the
 * protocol of src/protocol. `corotone-app path/to/commands.txt` opens and
 * plays that script.
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session } from 'electron';
import { CHANNELS, type HostError, type StepKind } from '../protocol';
import { FileReadError } from '../node/files/read-script';
import { RecentFiles, listExamples, readScriptForApp, scriptFromArgv, type Example } from './files';
import { createRequestHandler } from './ipc';
import { disableChromiumFeatures } from './chromium-switches';
import { buildMenuTemplate } from './menu';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  contentSecurityPolicy,
  createAppProtocolHandler,
  isAllowedNavigation,
  trustedDevServer,
  trustedOrigins,
} from './security';
import { WindowHost } from './window-host';

const here = dirname(fileURLToPath(import.meta.url));
/** Files the main process loads, relative to the built out/main/index.js. */
export const PRELOAD_PATH = join(here, '../preload/index.cjs');
export const RENDERER_DIR = join(here, '../renderer');
/** The permissions the page gets: writing the clipboard, and MIDI (MIDI out; SysEx, 'midiSysex', is another permission, refused). */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'midi']);
const devServer = trustedDevServer(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
if (process.env.ELECTRON_RENDERER_URL && devServer === null && !app.isPackaged) {
  console.warn('corotone: ELECTRON_RENDERER_URL is not a loopback address; loading the built renderer instead');
}
const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(here, '../../resources');

const hosts = new Map<number, WindowHost>();
let recent: RecentFiles | null = null;

// Before ready: the app:// scheme behaves like https (secure context, fetch), and every renderer is sandboxed.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();
// A typed line's note is not held behind the frame that echoes its key (chromium-switches.ts).
disableChromiumFeatures(app.commandLine);

// Every web contents, present and future: no navigation away, no new windows, no webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, devServer)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, devServer)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function focusedHost(): WindowHost | undefined {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return window ? hosts.get(window.webContents.id) : undefined;
}

function createWindow(scriptPath: string | null = null): WindowHost {
  const host = new WindowHost(
    { preload: PRELOAD_PATH, url: devServer ?? APP_INDEX_URL, examples: join(resourcesDir, 'examples') },
    {
      onClosed: (closed) => hosts.delete(closed.webContentsId),
      firstScript: scriptPath ? () => void openPath(host, scriptPath) : undefined,
    },
  );
  hosts.set(host.webContentsId, host);
  return host;
}

/** Load a script file into a window's session and play it. */
async function openPath(host: WindowHost | undefined, path: string): Promise<void> {
  if (!host) return;
  try {
    const text = await readScriptForApp(path);
    // A script with errors plays nothing: its errors go to the window's terminal.
    await host.session.openScript(basename(path), text, `opened ${path}`, dirname(path));
    recent?.add(path);
    refreshMenu();
  } catch (error) {
    host.session.notify('error', error instanceof FileReadError ? error.message : `cannot open ${path}: ${(error as Error).message}`);
  }
}

/** Play an example lesson in a window; its story opens beside the timeline. */
async function openExample(host: WindowHost, example: Example): Promise<void> {
  const loaded = example.file === undefined ? null : await host.session.loadExample(example.file);
  if (loaded === null) await openPath(host, example.path);
  else if (loaded.diagnostics.length > 0 || !loaded.started) host.session.notify('error', `${example.label}: not played`);
}

async function openScriptDialog(): Promise<void> {
  const host = focusedHost();
  if (!host) return;
  const result = await dialog.showOpenDialog(host.window, {
    title: 'Open Script',
    properties: ['openFile'],
    filters: [{ name: 'Scripts', extensions: ['txt'] }, { name: 'All Files', extensions: ['*'] }],
  });
  if (!result.canceled && result.filePaths[0]) await openPath(host, result.filePaths[0]);
}

/**
 * A menu action failed (a Save that could not be written, an export that
 * failed): the user is told in a dialog, and the window's terminal says it too.
 */
function showFailure(host: WindowHost, what: string, error: HostError): void {
  host.session.notify('error', `${what}: ${error.message}`);
  dialog.showErrorBox(what, error.message);
}

async function saveSessionAs(): Promise<void> {
  const host = focusedHost();
  if (!host) return;
  const reply = await host.session.request('save-session', {});
  if (!reply.ok) showFailure(host, 'Save Session failed', reply.error);
  else if (reply.value.kind === 'saved') host.session.notify('info', `session saved to ${reply.value.path}`);
}

/** The page asks what to export, as its own Export button does; its choice comes back as an export-audio request. */
function exportAudio(): void {
  focusedHost()?.session.openInPage('export-audio');
}

/** Playback ▸ Step…: the page's own step request; a refusal (not paused) is said in the window's terminal. */
async function stepFromMenu(kind: StepKind): Promise<void> {
  const host = focusedHost();
  if (!host) return;
  const reply = await host.session.request('step', { kind });
  if (!reply.ok) host.session.notify('error', `step: ${reply.error.message}`);
}

function refreshMenu(): void {
  const template = buildMenuTemplate(
    {
      openScript: () => void openScriptDialog(),
      openPath: (path) => void openPath(focusedHost() ?? createWindow(), path),
      openExample: (example) => void openExample(focusedHost() ?? createWindow(), example),
      clearRecent: () => {
        recent?.clear();
        refreshMenu();
      },
      saveSessionAs: () => void saveSessionAs(),
      exportAudio: () => exportAudio(),
      stopAll: () => void focusedHost()?.session.request('stop-all', {}),
      panic: () => void focusedHost()?.session.request('panic', {}),
      setSpeed: (speed) => void focusedHost()?.session.request('set-speed', { speed }),
      togglePause: () => {
        const host = focusedHost();
        if (host) void host.session.request('set-paused', { paused: !host.session.paused });
      },
      step: (kind) => void stepFromMenu(kind),
    },
    recent?.paths ?? [],
    listExamples(resourcesDir),
    { platform: process.platform, packaged: app.isPackaged },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

void app.whenReady().then(() => {
  const csp = contentSecurityPolicy(devServer);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR, csp));
  // The dev server's responses (and any other) carry the same CSP.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // The app needs no camera, microphone, location or notifications; MIDI for MIDI out, never SysEx ('midiSysex').
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(GRANTED_PERMISSIONS.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));

  ipcMain.handle(CHANNELS.request, createRequestHandler((id) => hosts.get(id), trustedOrigins(devServer)));

  recent = new RecentFiles(join(app.getPath('userData'), 'recent-scripts.json'));
  refreshMenu();
  createWindow(scriptFromArgv(process.argv, app.isPackaged));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
