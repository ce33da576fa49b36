/**
 * Every keyboard shortcut of the app, in one table: the key listeners are
 * installed from it (keyboard.ts), and the help is rendered from it (the
 * README's table, the terminal's key help, the toolbar's tooltips). A row
 * without an action is handled by the part named in `where` itself (the
 * terminal's line editor, the desktop app's menu) and is listed for the help.
 */
import { layoutTable } from '../terminal/table';

/** Where a shortcut works. */
export type Where = 'anywhere' | 'terminal' | 'timeline' | 'editor' | 'desktop menu';

/** What a shortcut does, bound to a handler by the panel that does it. */
export type ActionId =
  | 'open-script'
  | 'export-audio'
  | 'save-session'
  | 'panic'
  | 'toggle-story'
  | 'run-line'
  | 'run-buffer'
  | 'show-python'
  | 'show-keys'
  | 'close'
  | 'speed'
  | 'pause'
  | 'step'
  | 'step-instant'
  | 'step-line'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'pan-back'
  | 'pan-forward'
  | 'scroll-up'
  | 'scroll-down'
  | 'toggle-follow'
  | 'replay'
  | 'replay-live'
  | 'toggle-theme'
  | 'record'
  | 'next-pane'
  | 'previous-pane'
  | 'focus-terminal'
  | 'focus-timeline'
  | 'focus-editor'
  | 'focus-examples'
  | 'explorer';

export interface Shortcut {
  /** The keys as shown; alternatives are separated by " / ". */
  readonly keys: string;
  readonly where: Where;
  readonly what: string;
  readonly action?: ActionId;
  /** The chords to listen for, when they are more than those shown (`=` zooms in like `+`). */
  readonly match?: readonly string[];
  /** The desktop app's menu has this accelerator already: only web mode listens for it. */
  readonly webOnly?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Enter', where: 'terminal', what: 'run the line' },
  { keys: '↑ / ↓', where: 'terminal', what: 'history' },
  { keys: '← → Home End, Backspace, Delete', where: 'terminal', what: 'line editing' },
  { keys: 'Tab', where: 'terminal', what: 'complete a command or phrase name' },
  { keys: 'Ctrl+C', where: 'terminal', what: 'cancel the running line (and those queued behind it)' },
  { keys: 'Ctrl+O', where: 'anywhere', what: 'open a script', action: 'open-script' },
  { keys: 'Ctrl+E', where: 'anywhere', what: 'export audio as WAV: asks what (the terminal session, one script, or everything that played)', action: 'export-audio', webOnly: true },
  { keys: 'Ctrl+Alt+R', where: 'anywhere', what: 'record what is heard (the live mix) / stop and save it as WAV', action: 'record' },
  { keys: 'Ctrl+Alt+D', where: 'anywhere', what: 'switch between the light and dark themes', action: 'toggle-theme' },
  { keys: 'Ctrl+Shift+S', where: 'anywhere', what: 'save the session: what was typed, with its timing, as a script', action: 'save-session', webOnly: true },
  { keys: 'Space', where: 'anywhere', what: "pause / continue the session's logical clock (not while the terminal, the editor or a control has focus)", action: 'pause', match: [' '] },
  { keys: 'S', where: 'anywhere', what: 'paused: step, exactly one resumption (the first ready task runs to its next await); not in a text field', action: 'step' },
  { keys: 'N', where: 'anywhere', what: 'paused: step to the next instant (the rest of this one, then the clock moves to the next timer)', action: 'step-instant' },
  { keys: 'L', where: 'anywhere', what: "paused: step line, until the chosen task (clicked in the inspector or the timeline; else the next to run) finishes its command", action: 'step-line' },
  { keys: 'Shift+Esc', where: 'anywhere', what: 'panic: silence everything at once', action: 'panic' },
  { keys: 'Ctrl+Shift+L', where: 'anywhere', what: 'show or hide the code editor (scratch buffer, lessons, scripts, help)', action: 'toggle-story' },
  { keys: 'F6', where: 'anywhere', what: 'focus the next pane: toolbar, terminal, timeline, editor (when open); Tab moves within the toolbar', action: 'next-pane' },
  { keys: 'Shift+F6', where: 'anywhere', what: 'focus the previous pane', action: 'previous-pane' },
  { keys: 'Ctrl+Alt+1', where: 'anywhere', what: 'focus the terminal', action: 'focus-terminal' },
  { keys: 'Ctrl+Alt+2', where: 'anywhere', what: 'focus the timeline (its keys below then work)', action: 'focus-timeline' },
  { keys: 'Ctrl+Alt+3', where: 'anywhere', what: 'open and focus the code editor', action: 'focus-editor' },
  { keys: 'Ctrl+Alt+E', where: 'anywhere', what: 'focus the Examples menu: ↑/↓ or Alt+↓ to choose a lesson', action: 'focus-examples' },
  { keys: 'Ctrl+/', where: 'anywhere', what: 'list these shortcuts in the terminal', action: 'show-keys' },
  { keys: 'Esc', where: 'anywhere', what: "close the timeline's detail card or a menu", action: 'close' },
  { keys: 'Ctrl+Enter', where: 'editor', what: 'run the line or the selection', action: 'run-line' },
  { keys: 'Ctrl+Shift+Enter', where: 'editor', what: 'run the whole buffer, as a source named after it', action: 'run-buffer' },
  { keys: 'Ctrl+Alt+X', where: 'anywhere', what: 'the interleaving explorer: every order of the shown script’s same-instant tasks that could matter, each distinct outcome to play beside the first (again: close it)', action: 'explorer' },
  { keys: 'Ctrl+Alt+P', where: 'anywhere', what: "show the shown buffer's program as Python asyncio: a read-only tab NAME.py, its warnings and a download", action: 'show-python' },
  { keys: '1 / 2 / 4', where: 'timeline', what: 'speed 1×, ½×, ¼×', action: 'speed' },
  { keys: '+', where: 'timeline', what: 'zoom in (also Ctrl/⌘+wheel, or a pinch)', action: 'zoom-in', match: ['+', '='] },
  { keys: '−', where: 'timeline', what: 'zoom out', action: 'zoom-out', match: ['-', '_', '−'] },
  { keys: '0', where: 'timeline', what: 'fit: show everything', action: 'zoom-fit' },
  { keys: '←', where: 'timeline', what: 'pan back in time (also drag, Shift+wheel or a sideways swipe)', action: 'pan-back' },
  { keys: '→', where: 'timeline', what: 'pan forward in time', action: 'pan-forward' },
  { keys: '↑', where: 'timeline', what: 'scroll the lanes up (also the wheel, or drag the scrollbar)', action: 'scroll-up' },
  { keys: '↓', where: 'timeline', what: "scroll the lanes down (a click on a lane's header opens or closes it)", action: 'scroll-down' },
  { keys: 'F', where: 'timeline', what: 'follow the now-cursor on / off', action: 'toggle-follow' },
  { keys: 'R', where: 'timeline', what: 'replay from here: rebuild the session at the moment clicked on the timeline and go on from there, paused', action: 'replay' },
  { keys: 'Shift+R', where: 'timeline', what: 'replay from here, and play on from there', action: 'replay-live' },
  { keys: 'Ctrl+.', where: 'desktop menu', what: 'Stop All' },
  { keys: 'Ctrl+Shift+.', where: 'desktop menu', what: 'Panic' },
];

/** A key combination: its modifiers and the key (KeyboardEvent.key, lower case for letters). */
export interface Chord {
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  readonly key: string;
}

const KEY_NAMES: Record<string, string> = { esc: 'escape', '←': 'arrowleft', '→': 'arrowright', '↑': 'arrowup', '↓': 'arrowdown' };

/** `Ctrl+Shift+L` → { ctrl, shift, key: 'l' }. Ctrl stands for ⌘ too. */
export function parseChord(text: string): Chord {
  // the key itself may be `+` (`+`, `Ctrl++`)
  const plus = text.endsWith('+');
  const parts = (plus ? text.slice(0, -1) : text).split('+').filter((p) => p !== '');
  const key = plus ? '+' : (parts.pop() ?? '').toLowerCase();
  const mods = new Set(parts.map((m) => m.toLowerCase()));
  return { ctrl: mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt'), key: KEY_NAMES[key] ?? key };
}

/** The chords a shortcut listens for. */
export function chordsOf(shortcut: Shortcut): Chord[] {
  return (shortcut.match ?? shortcut.keys.split(' / ')).map(parseChord);
}

/** Whether a key event is the chord. Shift is only checked for letters and named keys (`+` is Shift+= on most layouts). */
export function matches(chord: Chord, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  if (e.key.toLowerCase() !== chord.key) return false;
  if ((e.ctrlKey || e.metaKey) !== chord.ctrl || e.altKey !== chord.alt) return false;
  const shiftMatters = /^[a-z]$/.test(chord.key) || chord.key.length > 1 || chord.ctrl;
  return !shiftMatters || e.shiftKey === chord.shift;
}

/** The keys of an action, as shown (for a tooltip), or null when it has none. */
export function keysOf(action: ActionId): string | null {
  return SHORTCUTS.find((s) => s.action === action)?.keys ?? null;
}

/** The table as Markdown, as the README shows it. */
export function shortcutsMarkdown(table: readonly Shortcut[] = SHORTCUTS): string {
  const rows = table.map((s) => `| ${s.keys} | ${s.where} | ${s.what} |`);
  return ['| keys | where | what |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The table as plain text columns, for the terminal. */
export function shortcutsText(table: readonly Shortcut[] = SHORTCUTS): string {
  const keysWidth = Math.max(...table.map((s) => s.keys.length));
  const whereWidth = Math.max(...table.map((s) => s.where.length));
  return table.map((s) => `${s.keys.padEnd(keysWidth)}  ${s.where.padEnd(whereWidth)}  ${s.what}`).join('\n');
}

/** What Ctrl+/ and `help keys` print: the table, without the desktop menu's rows in web mode (it has none). */
export function keysHelp(desktop: boolean): string {
  return `keyboard shortcuts:\n${shortcutsText(shownKeys(desktop))}`;
}

/** The same for a terminal `width` columns wide: the columns kept in line, the descriptions wrapped in theirs. */
export function keysHelpFor(desktop: boolean, width: number): string {
  const rows = shownKeys(desktop).map((s) => [s.keys, s.where, s.what]);
  return ['keyboard shortcuts:', ...layoutTable(rows, width)].join('\n');
}

function shownKeys(desktop: boolean): readonly Shortcut[] {
  return desktop ? SHORTCUTS : SHORTCUTS.filter((s) => s.where !== 'desktop menu');
}

/** Whether a typed line asks for the keys (`help keys`): the renderer answers it, the host has no such command. */
export function asksForKeys(line: string): boolean {
  return /^\s*help\s+keys\s*$/i.test(line);
}
