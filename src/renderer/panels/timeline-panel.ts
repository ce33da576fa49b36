/**
 * The timeline as a panel: its toolbar (follow, zoom, fit), its keys, the
 * tooltip of what the pointer is over and the detail card of a clicked task.
 * Escape or a resize closes the card.
 */
import type { Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import { describeHit, describeTask, type TextLine } from '../timeline/describe';
import type { TaskRecord } from '../timeline/model';

const BAR_CLICK = 'corotone-bar-click';

/** Hear of every click on a task's bar (the editor goes to its line). */
export function onBarClick(page: Page, listener: (task: TaskRecord) => void): void {
  page.timeline.canvas.addEventListener(BAR_CLICK, (e) => listener((e as CustomEvent<TaskRecord>).detail));
}

export class TimelinePanel implements Panel {
  private readonly tip = byId('tooltip');
  private readonly detail = byId('detail');

  constructor(private readonly page: Page) {
    const view = page.timeline;
    const follow = byId<HTMLButtonElement>('follow');
    const showFollow = (on: boolean) => follow.classList.toggle('on', on);
    view.onFollowChange = showFollow;
    showFollow(view.follow);
    follow.addEventListener('click', () => this.toggleFollow());
    byId('zoom-in').addEventListener('click', () => this.zoom(1.5));
    byId('zoom-out').addEventListener('click', () => this.zoom(1 / 1.5));
    byId('zoom-fit').addEventListener('click', () => this.fitAll());
    view.canvas.tabIndex = 0;
    const { keys } = page;
    keys.place('timeline', view.canvas);
    keys.on('zoom-in', () => this.zoom(1.5));
    keys.on('zoom-out', () => this.zoom(1 / 1.5));
    keys.on('zoom-fit', () => this.fitAll());
    keys.on('toggle-follow', () => this.toggleFollow());
    keys.on('pan-back', () => {
      view.setFollow(false);
      view.axis.pan(60);
      view.invalidate();
    });
    keys.on('pan-forward', () => {
      view.axis.pan(-60);
      view.invalidate();
    });
    keys.on('scroll-up', () => view.scrollBy(-60));
    keys.on('scroll-down', () => view.scrollBy(60));
    keys.on('close', () => this.close());
    view.onHover = (hit, x, y) => {
      if (!hit || hit.kind === 'lane') {
        this.tip.hidden = true;
        return;
      }
      this.tip.hidden = false;
      fill(this.tip, describeHit(hit));
      const box = view.canvas.getBoundingClientRect();
      this.tip.style.left = `${Math.min(x + 14, box.width - 260)}px`;
      this.tip.style.top = `${y + 14}px`;
    };
    view.onSelect = (task) => {
      this.detail.hidden = task === null;
      if (!task) return;
      view.canvas.dispatchEvent(new CustomEvent<TaskRecord>(BAR_CLICK, { detail: task }));
      fill(this.detail, describeTask(task, (source, line) => page.terminal.lineOf(source, line)));
      if (Number.isNaN(task.end)) {
        const cancel = document.createElement('button');
        cancel.textContent = 'Cancel task';
        cancel.addEventListener('click', () => void page.api.cancelTask({ taskId: task.id }));
        this.detail.append(cancel);
      }
    };
    view.start();
  }

  onSnapshot({ joining }: Joined): void {
    if (joining === 'page-start' && !this.page.timeline.follow) this.page.timeline.setFollow(true);
    this.page.timeline.invalidate();
  }

  onResize(): void {
    this.close();
  }

  dispose(): void {
    this.page.timeline.stop();
  }

  /** Close the detail card and the tooltip; false when neither was open. */
  close(): boolean {
    const open = !this.detail.hidden || !this.tip.hidden;
    if (!this.detail.hidden) this.page.timeline.select(null);
    this.tip.hidden = true;
    return open;
  }

  private toggleFollow(): void {
    const view = this.page.timeline;
    view.setFollow(!view.follow);
    view.invalidate();
  }

  private zoom(factor: number): void {
    this.page.timeline.zoom(factor);
    this.page.timeline.invalidate();
  }

  private fitAll(): void {
    const view = this.page.timeline;
    view.setFollow(false);
    view.fit(this.firstTime(), this.page.clock.timelineNow());
  }

  private firstTime(): number {
    const { model } = this.page.feed;
    let t = Infinity;
    for (const lane of model.lanes) if (lane.tasks.length > 0) t = Math.min(t, lane.tasks[0].start);
    if (model.noteBars.length > 0) t = Math.min(t, model.noteBars[0].start);
    return Number.isFinite(t) ? t : 0;
  }
}

function fill(parent: HTMLElement, lines: readonly TextLine[]): void {
  parent.replaceChildren(
    ...lines.map((line) => {
      const div = document.createElement('div');
      div.textContent = line.text;
      if (line.cls) div.className = line.cls;
      if (line.colour) div.style.color = line.colour;
      return div;
    }),
  );
}
