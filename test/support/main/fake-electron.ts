/** A recording stand-in for the parts of Electron the main process and the preload use. */
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; message: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  reloads = 0;
  send(channel: string, message: unknown): void {
    // What crosses IPC is a structured clone.
    this.sent.push({ channel, message: structuredClone(message) });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  reload(): void {
    this.reloads++;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export interface FakeElectron {
  app: EventEmitter & { isPackaged: boolean };
  BrowserWindow: unknown;
  Menu: { buildFromTemplate(template: unknown[]): unknown; setApplicationMenu(menu: unknown): void };
  dialog: Record<string, unknown>;
  ipcMain: { handle(channel: string, handler: (...args: unknown[]) => unknown): void };
  protocol: Record<string, unknown>;
  session: { defaultSession: Record<string, unknown> };
  shell: Record<string, unknown>;
  contextBridge: unknown;
  ipcRenderer: unknown;
  // what the fake recorded
  windows: FakeWindow[];
  ipcHandlers: Map<string, (...args: unknown[]) => unknown>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  privilegedSchemes: unknown[];
  headersHandler: ((details: { responseHeaders?: Record<string, string[]> }, callback: (result: { responseHeaders: Record<string, string[]> }) => void) => void) | null;
  permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  menuTemplates: unknown[][];
  sandboxEnabled: boolean;
  /** The switches app.commandLine was given (the last value of each). */
  switches: Map<string, string>;
  saveDialogPath: string | null;
  /** Every dialog.showErrorBox(title, content), in order. */
  errorBoxes: { title: string; content: string }[];
}

export interface FakeWindow extends EventEmitter {
  options: { webPreferences: Record<string, unknown> } & Record<string, unknown>;
  webContents: FakeWebContents;
  loadedUrl: string | null;
}

export function createFakeElectron(userData: string): FakeElectron {
  const windows: FakeWindow[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    enableSandbox() {
      fake.sandboxEnabled = true;
    },
    commandLine: {
      getSwitchValue: (name: string) => fake.switches.get(name) ?? '',
      appendSwitch: (name: string, value = '') => void fake.switches.set(name, value),
    },
    getPath: () => userData,
    quit() {},
  });
  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    constructor(readonly options: FakeWindow['options']) {
      super();
      windows.push(this as unknown as FakeWindow);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
    static getFocusedWindow(): BrowserWindow | null {
      return (windows[0] as unknown as BrowserWindow) ?? null;
    }
    static getAllWindows(): BrowserWindow[] {
      return windows as unknown as BrowserWindow[];
    }
  }
  const fake: FakeElectron = {
    app,
    BrowserWindow,
    Menu: {
      buildFromTemplate(template) {
        fake.menuTemplates.push(template);
        return { template };
      },
      setApplicationMenu() {},
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => (fake.saveDialogPath ? { canceled: false, filePath: fake.saveDialogPath } : { canceled: true }),
      showErrorBox(title: string, content: string) {
        fake.errorBoxes.push({ title, content });
      },
    },
    ipcMain: {
      handle(channel, handler) {
        fake.ipcHandlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        fake.privilegedSchemes.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        fake.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived(handler: FakeElectron['headersHandler']) {
            fake.headersHandler = handler;
          },
        },
        setPermissionRequestHandler(handler: FakeElectron['permissionHandler']) {
          fake.permissionHandler = handler;
        },
        setPermissionCheckHandler() {},
      },
    },
    shell: {},
    contextBridge: {},
    ipcRenderer: {},
    windows,
    ipcHandlers: new Map(),
    protocolHandlers: new Map(),
    privilegedSchemes: [],
    headersHandler: null,
    permissionHandler: null,
    menuTemplates: [],
    sandboxEnabled: false,
    switches: new Map(),
    saveDialogPath: null,
    errorBoxes: [],
  };
  return fake;
}
