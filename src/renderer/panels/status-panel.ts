/** The status bar and the connection pill: audio state and latency, late events, running tasks, logical time, frame time. */
import type { Transport } from '../transport';
import type { Panel } from '../panel';
import { byId, type Page } from '../page';

const REFRESH_MS = 250;
/** Seconds (logical) the status bar keeps saying the engine fell behind after it did. */
const BEHIND_SHOWN_SECONDS = 10;

export class StatusPanel implements Panel {
  private readonly timer: ReturnType<typeof setInterval>;
  /** The time shown last: within a session it never goes back (see {@link shownTime}). */
  private shownTime = -Infinity;
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
    behindField();
    page.audio.onChange(() => this.update());
    this.timer = setInterval(() => this.update(), REFRESH_MS);
    this.update();
  }

  /** A session joined (a new one starts its time afresh). */
  onSnapshot(): void {
    this.shownTime = -Infinity;
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
    setText('st-latency', ms(s.outputLatency));
    setText('st-base', ms(s.baseLatency));
    setText('st-lookahead', `${Math.round(s.lookahead * 1000)} ms`);
    setText('st-late', String(s.lateEvents));
    byId('st-late').className = s.lateEvents > 0 ? 'warn' : '';
    setText('st-tasks', String(feed.model.liveCount - feed.model.liveSources));
    // The clock may step back when the audio's time takes over from the host's estimate (or the
    // engine catches up after a block): the status bar holds its time until the clock passes it.
    this.shownTime = Math.max(this.shownTime, clock.now());
    setText('st-time', `${this.shownTime.toFixed(2)} s`);
    const { behindT, behindBy } = feed.model;
    const last = behindT.length - 1;
    const behind = last >= 0 && clock.timelineNow() - behindT[last] < BEHIND_SHOWN_SECONDS ? behindBy[last] : null;
    setText('st-behind', behind === null ? 'on time' : `behind by ${Math.round(behind * 1000)} ms`);
    byId('st-behind').className = behind === null ? '' : 'warn';
    // shown while it matters: the bar has no room to spare at 1024 px
    const field = byId('st-behind').parentElement;
    if (field) field.hidden = behind === null;
    const f = timeline.frameStats();
    setText('st-frame', `${f.meanMs.toFixed(2)} ms (p95 ${f.p95Ms.toFixed(2)})`);
  }
}

/** The engine's state in the status bar ("behind by X ms" after an engine-behind report), made once. */
function behindField(): void {
  if (document.getElementById('st-behind')) return;
  const bar = document.querySelector('footer.status');
  if (!bar) return;
  const span = document.createElement('span');
  span.hidden = true;
  span.title = 'The engine could not keep up with the clock, which skipped ahead (a mark on the timeline ruler)';
  span.append('engine ');
  const b = document.createElement('b');
  b.id = 'st-behind';
  b.textContent = 'on time';
  span.append(b);
  bar.append(span);
}

function setText(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}
