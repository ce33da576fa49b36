/**
 * The keys' help, from the one shortcut table: each control marked
 * `data-action` shows its keys in its tooltip, and Ctrl+/ lists every
 * shortcut in the terminal (as `help keys` does, see terminal-panel.ts).
 */
import { keysHelpFor, keysOf, type ActionId } from '../keys/shortcuts';
import type { Panel } from '../panel';
import type { Page } from '../page';

export class KeysPanel implements Panel {
  constructor(page: Page) {
    for (const el of document.querySelectorAll<HTMLElement>('[data-action]')) {
      const keys = keysOf(el.dataset.action as ActionId);
      if (keys && !el.title.endsWith(`(${keys})`)) el.title = `${el.title} (${keys})`;
    }
    page.keys.on('show-keys', () => page.terminal.info((columns) => keysHelpFor(page.desktop, columns)));
  }
}
