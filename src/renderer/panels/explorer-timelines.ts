/**
 * The explorer's two timelines, one above the other: the first outcome's
 * (asyncio's order) and the one being compared, each a TimelineView (the
 * page's own drawing code) over a model of that outcome's events. They share
 * one time axis: a zoom or a pan in either moves both. The instant where the
 * compared outcome's order parts from the first is marked in both.
 */
import type { SessionEvent } from '../../core/session/api';
import { formatSeconds } from '../../core/debug/inspect';
import type { Page } from '../page';
import { TimelineModel } from '../timeline/model';
import { TimelineView } from '../timeline/view';

export interface ShownOutcome {
  events: readonly SessionEvent[];
  /** The instant where its order parts from the first's (null: the first itself). */
  partAt: number | null;
}

interface Side {
  readonly canvas: HTMLCanvasElement;
  readonly mark: HTMLElement;
  readonly model: TimelineModel;
  view: TimelineView | null;
}

export class ExplorerTimelines {
  private readonly sides: [Side, Side];
  private partAt: number | null = null;
  private raf = 0;

  constructor(
    private readonly page: Page,
    first: HTMLCanvasElement,
    other: HTMLCanvasElement,
  ) {
    this.sides = [first, other].map((canvas) => ({
      canvas,
      mark: canvas.parentElement!.querySelector<HTMLElement>('.explorer-part')!,
      model: new TimelineModel(),
      view: null,
    })) as [Side, Side];
    // A theme change recolours the canvases.
    new MutationObserver(() => this.redraw()).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  /** Show `first` above and `other` below (null: only the first), fitted to the longer of the two. */
  show(first: ShownOutcome, other: ShownOutcome | null): void {
    this.partAt = other?.partAt ?? null;
    this.load(this.sides[0], first.events);
    this.load(this.sides[1], other?.events ?? []);
    const end = Math.max(this.sides[0].model.latest, this.sides[1].model.latest, 1);
    for (const view of this.views) {
      view.resize();
      view.setFollow(false);
      view.fit(0, end);
    }
    this.redraw();
  }

  /** The two views (made on the first show). */
  get views(): TimelineView[] {
    return this.sides.flatMap((s) => (s.view === null ? [] : [s.view]));
  }

  private load(side: Side, events: readonly SessionEvent[]): void {
    side.model.clear();
    for (const event of events) side.model.apply(event);
    if (side.view === null) this.makeViews();
  }

  /**
   * The views are made when first shown (a view sizes itself as it is made,
   * and sets the piano roll's height that every timeline shares: see draw).
   */
  private makeViews(): void {
    for (const [i, side] of this.sides.entries()) {
      const { model } = side;
      side.view = new TimelineView(side.canvas, model, () => model.latest);
      const align = () => this.alignTo(i);
      side.canvas.addEventListener('wheel', align);
      side.canvas.addEventListener('pointermove', align);
      side.canvas.addEventListener('pointerup', align);
    }
    // Made after the views' own observers, so it runs after theirs: draw again, and give the page's timeline its geometry back.
    new ResizeObserver(() => this.redraw()).observe(this.sides[0].canvas.closest('.explorer-body')!);
    this.page.timeline.resize();
  }

  /** A zoom, a pan or a hover in one view: the other takes the same axis, and both are drawn again. */
  private alignTo(i: number): void {
    const from = this.sides[i].view;
    const to = this.sides[1 - i].view;
    if (from === null || to === null) return;
    to.axis.start = from.axis.start;
    to.axis.pxPerSecond = from.axis.pxPerSecond;
    this.redraw();
  }

  /** Draw both on the next frame. */
  redraw(): void {
    cancelAnimationFrame(this.raf);
    this.raf = requestAnimationFrame(() => this.draw());
  }

  /**
   * The piano roll's height is the timelines' one shared setting (layout's
   * geometry), set by each view's resize from its own height: each view is
   * drawn after its own resize, and the page's timeline has its own back after.
   */
  private draw(): void {
    for (const side of this.sides) {
      const view = side.view;
      if (view === null || side.canvas.parentElement!.getBoundingClientRect().height === 0) continue;
      const { start, pxPerSecond } = view.axis;
      view.resize();
      view.axis.start = start;
      view.axis.pxPerSecond = pxPerSecond;
      view.frame(true);
      this.placeMark(side);
    }
    this.page.timeline.resize();
  }

  private placeMark(side: Side): void {
    const { view, mark } = side;
    if (view === null || this.partAt === null) {
      mark.hidden = true;
      return;
    }
    const x = view.axis.x(this.partAt);
    mark.hidden = x < 0 || x > view.axis.width;
    mark.style.left = `${x}px`;
    const label = mark.firstElementChild ?? mark.appendChild(document.createElement('span'));
    label.textContent = `parts at ${formatSeconds(this.partAt)}`;
  }
}
