/**
 * OSC out as a panel: the status bar's "OSC" box takes HOST:PORT (Enter sends
 * it to the host, which sends every note and cue there as OSC bundles, as
 * `corotone --osc` does); emptied, OSC out stops. The terminal says what the
 * host answered.
 */
import type { Panel } from '../panel';
import { byId, type Page } from '../page';

export class OscPanel implements Panel {
  private readonly input = byId<HTMLInputElement>('osc-target');
  private readonly listening = new AbortController();

  constructor(private readonly page: Page) {
    this.input.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        void this.apply(this.input.value.trim());
      },
      { signal: this.listening.signal },
    );
  }

  dispose(): void {
    this.listening.abort();
  }

  /** Send to `target` (HOST:PORT), or stop ('' ). */
  async apply(target: string): Promise<void> {
    const { api, terminal } = this.page;
    const reply = await api.setOsc({ target: target === '' ? null : target });
    if (!reply.ok) {
      terminal.notice(reply.error.message, true);
      return;
    }
    this.input.value = reply.value.target ?? '';
    terminal.info(reply.value.target === null ? 'OSC out: off' : `OSC out: every note to ${reply.value.target} (/corotone/note/on, /corotone/note/off, /corotone/cue)`);
  }
}
