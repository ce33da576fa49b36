/**
 * The interleaving explorer as a panel: the toolbar's Orders button (and
 * Ctrl+Alt+X) sends the shown buffer of the editor (a lesson, a script, the
 * scratch) to the host (`explore`), which runs it under every order of its
 * same-instant ready tasks that could matter, within a budget. The panel
 * lists the distinct outcomes, each with how many orders made it, where its
 * order parts from asyncio's (the instant and the two tasks) and the order
 * that makes it; ▶ plays an outcome through the page's audio (apart from the
 * live session), and its timeline is drawn under the first outcome's, on the
 * same time axis, the parting instant marked.
 */
import type { SessionEvent } from '../../core/session/api';
import type { StreamEvent } from '../../core/stream/stream';
import { formatSeconds } from '../../core/debug/inspect';
import { secondsToNs } from '../../core/time';
import { EXPLORE_LIMITS, type ResultOf } from '../../protocol';
import { pythonName } from '../editor/python-view';
import { byId, type Page } from '../page';
import type { Panel } from '../panel';
import type { EditorPanel } from './editor-panel';
import { ExplorerTimelines } from './explorer-timelines';

type Exploration = ResultOf<'explore'>;
type Outcome = Exploration['outcomes'][number];

/** The order's choices an outcome lists before "and N more". */
const ORDER_SHOWN = 6;

export class ExplorerPanel implements Panel {
  private readonly root = byId('explorer');
  private readonly button = byId<HTMLButtonElement>('explore');
  private readonly list = byId<HTMLOListElement>('explorer-outcomes');
  private readonly summary = byId('explorer-summary');
  private readonly scriptName = byId('explorer-script');
  private readonly budget = byId<HTMLInputElement>('explorer-budget');
  private readonly again = byId<HTMLButtonElement>('explorer-run');
  private readonly firstLabel = byId('explorer-first-label');
  private readonly otherLabel = byId('explorer-other-label');
  private readonly timelines: ExplorerTimelines;
  /** The last exploration shown, and the outcome drawn under the first. */
  result: Exploration | null = null;
  compared: number | null = null;
  /** Explorations asked for, so that only the latest answer is shown. */
  private asked = 0;

  constructor(
    private readonly page: Page,
    private readonly editor: EditorPanel,
  ) {
    this.timelines = new ExplorerTimelines(page, byId<HTMLCanvasElement>('explorer-first'), byId<HTMLCanvasElement>('explorer-other'));
    this.button.addEventListener('click', () => void this.toggle());
    page.keys.on('explorer', () => void this.toggle());
    byId('explorer-close').addEventListener('click', () => this.close());
    this.again.addEventListener('click', () => void this.explore());
    this.root.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      this.close();
    });
  }

  onResize(): void {
    if (this.isOpen) this.timelines.redraw();
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** Open the explorer on the shown buffer (or close it). */
  async toggle(): Promise<void> {
    if (this.isOpen) return this.close();
    this.root.hidden = false;
    this.button.classList.add('on');
    // Esc reaches the explorer (its keydown), and Tab walks its controls.
    this.root.focus();
    await this.explore();
  }

  close(): void {
    this.root.hidden = true;
    this.button.classList.remove('on');
    this.page.audio.preview.stop();
    this.button.focus();
  }

  /** Explore the shown buffer with the budget in the field, and show what comes back. */
  async explore(): Promise<void> {
    const { name, text } = this.script();
    // the field's number, kept within what the host takes (EXPLORE_LIMITS)
    const typed = Math.round(Number(this.budget.value));
    const budget = Number.isFinite(typed) ? Math.min(EXPLORE_LIMITS.maxBudget, Math.max(1, typed)) : EXPLORE_LIMITS.defaultBudget;
    this.budget.value = String(budget);
    this.scriptName.textContent = `— ${name}`;
    this.summary.textContent = `exploring ${name}…`;
    this.list.replaceChildren();
    const asked = ++this.asked;
    this.again.disabled = true;
    const reply = await this.page.api.explore({ name, text, budget });
    if (asked !== this.asked) return;
    this.again.disabled = false;
    if (!reply.ok) {
      this.result = null;
      this.timelines.show({ events: [], partAt: null }, null);
      const first = reply.error.diagnostics?.[0];
      this.summary.textContent = `${reply.error.message}${first ? `: ${first.source}:${first.line}:${first.col}: ${first.message}` : ''}`;
      for (const d of reply.error.diagnostics ?? []) this.page.terminal.diagnostic(d);
      return;
    }
    this.show(reply.value);
  }

  /** The editor's shown buffer (for a Python tab, the buffer it translates). */
  private script(): { name: string; text: string } {
    const { editor } = this.editor;
    let buffer = editor.active;
    if (buffer.kind === 'python') buffer = editor.all.find((b) => b.kind !== 'python' && pythonName(b.name) === buffer.name) ?? buffer;
    return { name: buffer.name, text: editor.docOf(buffer).toString() };
  }

  private show(result: Exploration): void {
    this.result = result;
    this.summary.replaceChildren(result.summary);
    if (result.unexplored > 0) {
      const note = document.createElement('span');
      note.className = 'explorer-note';
      note.textContent = ` · budget spent: ${result.unexplored} more order${result.unexplored === 1 ? '' : 's'} could matter (raise the budget)`;
      this.summary.append(note);
    }
    if (result.distinct > result.outcomes.length) this.summary.append(` · the first ${result.outcomes.length} listed`);
    this.list.replaceChildren(...result.outcomes.map((o, i) => this.item(o, i)));
    this.compare(result.outcomes.length > 1 ? 1 : null);
  }

  private item(o: Outcome, i: number): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'explorer-outcome';
    li.dataset.outcome = String(i + 1);
    const head = div('outcome-head');
    const title = div('outcome-title', `Outcome ${i + 1}${i === 0 ? ": asyncio's order" : ''} `);
    const runs = document.createElement('span');
    runs.className = 'outcome-runs';
    runs.textContent = `· ${o.runs} of ${this.result?.runs ?? o.runs} orders`;
    title.append(runs);
    const play = document.createElement('button');
    play.className = 'outcome-play';
    play.textContent = '▶ Play';
    play.title = o.events.length > 0 ? `Play outcome ${i + 1} (apart from the session)` : 'Only the first outcomes can be played';
    play.disabled = o.events.length === 0;
    play.addEventListener('click', (e) => {
      e.stopPropagation();
      void this.play(i);
    });
    head.append(title, play);
    li.append(head, div('outcome-line', o.summary));
    if (i > 0) li.append(div('outcome-line', hearing(o, this.result?.outcomes[0])));
    if (o.parting !== null) li.append(div('outcome-line outcome-part', `parts from outcome 1 at ${formatSeconds(o.parting.t)}: ${o.parting.ran} ran before ${o.parting.fifo}`));
    if (i > 0) li.append(this.details(o));
    li.addEventListener('click', () => i > 0 && this.compare(i));
    return li;
  }

  /** The order that makes an outcome, and how it differs from the first: folded. */
  private details(o: Outcome): HTMLDetailsElement {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'the order that makes it, and what differs';
    const more = o.order.length - ORDER_SHOWN + o.moreOrder;
    details.append(
      summary,
      ...o.order.slice(0, ORDER_SHOWN).map((d) => div('', `at ${formatSeconds(d.t)} run ${d.ran} first (of ${d.ready} ready)`)),
      ...(more > 0 ? [div('', `… and ${more} more choices`)] : []),
      ...o.differences.map((line) => div('', line)),
    );
    details.addEventListener('click', (e) => e.stopPropagation());
    return details;
  }

  /** Draw outcome `i` under the first (null: the first alone). */
  compare(i: number | null): void {
    const outcomes = this.result?.outcomes ?? [];
    if (outcomes.length === 0) return;
    this.compared = i;
    const other = i === null ? null : outcomes[i];
    for (const [k, li] of [...this.list.children].entries()) li.classList.toggle('shown', k === 0 || k === i);
    this.firstLabel.textContent = `Outcome 1: asyncio's order (first in, first out)`;
    this.firstLabel.textContent += cut(outcomes[0]);
    this.otherLabel.textContent =
      other === null
        ? 'Only one outcome: no order of the same-instant tasks changes what is heard or how a task ends'
        : `Outcome ${i! + 1}${other.parting ? `: parts at ${formatSeconds(other.parting.t)}` : ''}${cut(other)}`;
    this.timelines.show({ events: outcomes[0].events, partAt: null }, other === null ? null : { events: other.events, partAt: other.parting?.t ?? null });
  }

  /** Play outcome `i` through the page's audio (and draw it under the first). */
  async play(i: number): Promise<void> {
    const outcome = this.result?.outcomes[i];
    if (outcome === undefined) return;
    if (i > 0) this.compare(i);
    await this.page.audio.start();
    const events = streamEvents(outcome.events);
    // Cut short (EXPLORE_LIMITS.events): what its last event held is let go there.
    const last = outcome.events.at(-1);
    if (outcome.eventsLeftOut > 0 && last !== undefined && 't' in last) events.push({ type: 'stream-end', t: last.t, ns: secondsToNs(last.t), wall: 0 });
    this.page.audio.playPreview(events);
    const buttons = [...this.list.querySelectorAll<HTMLButtonElement>('.outcome-play')];
    for (const [k, button] of buttons.entries()) button.classList.toggle('playing', k === i);
    // lit while it plays
    const seconds = (events.at(-1)?.t ?? 0) + 0.5;
    clearTimeout(this.playingTimer);
    this.playingTimer = setTimeout(() => buttons[i]?.classList.remove('playing'), seconds * 1000);
  }

  private playingTimer: ReturnType<typeof setTimeout> | undefined;

  /** The two views (for tests). */
  get views() {
    return this.timelines.views;
  }
}

/** Whether an outcome sounds as the first does (it parts from it only in how tasks end), or from when it sounds otherwise. */
function hearing(o: Outcome, first: Outcome | undefined): string {
  const a = o.sound;
  const b = first?.sound ?? [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === undefined || y === undefined || x.t !== y.t || x.notes.join() !== y.notes.join()) {
      return `sounds otherwise than outcome 1 from ${formatSeconds(Math.min(x?.t ?? Infinity, y?.t ?? Infinity))}`;
    }
  }
  return 'sounds as outcome 1 does: only how tasks end differs';
}

/** What a label adds for an outcome whose events were cut short. */
function cut(o: Outcome): string {
  return o.eventsLeftOut > 0 ? ` (its first ${o.events.length.toLocaleString('en-US')} events; ${o.eventsLeftOut.toLocaleString('en-US')} more not sent)` : '';
}

function streamEvents(events: readonly SessionEvent[]): StreamEvent[] {
  return events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
}

function div(className: string, text?: string): HTMLDivElement {
  const el = document.createElement('div');
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
