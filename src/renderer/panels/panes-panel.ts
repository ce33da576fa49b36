/**
 * Moving between the panes without a mouse: Tab completes in the terminal, so
 * focus would never leave it. F6 and Shift+F6 cycle the panes (toolbar,
 * terminal, timeline, editor when open), as browsers and IDEs do; each pane
 * has a key of its own, and the Examples menu one too (shortcuts.ts).
 */
import { byId, type Page } from '../page';
import type { EditorPanel } from './editor-panel';

interface Pane {
  readonly name: string;
  /** The element focus is in while the pane has it. */
  readonly root: HTMLElement;
  readonly shown: () => boolean;
  readonly focus: () => void;
}

export class PanesPanel {
  private readonly panes: Pane[];

  constructor(page: Page, editor: EditorPanel) {
    const toolbar = document.querySelector<HTMLElement>('header.toolbar')!;
    const timeline = page.timeline.canvas;
    this.panes = [
      { name: 'toolbar', root: toolbar, shown: () => true, focus: () => firstControl(toolbar)?.focus() },
      { name: 'terminal', root: byId('terminal'), shown: () => true, focus: () => page.terminal.focus() },
      { name: 'timeline', root: timeline.closest<HTMLElement>('.timeline-pane') ?? timeline, shown: () => true, focus: () => timeline.focus() },
      { name: 'editor', root: byId('story'), shown: () => editor.isOpen, focus: () => editor.editor.focus() },
    ];
    const { keys } = page;
    keys.on('next-pane', () => this.step(1));
    keys.on('previous-pane', () => this.step(-1));
    keys.on('focus-terminal', () => page.terminal.focus());
    keys.on('focus-timeline', () => timeline.focus());
    keys.on('focus-editor', () => {
      editor.setOpen(true);
      editor.editor.focus();
    });
    keys.on('focus-examples', () => {
      const select = byId<HTMLSelectElement>('examples');
      if (select.hidden) return false;
      select.focus();
    });
  }

  /** The pane focus is in (by name), or null. */
  get current(): string | null {
    const active = document.activeElement;
    return this.panes.find((p) => active instanceof Node && p.root.contains(active))?.name ?? null;
  }

  private step(by: 1 | -1): void {
    const shown = this.panes.filter((p) => p.shown());
    const at = shown.findIndex((p) => p.name === this.current);
    // from nowhere, F6 goes to the terminal (where typing goes) and Shift+F6 to the pane before it
    const from = at >= 0 ? at : shown.findIndex((p) => p.name === 'terminal') - (by > 0 ? 1 : 0);
    shown[(from + by + shown.length) % shown.length].focus();
  }
}

/** The first control of the toolbar a key can reach (shown and enabled). */
function firstControl(root: HTMLElement): HTMLElement | null {
  const controls = root.querySelectorAll<HTMLElement>('button, select, input');
  for (const c of controls) if (!(c as HTMLButtonElement).disabled && c.offsetParent !== null) return c;
  return null;
}
