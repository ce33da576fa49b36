/** The status bar and the connection pill: audio state and latency, late events, running tasks, logical time, frame time. */
import type { Transport } from '../transport';
import type { Panel } from '../panel';
import { byId, type Page } from '../page';

const REFRESH_MS = 250;

export class StatusPanel implements Panel {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unlisten: () => void;

  constructor(
    private readonly page: Page,
    transport: Transport,
  ) {
    const showConnection = (status: string) => {
      const el = byId('connection');
      el.textContent = transport.kind === 'electron' ? 'desktop' : status === 'open' ? 'connected' : status === 'connecting' ? 'connecting…' : 'reconnecting…';
      el.className = `pill ${status === 'open' ? 'ok' : 'warn'}`;
    };
    this.unlisten = transport.onStatus(showConnection);
    showConnection(transport.status);
    page.audio.onChange(() => this.update());
    this.timer = setInterval(() => this.update(), REFRESH_MS);
    this.update();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.unlisten();
  }

  update(): void {
    const { audio, feed, timeline, clock } = this.page;
    const s = audio.stats();
    const ms = (x: number | null) => (x === null ? '—' : `${(x * 1000).toFixed(1)} ms`);
    setText('st-audio', s.state);
    byId('st-audio').className = s.state === 'running' ? 'ok' : 'warn';
    setText('st-latency', `${ms(s.outputLatency)} (base ${ms(s.baseLatency)})`);
    setText('st-lookahead', `${Math.round(s.lookahead * 1000)} ms`);
    setText('st-late', String(s.lateEvents));
    byId('st-late').className = s.lateEvents > 0 ? 'warn' : '';
    setText('st-tasks', String(feed.model.liveCount - feed.model.liveSources));
    setText('st-time', `${clock.now().toFixed(2)} s`);
    const f = timeline.frameStats();
    setText('st-frame', `${f.meanMs.toFixed(2)} ms (p95 ${f.p95Ms.toFixed(2)})`);
  }
}

function setText(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}
