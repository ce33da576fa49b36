/**
 * The timeline on a canvas: a ruler, the piano roll, one lane per source with a
 * bar per task coloured by state, lag and late marks and the now-cursor. The
 * view keeps what the user did (zoom, scroll, follow, open lanes, hover,
 * selection) and each frame draws the layers in order (layers/): each is a
 * function of the model and this frame's viewport. Frame times are measured
 * for the status bar and bench.
 */
import type { SourcePosition } from '../../core/scheduler/events';
import {
  HIT_SLOP,
  ROW_HEIGHT,
  RULER_HEIGHT,
  TimeAxis,
  barExtent,
  contentHeight,
  geometry,
  hitTest,
  isCollapsed,
  lanesTop,
  layoutLanes,
  rowY,
  scrollToShow,
  type Hit,
  type LaneBox,
} from './layout';
import { BarBatches, MIN_LABEL_WIDTH, clearCrosses, drawLabels, fillBars, gatherBars, type Bars } from './layers/bars';
import { drawConnectors } from './layers/connectors';
import type { Frame } from './layers/frame';
import { drawLaneBackgrounds, drawLaneNames, drawOutlines, drawSessionBreaks } from './layers/lanes';
import { CROSS_SIZE, drawBehind, drawFailures, drawLagMarks, drawSteps, drawSwaps } from './layers/marks';
import { drawRoll } from './layers/roll';
import { drawCursor, drawPicked, drawRuler } from './layers/ruler';
import { SCROLLBAR_WIDTH, drawScrollbar, scrollbarOf, type Scrollbar } from './layers/scrollbar';
import type { Lane, TaskRecord, TimelineModel } from './model';
import { palette, refreshThemeColours } from './palette';
import { RectBatch } from './rect-batch';

export { STATE_COLOURS } from './palette';
export { taskLabel } from './describe';
export { SCROLLBAR_WIDTH } from './layers/scrollbar';

/** The shortest span (s) a started lesson is fitted to: a lesson that has just begun is not zoomed to its first note. */
export const MIN_FIT_SECONDS = 4;
/** Where the now-cursor stands under Follow, as a fraction of the width. */
const FOLLOW_AT = 0.85;
/** One notch of Ctrl+wheel (100 px of deltaY in Chromium) zooms by this much; a pinch's small deltas zoom in proportion. */
export const ZOOM_PER_NOTCH = 1.25;
/** The shortest span the view zooms in to: 1 ms across the width. */
export const MIN_SPAN_SECONDS = 1e-3;

/** A click on a task's bar: the task and where its code is (null for a task with no place in a source). */
export interface BarClick {
  taskId: number;
  source: string;
  pos: SourcePosition | null;
}

export interface FrameStats {
  frames: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  lastMs: number;
  drawnTasks: number;
  /** Rectangles filled for the task bars in the last frame, after merging. */
  drawnRects: number;
  /** Wait and cancellation connectors drawn in the last frame (capped). */
  drawnConnectors: number;
}

export class TimelineView {
  readonly axis = new TimeAxis(-0.5, 80, 800);
  scrollY = 0;
  follow = true;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly bars = new BarBatches();
  private readonly noteBatch = new RectBatch();
  private readonly markBatch = new RectBatch();
  private drawnVersion = -1;
  private dirty = true;
  private hover: Hit = null;
  private selected: TaskRecord | null = null;
  private frameTimes: number[] = [];
  private drawnTasks = 0;
  private drawnRects = 0;
  private drawnConnectors = 0;
  private drawnLagMarks = 0;
  private drawnFailures = 0;
  private drawnLateColumns = 0;
  /** The session's logical time the clock is paused at (its cursor says so), or null while it runs. */
  private pausedAt: number | null = null;
  /** The label the last frame drew beside a paused cursor, or null (for tests). */
  drawnPausedLabel: string | null = null;
  /** The moment a click picked (replay from here), or null; and the label the last frame drew for it. */
  private pickedAt: number | null = null;
  drawnPickLabel: string | null = null;
  onPick: ((t: number | null) => void) | null = null;
  private scrollbarShown = false;
  private lastLabels: Bars['labels'] = [];
  private lastFailures: number[] = [];
  private raf = 0;
  private height = 300;
  private dpr = 1;
  onSelect: ((task: TaskRecord | null) => void) | null = null;
  /** Lanes the user opened (true) or closed (false) by a click on the header; the others follow isCollapsed. */
  private readonly pinned = new Map<Lane, boolean>();
  /** The lane that began to play last, kept in view while it plays (unless the user scrolls away). */
  private playing: Lane | null = null;
  private readonly seenPlay = new Map<Lane, number>();
  private userScrolled = false;
  /** While a lesson or script plays under Follow: its start, kept in view (the view zooms out as it grows). */
  private fitFrom: number | null = null;
  private barClickListeners: ((click: BarClick) => void)[] = [];
  /** A press on the canvas, until it is let go: a click if it did not move, else a pan (or a drag of the scrollbar's thumb). */
  private drag: { x: number; y: number; moved: boolean; id: number; thumb: boolean } | null = null;
  onHover: ((hit: Hit, x: number, y: number) => void) | null = null;
  onFollowChange: ((follow: boolean) => void) | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly model: TimelineModel,
    /** Logical time now (the audio clock's, when it runs). */
    private readonly now: () => number,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.attach();
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement ?? canvas);
    this.resize();
  }

  start(): void {
    const loop = () => {
      this.raf = requestAnimationFrame(loop);
      this.frame();
    };
    this.raf = requestAnimationFrame(loop);
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
  }

  setFollow(on: boolean): void {
    if (this.follow === on) return;
    this.follow = on;
    if (on) this.userScrolled = false;
    this.dirty = true;
    this.onFollowChange?.(on);
  }

  /** Zoom by `factor` at `x`; under Follow, at the now-cursor, which stays where it is. The user's zoom ends a fit. */
  zoom(factor: number, x = this.follow ? this.axis.x(this.now()) : this.axis.width / 2): void {
    this.fitFrom = null;
    const { axis } = this;
    const [least, most] = this.zoomRange();
    const pps = Math.min(most, Math.max(least, axis.pxPerSecond * factor));
    axis.zoom(pps / axis.pxPerSecond, this.follow ? axis.x(this.now()) : x);
    this.keepAfterZero();
    this.dirty = true;
  }

  /** The zoom (px per second) between the whole session (with Follow's room after now) and 1 ms across the width. */
  zoomRange(): [number, number] {
    const { width } = this.axis;
    const end = Math.max(this.now(), this.model.latest);
    const whole = Math.max(MIN_FIT_SECONDS, end / FOLLOW_AT);
    return [width / whole, width / MIN_SPAN_SECONDS];
  }

  /** No time before the session's start is shown. */
  private keepAfterZero(): void {
    if (this.axis.start < 0) this.axis.start = 0;
  }

  /** Scroll the lanes by `dy` px (down is positive), as the user does: the playing lane is no longer pulled into view. */
  scrollBy(dy: number): void {
    this.userScrolled = true;
    this.scrollY = Math.max(0, Math.min(this.maxScroll(), this.scrollY + dy));
    this.dirty = true;
  }

  /** Open or close a lane (a click on its header). */
  toggleLane(lane: Lane): void {
    this.pinned.set(lane, this.collapsedAt(lane, this.now()));
    this.dirty = true;
  }

  /** Whether a lane shows only its header now. */
  laneCollapsed(lane: Lane): boolean {
    return this.collapsedAt(lane, this.now());
  }

  /** The lanes as drawn now (for tests and the panel). */
  laneBoxes(): LaneBox[] {
    const now = this.now();
    return layoutLanes(this.model, this.scrollY, (lane) => this.collapsedAt(lane, now));
  }

  /** Told of a click on a task's bar, with where its code is (the editor goes to that line). Returns the unsubscribe. */
  onBarClick(listener: (click: BarClick) => void): () => void {
    this.barClickListeners = [...this.barClickListeners, listener];
    return () => {
      this.barClickListeners = this.barClickListeners.filter((l) => l !== listener);
    };
  }

  private collapsedAt(lane: Lane, now: number): boolean {
    return isCollapsed(lane, now, this.pinned.get(lane));
  }

  /**
   * A lane that began to play is opened and brought into view; a lesson or a
   * script (any source but the terminal) also has the view fitted to it under
   * Follow, so the history before it does not squeeze it to a sliver.
   */
  private watchPlaying(now: number): void {
    for (const lane of this.model.lanes) {
      if (lane.busy === 0 || this.seenPlay.get(lane) === lane.playedFrom) continue;
      this.seenPlay.set(lane, lane.playedFrom);
      this.pinned.delete(lane);
      this.playing = lane;
      this.userScrolled = false;
      if (lane.name !== 'terminal') {
        this.fitFrom = lane.playedFrom;
        this.axis.pxPerSecond = (this.axis.width * FOLLOW_AT) / MIN_FIT_SECONDS;
        this.setFollow(true);
      }
    }
    if (this.playing !== null && this.playing.busy === 0) this.playing = null;
    if (this.fitFrom !== null && (this.playing === null || this.playing.name === 'terminal')) this.fitFrom = null;
    if (this.follow && this.fitFrom !== null) {
      // the lesson's start stays at the left as it grows: zoom out, never in
      const needed = (this.axis.width * FOLLOW_AT - 24) / Math.max(1e-3, now - this.fitFrom);
      if (needed < this.axis.pxPerSecond) this.axis.pxPerSecond = Math.max(needed, 1e-2);
    }
  }

  /** Keep the playing lane in view, and the scroll inside the content (lanes collapse, so it shrinks). */
  private placeScroll(now: number): void {
    const collapsed = (lane: Lane) => this.collapsedAt(lane, now);
    if (this.playing !== null && !this.userScrolled) {
      const box = layoutLanes(this.model, this.scrollY, collapsed).find((b) => b.lane === this.playing);
      if (box) this.scrollY = scrollToShow(box, this.scrollY, this.height - lanesTop());
    }
    this.scrollY = Math.max(0, Math.min(this.maxScroll(), this.scrollY));
  }

  /** Show the whole span [t0, t1]. */
  fit(t0: number, t1: number): void {
    const span = Math.max(1e-3, t1 - t0);
    this.fitFrom = null;
    this.axis.pxPerSecond = (this.axis.width * 0.9) / span;
    this.axis.start = t0 - span * 0.05;
    this.keepAfterZero();
    this.dirty = true;
  }

  select(task: TaskRecord | null): void {
    this.selected = task;
    this.dirty = true;
    this.onSelect?.(task);
  }

  /** Where a task's bar is on the canvas (its middle), or null if it is not on screen. */
  locate(taskId: number): { x: number; y: number } | null {
    const task = this.model.task(taskId);
    if (!task) return null;
    const box = this.laneBoxes().find((b) => b.lane === task.lane);
    if (!box || box.collapsed) return null;
    const [x0, x1] = barExtent(this.axis, task, this.now());
    const x = (Math.max(0, x0) + Math.min(this.axis.width, x1)) / 2;
    const y = rowY(box, task) + ROW_HEIGHT / 2;
    if (x < 0 || x > this.axis.width || y < RULER_HEIGHT + geometry.rollHeight || y > this.height) return null;
    return { x, y };
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** The moment picked on the timeline (replay from here), or null. */
  get picked(): number | null {
    return this.pickedAt;
  }

  /** Pick the moment `t` (clamped to the session's past), or none. */
  pick(t: number | null): void {
    this.pickedAt = t === null ? null : Math.max(0, Math.min(t, this.now()));
    this.dirty = true;
    this.onPick?.(this.pickedAt);
  }

  /** The session's clock paused at logical time `t` (null: it runs): the cursor is labelled "paused at t". */
  showPaused(t: number | null): void {
    this.pausedAt = t;
    this.dirty = true;
  }

  resize(): void {
    const box = (this.canvas.parentElement ?? this.canvas).getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    const w = Math.max(100, Math.floor(box.width));
    const h = Math.max(100, Math.floor(box.height));
    this.canvas.width = Math.floor(w * this.dpr);
    this.canvas.height = Math.floor(h * this.dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.axis.width = w;
    this.height = h;
    geometry.rollHeight = Math.round(Math.min(260, Math.max(96, h * 0.3)));
    this.dirty = true;
  }

  frameStats(): FrameStats {
    const times = [...this.frameTimes].sort((a, b) => a - b);
    const n = times.length;
    return {
      frames: n,
      meanMs: n ? times.reduce((a, b) => a + b, 0) / n : 0,
      p95Ms: n ? times[Math.min(n - 1, Math.floor(n * 0.95))] : 0,
      maxMs: n ? times[n - 1] : 0,
      lastMs: this.frameTimes[this.frameTimes.length - 1] ?? 0,
      drawnTasks: this.drawnTasks,
      drawnRects: this.drawnRects,
      drawnConnectors: this.drawnConnectors,
    };
  }

  resetFrameStats(): void {
    this.frameTimes = [];
  }

  /** One animation frame: redraw if anything changed or time moves under follow mode. */
  frame(force = false): void {
    const now = this.now();
    // lanes collapse a while after they went idle: keep drawing until they have
    const moving = this.follow || this.model.liveCount > 0 || this.model.lanes.some((l) => l.busy === 0 && now - l.lastEnd <= 4);
    if (!force && !this.dirty && this.drawnVersion === this.model.version && !moving) return;
    this.watchPlaying(now);
    this.placeScroll(now);
    if (this.follow) this.axis.follow(now, FOLLOW_AT);
    this.keepAfterZero();
    const t0 = performance.now();
    this.draw(now);
    const ms = performance.now() - t0;
    this.frameTimes.push(ms);
    if (this.frameTimes.length > 240) this.frameTimes.shift();
    this.drawnVersion = this.model.version;
    this.dirty = false;
  }

  /** Draws the layers, each over the ones before, in this order (the piano roll covers lanes scrolled up under it). */
  private draw(now: number): void {
    refreshThemeColours();
    const ctx = this.ctx;
    const { axis, model } = this;
    const w = axis.width;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = palette.bg;
    ctx.fillRect(0, 0, w, this.height);
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    const frame: Frame = {
      ctx,
      model,
      axis,
      now,
      width: w,
      height: this.height,
      t0: axis.t(-HIT_SLOP),
      t1: axis.t(w + HIT_SLOP),
      boxes: layoutLanes(model, this.scrollY, (lane) => this.collapsedAt(lane, now)),
      hover: this.hover,
      selected: this.selected,
      pausedAt: this.pausedAt,
      picked: this.pickedAt,
    };
    drawLaneBackgrounds(frame);
    const bars = gatherBars(frame, this.bars);
    this.drawnTasks = bars.tasks;
    this.drawnRects = fillBars(ctx, this.bars);
    clearCrosses(bars);
    drawFailures(ctx, bars.failures);
    this.drawnFailures = bars.failures.length / 2;
    drawSteps(frame);
    drawSwaps(frame);
    drawLabels(ctx, bars.labels);
    this.lastLabels = bars.labels;
    this.lastFailures = bars.failures;
    this.drawnConnectors = drawConnectors(frame);
    drawSessionBreaks(frame);
    this.drawnLagMarks = drawLagMarks(frame);
    drawLaneNames(frame);
    drawOutlines(frame);
    this.drawnLateColumns = drawRoll(frame, this.noteBatch, this.markBatch);
    drawRuler(frame);
    drawBehind(frame);
    const scrollbar = this.scrollbar(frame.boxes);
    this.scrollbarShown = scrollbar !== null;
    drawScrollbar(ctx, scrollbar, w);
    this.drawnPausedLabel = drawCursor(frame);
    this.drawnPickLabel = drawPicked(frame);
  }

  /** The scrollbar's geometry, or null when every lane fits. */
  private scrollbar(boxes: readonly LaneBox[]): Scrollbar | null {
    return scrollbarOf(boxes, this.scrollY, this.height);
  }

  /** What the marks on screen are (for tests and the status bar). */
  marksDrawn(): { lag: number; failures: number; lateColumns: number; scrollbar: boolean } {
    return { lag: this.drawnLagMarks, failures: this.drawnFailures, lateColumns: this.drawnLateColumns, scrollbar: this.scrollbarShown };
  }

  /** The bar labels and failure crosses of the last frame: where each is (for tests). */
  labelsDrawn(): { labels: { x: number; y: number; w: number; text: string }[]; crosses: { x: number; y: number; size: number }[] } {
    const crosses: { x: number; y: number; size: number }[] = [];
    for (let i = 0; i < this.lastFailures.length; i += 2) crosses.push({ x: this.lastFailures[i], y: this.lastFailures[i + 1], size: CROSS_SIZE });
    return { labels: this.lastLabels.filter((l) => l.w >= MIN_LABEL_WIDTH).map((l) => ({ ...l })), crosses };
  }

  // ---- interaction -------------------------------------------------------

  private attach(): void {
    const canvas = this.canvas;
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    canvas.addEventListener('pointerleave', () => this.setHover(null, 0, 0));
  }

  /** Where a pointer event is on the canvas. */
  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private onWheel(e: WheelEvent): void {
    // DAW and map conventions: the wheel scrolls (Shift or a sideways swipe: through time),
    // Ctrl/⌘+wheel zooms, and so does a pinch (Chromium sends it as a wheel with ctrlKey).
    e.preventDefault();
    const { x } = this.local(e);
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.height : 1;
    if (e.ctrlKey || e.metaKey) {
      this.zoom(ZOOM_PER_NOTCH ** ((-e.deltaY * unit) / 100), x);
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.axis.pan(-(e.deltaX || e.deltaY) * unit);
      this.keepAfterZero();
      this.setFollow(false);
    } else {
      this.scrollBy(e.deltaY * unit);
    }
    this.dirty = true;
  }

  private onPointerDown(e: PointerEvent): void {
    const { x, y } = this.local(e);
    const bar = this.scrollbar(this.laneBoxes());
    const thumb = bar !== null && x >= this.axis.width - SCROLLBAR_WIDTH - 2 && y >= bar.top;
    if (thumb && (y < bar.thumbTop || y > bar.thumbTop + bar.thumb)) {
      // a click on the track pages towards it
      this.scrollBy(y < bar.thumbTop ? -bar.track * 0.9 : bar.track * 0.9);
    }
    this.drag = { x, y, moved: false, id: e.pointerId, thumb };
    this.canvas.setPointerCapture(e.pointerId);
  }

  private onPointerMove(e: PointerEvent): void {
    const { x, y } = this.local(e);
    const drag = this.drag;
    if (!drag) {
      this.setHover(this.hitAt(x, y), x, y);
      return;
    }
    const dx = x - drag.x;
    const dy = y - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 3) return;
    if (drag.thumb) {
      const bar = this.scrollbar(this.laneBoxes());
      if (bar) this.scrollBy((dy * bar.max) / Math.max(1, bar.track - bar.thumb));
    } else {
      if (!drag.moved) this.setFollow(false);
      this.axis.pan(dx);
      this.keepAfterZero();
      if (dy !== 0) this.scrollBy(-dy);
      this.dirty = true;
    }
    drag.moved = true;
    drag.x = x;
    drag.y = y;
  }

  private onPointerUp(e: PointerEvent): void {
    const { x, y } = this.local(e);
    const drag = this.drag;
    if (drag && !drag.moved && !drag.thumb) {
      const hit = this.hitAt(x, y);
      if (hit && hit.kind === 'header') this.toggleLane(hit.lane);
      else {
        this.select(hit && hit.kind === 'task' ? hit.task : null);
        // A click anywhere else also picks its moment (Replay from here).
        this.pick(this.axis.t(x));
      }
      if (hit && hit.kind === 'task') {
        const click: BarClick = { taskId: hit.task.id, source: hit.task.source, pos: hit.task.diagnostic ?? hit.task.pos };
        for (const listener of this.barClickListeners) listener(click);
      }
    }
    if (drag) this.canvas.releasePointerCapture(drag.id);
    this.drag = null;
  }

  /** What is at (x, y) on the canvas, as drawn now. */
  hitAt(x: number, y: number): Hit {
    const now = this.now();
    return hitTest(this.model, this.axis, x, y, now, this.scrollY, (lane) => this.collapsedAt(lane, now));
  }

  private maxScroll(): number {
    const now = this.now();
    return Math.max(0, contentHeight(layoutLanes(this.model, 0, (lane) => this.collapsedAt(lane, now))) - this.height);
  }

  private setHover(hit: Hit, x: number, y: number): void {
    const same =
      hit === this.hover ||
      (hit && this.hover && hit.kind === 'task' && this.hover.kind === 'task' && hit.task === this.hover.task);
    this.hover = hit;
    if (!same) this.dirty = true;
    this.onHover?.(hit, x, y);
  }
}
