/**
 * Replay from here, as a panel: a click on the timeline picks a moment (the
 * view draws it), and the timeline's ⟲ Replay button, or R (Shift: playing
 * on) while the timeline has focus, asks the host to rebuild the session
 * there and go on from it, paused for a debugger's look unless asked to play.
 * The host answers with a snapshot (the timeline up to the moment); a rebuild
 * that differs from the original is refused, and the terminal says what
 * differs.
 */
import type { Joined, Panel } from '../panel';
import { byId, type Page } from '../page';

export class ReplayPanel implements Panel {
  private readonly button = byId<HTMLButtonElement>('replay');
  private busy = false;

  constructor(private readonly page: Page) {
    const view = page.timeline;
    view.onPick = () => this.refresh();
    this.button.addEventListener('click', (e) => void this.replay(!e.shiftKey));
    page.keys.on('replay', () => void this.replay(true));
    page.keys.on('replay-live', () => void this.replay(false));
    this.refresh();
  }

  onSnapshot(_joined: Joined): void {
    this.refresh();
  }

  /** Rebuild the session at the picked moment and go on from there (`paused`, or playing). */
  async replay(paused: boolean): Promise<void> {
    const t = this.page.timeline.picked;
    if (t === null || this.busy) {
      if (t === null) this.page.terminal.notice('replay from here: click a moment on the timeline first', true);
      return;
    }
    this.busy = true;
    this.refresh();
    try {
      const reply = await this.page.api.replayFrom({ t, paused });
      if (!reply.ok) this.page.terminal.notice(`replay from here: ${reply.error.message}`, true);
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  private refresh(): void {
    const t = this.page.timeline.picked;
    this.button.disabled = t === null || this.busy;
    this.button.setAttribute('aria-label', t === null ? 'Replay from here (click a moment on the timeline first)' : `Replay from t = ${t.toFixed(2)} s`);
  }
}
