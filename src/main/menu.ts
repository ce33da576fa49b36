/** The application menu, as a template built from the actions it triggers (testable without Electron). */
import type { MenuItemConstructorOptions } from 'electron';
import type { Speed, StepKind } from '../protocol';
import type { Example } from './files';
import { scriptLabel } from './files';

export interface MenuActions {
  openScript(): void;
  openPath(path: string): void;
  /** Open an example lesson: play it and show its story beside the timeline. */
  openExample(example: Example): void;
  clearRecent(): void;
  saveSessionAs(): void;
  exportAudio(): void;
  stopAll(): void;
  panic(): void;
  /** Play logical time at `speed` times real time (1, 1/2, 1/4). */
  setSpeed(speed: Speed): void;
  /** Pause the session's logical clock, or continue it (set-paused). */
  togglePause(): void;
  /** While paused: one resumption, the next instant, or step line (the next task to run), as the page's step buttons. */
  step(kind: StepKind): void;
}

/** What the menu depends on besides its actions. */
export interface MenuShell {
  platform: NodeJS.Platform;
  /** A packaged build has no DevTools item (nor its accelerator). */
  packaged: boolean;
}

export function buildMenuTemplate(
  actions: MenuActions,
  recent: string[],
  examples: Example[],
  shell: MenuShell = { platform: process.platform, packaged: false },
): MenuItemConstructorOptions[] {
  const mac = shell.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No Recent Scripts', enabled: false }]
      : [
          ...recent.map((path): MenuItemConstructorOptions => ({ label: scriptLabel(path), sublabel: path, click: () => actions.openPath(path) })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];
  const exampleItems: MenuItemConstructorOptions[] =
    examples.length === 0
      ? [{ label: 'No Examples', enabled: false }]
      : examples.map((example) => ({ label: example.label, click: () => (example.file ? actions.openExample(example) : actions.openPath(example.path)) }));
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { id: 'open-script', label: 'Open Script…', accelerator: 'CmdOrCtrl+O', click: () => actions.openScript() },
        { id: 'open-recent', label: 'Open Recent', submenu: recentItems },
        { id: 'examples', label: 'Examples', submenu: exampleItems },
        { type: 'separator' },
        { id: 'save-session', label: 'Save Session As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveSessionAs() },
        { id: 'export-audio', label: 'Export Audio…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportAudio() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Playback',
      submenu: [
        { id: 'stop-all', label: 'Stop All', accelerator: 'CmdOrCtrl+.', click: () => actions.stopAll() },
        { id: 'panic', label: 'Panic', accelerator: 'CmdOrCtrl+Shift+.', click: () => actions.panic() },
        { type: 'separator' },
        { id: 'speed-1', label: 'Real Time (1×)', click: () => actions.setSpeed(1) },
        { id: 'speed-0.5', label: 'Half Speed (½×)', click: () => actions.setSpeed(0.5) },
        { id: 'speed-0.25', label: 'Quarter Speed (¼×)', click: () => actions.setSpeed(0.25) },
        // No accelerators: Space, S, N and L are the page's keys, and would be taken from the terminal and the editor.
        { type: 'separator' },
        { id: 'pause', label: 'Pause / Continue', click: () => actions.togglePause() },
        { id: 'step', label: 'Step', click: () => actions.step('step') },
        { id: 'step-instant', label: 'Step to the Next Instant', click: () => actions.step('next-instant') },
        { id: 'step-line', label: 'Step Line', click: () => actions.step('line') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { type: 'separator' },
        { role: 'reload' },
        ...(shell.packaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
}
