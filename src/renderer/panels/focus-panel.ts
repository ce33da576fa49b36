/**
 * Keeps typing where it belongs: in the terminal, or in the story's editor
 * while it is being edited, never in a control. A click on a button does not
 * take the focus (so Enter and Space cannot press it again), and a choice in
 * a toolbar menu or slider gives the focus back. Tab still reaches every
 * control, for whoever drives the page with keys.
 */
import type { Panel } from '../panel';
import type { Page } from '../page';

export class FocusPanel implements Panel {
  /** The editor typed in last, if it was not the terminal. */
  private editor: HTMLElement | null = null;
  private readonly listening = new AbortController();

  constructor(private readonly page: Page) {
    const { signal } = this.listening;
    document.addEventListener(
      'focusin',
      (e) => {
        const target = e.target;
        if (target instanceof HTMLElement && target.closest('.cm-editor')) this.editor = target;
        else if (target instanceof HTMLTextAreaElement && !target.closest('.xterm')) this.editor = target;
        else if (target instanceof HTMLElement && target.closest('.xterm')) this.editor = null;
      },
      { signal },
    );
    // A button pressed with the mouse keeps the focus where it was (the default would move it to the button).
    document.addEventListener(
      'mousedown',
      (e) => {
        if (e.target instanceof Element && e.target.closest('button')) e.preventDefault();
      },
      { capture: true, signal },
    );
    document.addEventListener(
      'change',
      (e) => {
        const target = e.target;
        const chosen = target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'range');
        if (chosen) this.giveBack();
      },
      { signal },
    );
  }

  dispose(): void {
    this.listening.abort();
  }

  /** Focus back where typing goes: the editor in use, else the terminal. */
  giveBack(): void {
    const editor = this.editor;
    const readOnly = editor instanceof HTMLTextAreaElement && editor.readOnly;
    if (editor && editor.isConnected && !readOnly && editor.offsetParent !== null) editor.focus();
    else this.page.terminal.focus();
  }
}
