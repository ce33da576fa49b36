/**
 * The mark on the timeline that says the session is older than what is drawn:
 * past the host's history cap (a million events) the oldest events are
 * dropped, and a reloaded page says how many, at the left edge of the lanes.
 */
import type { Joined, Panel } from '../panel';

export class HistoryPanel implements Panel {
  private readonly mark: HTMLElement;

  constructor() {
    this.mark = document.createElement('div');
    this.mark.id = 'history-dropped';
    this.mark.className = 'history-dropped';
    this.mark.setAttribute('role', 'status');
    this.mark.hidden = true;
    document.querySelector('.timeline-canvas-box')?.append(this.mark);
  }

  onSnapshot({ dropped }: Joined): void {
    this.mark.hidden = dropped === 0;
    if (dropped === 0) return;
    const count = dropped.toLocaleString('en');
    this.mark.textContent = `◀ ${count} older event${dropped === 1 ? '' : 's'} dropped`;
    this.mark.title = `The host keeps the session's latest events (its history cap); ${count} older ones are not drawn.`;
  }

  dispose(): void {
    this.mark.remove();
  }
}
