/**
 * Pause and continue the session's logical clock, as a panel: the toolbar's
 * Pause / Continue button, Space (when no text field has focus), the status
 * bar's "paused at t = …" (the clock's own time, which the heard clock holds there), and the page's audio (released while paused, the
 * notes still held sounding again on continue). The host says when it is
 * paused (a `clock` message, or a snapshot's clock), so every view of the
 * session follows, whichever asked.
 */
import type { ClockInfo } from '../../protocol';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';

export class PausePanel implements Panel {
  private readonly button = byId<HTMLButtonElement>('pause');
  /** The status bar's clock: "t 1.50 s" running, "paused at t = 1.50 s" paused (in place, so the bar keeps its width). */
  private readonly status = byId('st-clock');
  private readonly statusLabel = byId('st-time-label');
  private paused = false;

  constructor(private readonly page: Page) {
    this.button.addEventListener('click', () => void this.toggle());
    // Space is a key of the page, not of a text field: typing a space in the terminal or the editor is left alone.
    page.keys.on('pause', (e) => (typesText(e.target) ? false : void this.toggle()));
  }

  onSnapshot({ clock }: Joined): void {
    this.follow(clock);
  }

  onHostNote(note: HostNote): void {
    if (note.type === 'clock') this.follow(note.clock);
  }

  /** Ask the host to pause, or to continue. */
  async toggle(): Promise<void> {
    const reply = await this.page.api.setPaused({ paused: !this.paused });
    if (!reply.ok) this.page.terminal.notice(`pause: ${reply.error.message}`, true);
  }

  private follow(clock: ClockInfo): void {
    const paused = clock.paused === true;
    const { audio } = this.page;
    if (paused) audio.pause();
    else audio.resume(clock.speed);
    this.paused = paused;
    // ▶, or the pause bars styles.css draws: one width either way, so the toolbar never rewraps as it changes
    this.button.textContent = paused ? '▶' : '';
    this.button.setAttribute('aria-label', paused ? 'Continue' : 'Pause');
    this.button.setAttribute('aria-pressed', String(paused));
    this.page.timeline.showPaused(paused ? clock.t : null);
    this.status.classList.toggle('paused', paused);
    this.statusLabel.textContent = paused ? 'paused at t =' : 't';
  }
}

/** Does a key pressed on `target` go into text (an input, a text area, an editable element such as the editor), or activate a control? */
export function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, button, [contenteditable]') !== null;
}
