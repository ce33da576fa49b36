/** The speed of logical time as a panel: the toolbar's select, keys 1/2/4 on the timeline, and the host's word on it. */
import { SPEEDS } from '../../protocol';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';

export class SpeedPanel implements Panel {
  private readonly select = byId<HTMLSelectElement>('speed');

  constructor(private readonly page: Page) {
    this.select.addEventListener('change', () => void this.setSpeed(Number(this.select.value)));
    page.keys.on('speed', (e) => void this.setSpeed(1 / Number(e.key)));
  }

  onSnapshot({ clock }: Joined): void {
    this.show(clock.speed);
  }

  onHostNote(note: HostNote): void {
    if (note.type === 'clock') this.show(note.clock.speed);
  }

  /** Ask the host to play logical time at `speed` (1, 1/2, 1/4 of real time). */
  async setSpeed(speed: number): Promise<void> {
    const allowed = SPEEDS.find((s) => s === speed);
    if (allowed === undefined) return;
    const reply = await this.page.api.setSpeed({ speed: allowed });
    if (!reply.ok) this.page.terminal.notice(`speed: ${reply.error.message}`, true);
    else this.page.terminal.info(`speed ${speedLabel(reply.value.speed)}: ${reply.value.speed === 1 ? 'real time' : 'slow motion, notes keep their exact relative timing'}`);
  }

  private show(speed: number): void {
    if (Number(this.select.value) !== speed) this.select.value = String(speed);
  }
}

function speedLabel(speed: number): string {
  return speed === 1 ? '1×' : speed === 0.5 ? '½×' : speed === 0.25 ? '¼×' : `${speed}×`;
}
