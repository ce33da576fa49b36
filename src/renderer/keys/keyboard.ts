/**
 * Installs the shortcut table (shortcuts.ts) as one capture-phase key
 * listener: capture, because the terminal's own keyboard handling would
 * otherwise swallow Ctrl+O and the like. Panels bind the actions they do; a
 * shortcut of a place (`timeline`, `story editor`) works while focus is in
 * that place's element.
 */
import { SHORTCUTS, chordsOf, matches, type ActionId, type Chord, type Shortcut, type Where } from './shortcuts';

/** Does the action; returning false lets the key through (nothing to do: Escape with nothing open). */
export type ShortcutHandler = (e: KeyboardEvent) => boolean | void;

export class Keyboard {
  private readonly handlers = new Map<ActionId, ShortcutHandler>();
  private readonly places = new Map<Where, HTMLElement>();
  private readonly rows: { shortcut: Shortcut; chords: Chord[] }[];
  private readonly listener = (e: KeyboardEvent) => this.key(e);

  constructor(options: { desktop: boolean }, table: readonly Shortcut[] = SHORTCUTS) {
    this.rows = table
      .filter((s) => s.action !== undefined && !(s.webOnly && options.desktop))
      .map((shortcut) => ({ shortcut, chords: chordsOf(shortcut) }));
    window.addEventListener('keydown', this.listener, { capture: true });
  }

  /** Do `handler` on the action's keys. */
  on(action: ActionId, handler: ShortcutHandler): void {
    this.handlers.set(action, handler);
  }

  /** The shortcuts of `where` work while focus is in `element`. */
  place(where: Where, element: HTMLElement): void {
    this.places.set(where, element);
  }

  dispose(): void {
    window.removeEventListener('keydown', this.listener, { capture: true });
  }

  private key(e: KeyboardEvent): void {
    for (const { shortcut, chords } of this.rows) {
      if (!this.applies(shortcut.where, e.target) || !chords.some((c) => matches(c, e))) continue;
      const handler = shortcut.action && this.handlers.get(shortcut.action);
      if (!handler || handler(e) === false) continue;
      e.preventDefault();
      e.stopPropagation();
      return;
    }
  }

  private applies(where: Where, target: EventTarget | null): boolean {
    if (where === 'anywhere') return true;
    const element = this.places.get(where);
    return element !== undefined && target instanceof Node && element.contains(target);
  }
}
