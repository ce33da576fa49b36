/**
 * Contract tests of the Electron shell, on the real build output (electron-vite
 * with the project's config) loaded with a fake `electron`: window security,
 * CSP, navigation, IPC sender and payload checks, the menu (the preload's own
 * contract is test/preload/index.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWorkerUrl } from '../../src/node/export/worker-export';
import { CHANNELS, type HostMessage, type HostReply } from '../../src/protocol';
import { buildApp, copyBuiltApp, nativeImport, type BuiltApp } from '../support/main/build';
import { createFakeElectron, type FakeElectron, type FakeWindow } from '../support/main/fake-electron';

let built: BuiltApp;
let fake: FakeElectron;
let window: FakeWindow;
let scratch: string;
let scriptPath: string;
const savedArgv = process.argv;

beforeAll(async () => {
  built = await buildApp();
  scratch = mkdtempSync(join(tmpdir(), 'corotone-shell-'));
  scriptPath = join(scratch, 'opening.txt');
  // A script's notes are its voices: they sound while it plays (its last line holds them), and end with it.
  writeFileSync(scriptPath, 'add 60\nwait 0.05\nadd 64\nwait 600\n');
  fake = createFakeElectron(join(scratch, 'userData'));
  (globalThis as { __corotoneFakeElectron?: unknown }).__corotoneFakeElectron = fake;
  delete process.env.ELECTRON_RENDERER_URL;
  // As `electron . path/to/opening.txt` would start it.
  process.argv = [process.execPath, built.dir, scriptPath];
  await nativeImport(pathToFileURL(built.mainFile).href);
  await until(() => fake.windows.length > 0);
  window = fake.windows[0];
});

afterAll(() => {
  process.argv = savedArgv;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (built) rmSync(built.dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const trustedFrame = { url: 'app://corotone/index.html', parent: null };

function invoke(raw: unknown, frame: unknown = trustedFrame, sender: unknown = window.webContents): Promise<HostReply> {
  const handler = fake.ipcHandlers.get(CHANNELS.request)!;
  return handler({ sender, senderFrame: frame }, raw) as Promise<HostReply>;
}

const hostMessages = (): HostMessage[] => window.webContents.sent.filter((s) => s.channel === CHANNELS.host).map((s) => s.message as HostMessage);
const lastSnapshot = () => hostMessages().filter((m) => m.type === 'snapshot').at(-1);

async function freshSnapshotMessage() {
  const before = hostMessages().length;
  await invoke({ id: 900, type: 'get-snapshot' });
  const message = hostMessages().slice(before).find((m) => m.type === 'snapshot');
  if (!message || message.type !== 'snapshot') throw new Error('no snapshot');
  return message;
}

async function freshSnapshot() {
  return (await freshSnapshotMessage()).snapshot;
}

describe('the build', () => {
  it('puts out the files the main process loads', () => {
    expect(built.error).toBeNull();
    expect(existsSync(built.mainFile)).toBe(true);
    expect(existsSync(built.preloadFile)).toBe(true);
    expect(existsSync(built.rendererIndex)).toBe(true);
    expect(window.options.webPreferences.preload).toBe(built.preloadFile);
    // The export worker, where the built main process (out/main/index.js) starts it from.
    const exportWorker = fileURLToPath(exportWorkerUrl(pathToFileURL(built.mainFile).href));
    expect(exportWorker.endsWith('.js')).toBe(true);
    expect(existsSync(exportWorker)).toBe(true);
  });


});

describe('the window', () => {
  it('is sandboxed, context-isolated and without Node', () => {
    const prefs = window.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(fake.sandboxEnabled).toBe(true);
  });

  it("starts Chromium without holding the page's tasks after a key (a typed note is not kept behind the next frame)", () => {
    expect(fake.switches.get('disable-features')?.split(',')).toContain('DeferRendererTasksAfterInput');
  });

  it('loads the renderer from the app:// scheme, not file://', () => {
    expect(window.loadedUrl).toBe('app://corotone/index.html');
    expect(fake.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });

  it('serves the renderer with a strict Content-Security-Policy and nothing outside it', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://corotone/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(built.rendererIndex, 'utf8'));
    const csp = page.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    for (const path of ['/../main/index.js', '/%2e%2e/main/index.js', '/..%2f..%2fpackage.json']) {
      expect((await handler(new Request(`app://corotone${path}`))).status).toBe(404);
    }
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
    // Other responses get the same policy through webRequest.
    let headers: Record<string, string[]> = {};
    fake.headersHandler!({ responseHeaders: { 'x-a': ['1'] } }, (result) => (headers = result.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([csp]);
  });

  it('blocks navigation away, new windows and webviews', () => {
    const contents = window.webContents;
    const navigate = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'app://corotone/index.html')).toBe(false);
    expect(navigate('will-attach-webview', 'app://corotone/index.html')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://corotone/index.html' })).toEqual({ action: 'deny' });
  });

  it('grants the page no permissions (camera, microphone, …)', () => {
    const asked: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      fake.permissionHandler!({}, permission, (granted) => asked.push(granted));
    }
    expect(asked).toEqual([false, false, false, false]);
  });

  it('grants MIDI (for MIDI out) but not SysEx', () => {
    const asked: boolean[] = [];
    for (const permission of ['midi', 'midiSysex']) fake.permissionHandler!({}, permission, (granted) => asked.push(granted));
    expect(asked).toEqual([true, false]);
  });
});

describe('IPC', () => {
  it('plays the script given on the command line once the page has loaded, and sends it a snapshot', async () => {
    window.webContents.emit('did-finish-load');
    expect(lastSnapshot()?.type).toBe('snapshot');
    await until(() => hostMessages().some((m) => m.type === 'events' && m.events.some((e) => e.type === 'notes' && e.notes.join() === '60,64')));
    const snapshot = await freshSnapshot();
    expect(snapshot.notes).toEqual([60, 64]);
  });

  it('runs a valid request from the app’s page', async () => {
    const reply = await invoke({ id: 1, type: 'submit-line', line: 'add 67' });
    expect(reply).toEqual({ type: 'reply', id: 1, ok: true, value: { source: 'terminal' } });
    await until(() => hostMessages().some((m) => m.type === 'events' && m.events.some((e) => e.type === 'notes' && e.notes.includes(67))));
  });

  it('refuses foreign senders with an error and changes nothing', async () => {
    const before = (await freshSnapshot()).notes;
    const foreign: [unknown, unknown][] = [
      [{ url: 'https://evil.example/', parent: null }, window.webContents],
      [{ url: 'file:///tmp/x.html', parent: null }, window.webContents],
      [{ url: 'app://corotone/index.html', parent: { url: 'app://corotone/index.html' } }, window.webContents],
      [null, window.webContents],
      [trustedFrame, { id: 9999 }],
    ];
    for (const [frame, sender] of foreign) {
      const reply = await invoke({ id: 2, type: 'submit-line', line: 'add 72' }, frame, sender);
      expect(reply).toMatchObject({ type: 'reply', id: 2, ok: false, error: { code: 'forbidden' } });
      const panic = await invoke({ id: 3, type: 'panic' }, frame, sender);
      expect(panic.ok).toBe(false);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await freshSnapshot()).notes).toEqual(before);
  });

  it('answers invalid payloads with invalid-message and changes nothing', async () => {
    const before = await freshSnapshot();
    for (const raw of [null, 42, 'add 72', { type: 'submit-line', line: 'add 72' }, { id: 4, type: 'submit-line', line: ['add 72'] }, { id: 5, type: 'eval', code: '1' }, { id: 6, type: 'cancel-task', taskId: -1 }]) {
      const reply = await invoke(raw);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('invalid-message');
    }
    const after = await freshSnapshot();
    expect(after.notes).toEqual(before.notes);
    expect(after.tasks).toEqual(before.tasks);
  });

  it('keeps the session when the renderer reloads or crashes, and re-sends the snapshot', async () => {
    const reloads = window.webContents.reloads;
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(window.webContents.reloads).toBe(reloads + 1);
    const before = hostMessages().length;
    window.webContents.emit('did-finish-load');
    const snapshot = hostMessages().slice(before).find((m) => m.type === 'snapshot');
    expect(snapshot?.type === 'snapshot' && snapshot.snapshot.notes).toEqual([60, 64, 67]);
  });

  it('saves the typed session through a Save dialog', async () => {
    fake.saveDialogPath = join(scratch, 'saved.txt');
    const reply = await invoke({ id: 7, type: 'save-session' });
    expect(reply).toMatchObject({ ok: true, value: { kind: 'saved', path: fake.saveDialogPath } });
    expect(readFileSync(fake.saveDialogPath, 'utf8')).toBe('add 67\n');
    fake.saveDialogPath = null;
    expect(await invoke({ id: 8, type: 'save-session' })).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
  });
});

describe('the menu', () => {
  type Item = { id?: string; label?: string; role?: string; accelerator?: string; submenu?: Item[]; click?: () => void };
  const menu = () => fake.menuTemplates.at(-1) as Item[];
  const find = (items: Item[], label: string) => items.find((i) => i.label?.replace('&', '') === label);

  it('has File, Playback and View with their items and accelerators', () => {
    const file = find(menu(), 'File')!.submenu!;
    expect(find(file, 'Open Script…')).toMatchObject({ accelerator: 'CmdOrCtrl+O' });
    expect(find(file, 'Open Recent')?.submenu).toBeDefined();
    expect(find(file, 'Save Session As…')?.accelerator).toBeTruthy();
    expect(find(file, 'Export Audio…')?.accelerator).toBeTruthy();
    const playback = find(menu(), 'Playback')!.submenu!;
    expect(playback.filter((i) => i.label).map((i) => i.label)).toEqual(['Stop All', 'Panic', 'Real Time (1×)', 'Half Speed (½×)', 'Quarter Speed (¼×)', 'Pause / Continue', 'Step', 'Step to the Next Instant', 'Step Line']);
    expect(playback.filter((i) => i.accelerator).length).toBe(2);
    const view = find(menu(), 'View')!.submenu!.map((i) => i.role);
    expect(view).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
    const accelerators = JSON.stringify(menu()).match(/"accelerator":"[^"]+"/g)!;
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('lists the example lessons by their titles in index.json, and the script opened from the command line as recent', () => {
    const file = find(menu(), 'File')!.submenu!;
    const index = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/examples/index.json'), 'utf8')) as { examples: { title: string }[] };
    expect(find(file, 'Examples')!.submenu!.map((i) => i.label)).toEqual(index.examples.map((e) => e.title));
    expect(find(file, 'Open Recent')!.submenu!.map((i) => i.label)).toContain('opening.txt');
  });

  it('an example picked from the menu plays in the window, whose renderer is sent its story', async () => {
    const before = hostMessages().length;
    find(find(find(menu(), 'File')!.submenu!, 'Examples')!.submenu!, 'Countdown A and B')!.click!();
    await until(() => hostMessages().slice(before).some((m) => m.type === 'example'));
    const shown = hostMessages().slice(before).find((m) => m.type === 'example');
    expect(shown).toMatchObject({ example: { file: 'countdown.txt', title: 'Countdown A and B' } });
    expect(shown?.type === 'example' && shown.example.text).toContain('gather countdown-a | countdown-b');
    await until(() => hostMessages().slice(before).some((m) => m.type === 'events' && m.events.some((e) => e.type === 'task-created' && e.source === 'countdown.txt')));
    await invoke({ id: 90, type: 'stop-source', source: 'countdown.txt' });
  });

  it('File ▸ Export Audio… asks the page what to export, as its button does, and exports only what the page then asks for', async () => {
    const target = join(scratch, 'menu-export.wav');
    fake.saveDialogPath = target;
    try {
      const before = hostMessages().length;
      find(find(menu(), 'File')!.submenu!, 'Export Audio…')!.click!();
      await until(() => hostMessages().slice(before).some((m) => m.type === 'menu'));
      expect(hostMessages().slice(before).filter((m) => m.type === 'menu')).toEqual([{ type: 'menu', action: 'export-audio' }]);
      await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(target)).toBe(false);
      // The page's chooser answers with an export-audio request of its own.
      const reply = await invoke({ id: 95, type: 'export-audio', what: 'all' });
      expect(reply).toMatchObject({ ok: true, value: { kind: 'saved', path: target } });
      expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe('RIFF');
    } finally {
      fake.saveDialogPath = null;
    }
  });

  it('Playback ▸ Half Speed slows the window’s clock and tells its renderer where', async () => {
    const before = hostMessages().length;
    find(find(menu(), 'Playback')!.submenu!, 'Half Speed (½×)')!.click!();
    const clock = hostMessages().slice(before).find((m) => m.type === 'clock');
    expect(clock).toMatchObject({ type: 'clock', clock: { speed: 0.5 } });
    expect((await freshSnapshotMessage()).clock.speed).toBe(0.5);
    find(find(menu(), 'Playback')!.submenu!, 'Real Time (1×)')!.click!();
    expect((await freshSnapshotMessage()).clock.speed).toBe(1);
  });

  it('Playback ▸ Pause / Continue and Step pause the window’s clock and step it; its renderer is sent the inspector', async () => {
    const before = hostMessages().length;
    find(find(menu(), 'Playback')!.submenu!, 'Step')!.click!();
    // Not paused: the step is refused, and the window's terminal says why.
    await until(() => hostMessages().slice(before).some((m) => m.type === 'notice' && m.text.startsWith('step: ')));
    find(find(menu(), 'Playback')!.submenu!, 'Pause / Continue')!.click!();
    await until(() => hostMessages().slice(before).some((m) => m.type === 'inspector' && m.inspector !== null));
    expect(hostMessages().slice(before).find((m) => m.type === 'clock')).toMatchObject({ clock: { paused: true } });
    const paused = hostMessages().length;
    find(find(menu(), 'Playback')!.submenu!, 'Step to the Next Instant')!.click!();
    await until(() => hostMessages().slice(paused).some((m) => m.type === 'inspector'));
    find(find(menu(), 'Playback')!.submenu!, 'Pause / Continue')!.click!();
    await until(() => hostMessages().slice(paused).some((m) => m.type === 'inspector' && m.inspector === null));
    expect((await freshSnapshotMessage()).clock.paused).toBeUndefined();
  });

  it('Save Session As… that cannot write shows the failure in a dialog and in the window, and the app goes on', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const target = join(scratch, 'no-such-folder', 'session.txt');
      fake.saveDialogPath = target;
      const before = hostMessages().length;
      find(find(menu(), 'File')!.submenu!, 'Save Session As…')!.click!();
      await until(() => fake.errorBoxes.length > 0);
      expect(fake.errorBoxes).toEqual([{ title: 'Save Session failed', content: expect.stringContaining(target) }]);
      expect(hostMessages().slice(before)).toContainEqual({ type: 'notice', level: 'error', text: expect.stringMatching(/^Save Session failed: cannot write .*session\.txt: no such file or directory$/) });
      // The renderer's own Save gets the same failure as its reply.
      expect(await invoke({ id: 91, type: 'save-session' })).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringContaining(target) } });
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(existsSync(target)).toBe(false);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      fake.saveDialogPath = null;
      fake.errorBoxes.length = 0;
    }
  });

  it('has DevTools in a build that is not packaged', () => {
    const view = find(menu(), 'View')!.submenu!.map((i) => i.role);
    expect(view).toContain('toggleDevTools');
  });

  it('Panic silences the focused window’s session', async () => {
    expect((await freshSnapshot()).notes.length).toBeGreaterThan(0);
    find(find(menu(), 'Playback')!.submenu!, 'Panic')!.click!();
    await new Promise((r) => setTimeout(r, 20));
    expect((await freshSnapshot()).notes).toEqual([]);
  });
});

describe('a packaged build', () => {
  let copy: BuiltApp;
  let packaged: FakeElectron;
  const savedResourcesPath = process.resourcesPath;

  beforeAll(async () => {
    copy = copyBuiltApp(built);
    packaged = createFakeElectron(join(scratch, 'userData-packaged'));
    packaged.app.isPackaged = true;
    (globalThis as { __corotoneFakeElectron?: unknown }).__corotoneFakeElectron = packaged;
    // As electron-vite dev would set it; a packaged app must ignore it, loopback or not.
    process.env.ELECTRON_RENDERER_URL = 'http://127.0.0.1:5173';
    (process as { resourcesPath?: string }).resourcesPath = copy.dir;
    process.argv = [join(copy.dir, 'corotone')];
    await nativeImport(pathToFileURL(copy.mainFile).href);
    await until(() => packaged.windows.length > 0 && packaged.menuTemplates.length > 0);
  });

  afterAll(() => {
    delete process.env.ELECTRON_RENDERER_URL;
    (process as { resourcesPath?: string }).resourcesPath = savedResourcesPath;
    for (const w of packaged?.windows ?? []) w.emit('closed');
    if (copy) rmSync(copy.dir, { recursive: true, force: true });
  });

  it('loads the built renderer, never the dev server, and trusts only the app’s origin', async () => {
    expect(packaged.windows[0].loadedUrl).toBe('app://corotone/index.html');
    const handler = packaged.ipcHandlers.get(CHANNELS.request)!;
    const fromDevServer = (await handler({ sender: packaged.windows[0].webContents, senderFrame: { url: 'http://127.0.0.1:5173/', parent: null } }, { id: 1, type: 'panic' })) as HostReply;
    expect(fromDevServer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const page = await packaged.protocolHandlers.get('app')!(new Request('app://corotone/index.html'));
    expect(page.headers.get('content-security-policy')).not.toContain('127.0.0.1');
  });

  it('has no DevTools in its menu', () => {
    const items = JSON.stringify(packaged.menuTemplates.at(-1));
    expect(items).not.toContain('toggleDevTools');
    expect(items).toContain('reload');
  });
});

