/**
 * The timeline on a canvas: a ruler, the piano roll, one lane per source with a
 * bar per task coloured by state, lag and late marks and the now-cursor.
 * Drawing visits only the visible time range of each lane (chunked index in the
 * model) and fills all rectangles of one colour with one path, so 10,000 tasks
 * on screen stay fluid. Frame times are measured for the status bar and bench.
 */
import type { SourcePosition } from '../../core/scheduler/events';
import { cssColour, themeVersion } from '../theme';
import { STATE, STATE_COUNT, type Lane, type TaskRecord, type TimelineModel } from './model';
import {
  BEHIND_MARK,
  HIT_SLOP,
  LANE_HEADER,
  ROW_HEIGHT,
  RULER_HEIGHT,
  TimeAxis,
  barExtent,
  contentHeight,
  geometry,
  hitTest,
  isCollapsed,
  lanesTop,
  lateColumnHeight,
  lateColumns,
  layoutConnectors,
  layoutLanes,
  noteY,
  scrollToShow,
  rollRange,
  rowY,
  type Connector,
  type Hit,
  type LaneBox,
} from './layout';

// The colours come from the theme's CSS variables (styles.css, --tl-*), read again when the theme changes.
export const STATE_COLOURS: string[] = [
  '#7f8c9a', // ready
  '#4fc3f7', // running
  '#5c6bc0', // sleeping
  '#ff8a3d', // blocking
  '#b26ad8', // waiting
  '#4caf73', // done
  '#ef5350', // failed
  '#f2c94c', // cancelled
];
const STATE_NAMES = ['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled'];
let BG = '#12151b';
let LANE_BG = ['#171b23', '#1a1f28'];
let GRID = '#242a35';
let TEXT = '#aab4c3';
let NOTE = '#38d6b5';
let LATE = '#ff9f43';
/** The three kinds of trouble differ in shape and colour: late events are orange columns at the foot of the piano roll,
 * loop lag a violet notch in the lane's header, a failure a red cross on its bar, and the engine falling behind a yellow band on the ruler. */
let LAG = '#c58cff';
let NOW = '#ffffff';
let WAIT_LINE = '#c99cf0';
let CANCEL_LINE = '#ff6b6b';
let BREAK = '#8893a5';
let ROLL_BG = '#151a22';
let RULER_BG = '#0e1116';
const FAILURE = '#ff4d4f';
const BEHIND = '#ffd166';
const SCROLLBAR = '#3a4354';
const SCROLL_THUMB = '#7d8aa0';
/** Width (px) of the vertical scrollbar at the right of the lanes. */
export const SCROLLBAR_WIDTH = 8;
/** The shortest span (s) a started lesson is fitted to: a lesson that has just begun is not zoomed to its first note. */
export const MIN_FIT_SECONDS = 4;
/** Where the now-cursor stands under Follow, as a fraction of the width. */
const FOLLOW_AT = 0.85;
const CUE_LINE = '#6fd3ff';
const SWAP = '#6fd3ff';
let coloursOf = -1;

function refreshThemeColours(): void {
  if (coloursOf === themeVersion()) return;
  coloursOf = themeVersion();
  STATE_NAMES.forEach((name, i) => (STATE_COLOURS[i] = cssColour(`--tl-${name}`, STATE_COLOURS[i])));
  BG = cssColour('--tl-bg', BG);
  LANE_BG = [cssColour('--tl-lane-a', LANE_BG[0]), cssColour('--tl-lane-b', LANE_BG[1])];
  GRID = cssColour('--tl-grid', GRID);
  TEXT = cssColour('--tl-text', TEXT);
  NOTE = cssColour('--tl-note', NOTE);
  LATE = cssColour('--tl-late', LATE);
  LAG = cssColour('--tl-lag', LAG);
  NOW = cssColour('--tl-now', NOW);
  WAIT_LINE = cssColour('--tl-wait', WAIT_LINE);
  CANCEL_LINE = cssColour('--tl-cancel', CANCEL_LINE);
  BREAK = cssColour('--tl-break', BREAK);
  ROLL_BG = cssColour('--tl-roll-bg', ROLL_BG);
  RULER_BG = cssColour('--tl-ruler-bg', RULER_BG);
}
/** Logical seconds a cancellation's connector flashes after it happened. */
const FLASH_SECONDS = 0.8;

/** What a task's bar says: its command, after its spawn name (`t1`) if it has one. */
export function taskLabel(task: TaskRecord): string {
  return task.alias === null ? task.name : `${task.alias}  ${task.name}`;
}

/**
 * Rectangles to fill, gathered per colour. A rectangle that continues the
 * last one of its row (same top and height, touching or overlapping) extends
 * it instead: a row of back-to-back tasks becomes one rectangle per colour run.
 */
class RectBatch {
  data = new Float32Array(4096);
  count = 0;
  /** Per row top: index of the row's last rectangle. */
  private lastInRow = new Map<number, number>();

  push(x: number, y: number, w: number, h: number): void {
    const prev = this.lastInRow.get(y);
    if (prev !== undefined) {
      const d = this.data;
      const i = prev * 4;
      const end = d[i] + d[i + 2];
      if (d[i + 3] === h && x <= end + 0.5 && x >= d[i] - 0.5) {
        d[i + 2] = Math.max(end, x + w) - d[i];
        return;
      }
    }
    if (this.count * 4 + 4 > this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const i = this.count * 4;
    this.data[i] = x;
    this.data[i + 1] = y;
    this.data[i + 2] = w;
    this.data[i + 3] = h;
    this.lastInRow.set(y, this.count);
    this.count++;
  }

  fill(ctx: CanvasRenderingContext2D, colour: string): void {
    this.lastInRow.clear();
    if (this.count === 0) return;
    ctx.fillStyle = colour;
    ctx.beginPath();
    const d = this.data;
    for (let i = 0; i < this.count * 4; i += 4) ctx.rect(d[i], d[i + 1], d[i + 2], d[i + 3]);
    ctx.fill();
    this.count = 0;
  }

  /** Rectangles gathered since the last fill (after merging). */
  get size(): number {
    return this.count;
  }
}

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
  private readonly batches = Array.from({ length: STATE_COUNT }, () => new RectBatch());
  private readonly capBatches = Array.from({ length: STATE_COUNT }, () => new RectBatch());
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
  private scrollbarShown = false;
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
    this.axis.zoom(factor, this.follow ? this.axis.x(this.now()) : x);
    this.dirty = true;
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
    const t0 = performance.now();
    this.draw(now);
    const ms = performance.now() - t0;
    this.frameTimes.push(ms);
    if (this.frameTimes.length > 240) this.frameTimes.shift();
    this.drawnVersion = this.model.version;
    this.dirty = false;
  }

  private draw(now: number): void {
    refreshThemeColours();
    const ctx = this.ctx;
    const { axis, model } = this;
    const w = axis.width;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, w, this.height);
    const t0 = axis.t(-HIT_SLOP);
    const t1 = axis.t(w + HIT_SLOP);

    // lanes
    const boxes = layoutLanes(model, this.scrollY, (lane) => this.collapsedAt(lane, now));
    let drawn = 0;
    let labels = 0;
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    const labelQueue: { x: number; y: number; w: number; text: string }[] = [];
    const lagMarks: number[] = [];
    const failures: number[] = [];
    const swapMarks: number[] = [];
    for (let li = 0; li < boxes.length; li++) {
      const box = boxes[li];
      if (box.top > this.height || box.top + box.height < RULER_HEIGHT + geometry.rollHeight) continue;
      ctx.fillStyle = LANE_BG[li % 2];
      ctx.fillRect(0, box.top, w, box.height);
      const lane = box.lane;
      for (let i = 0; i < lane.lagT.length; i++) {
        const x = axis.x(lane.lagT[i]);
        if (x >= -6 && x <= w + 6) lagMarks.push(x, box.top);
      }
      if (box.collapsed) continue;
      lane.forEachVisible(t0, t1, (task) => {
        drawn++;
        const y = rowY(box, task);
        const [bx0, bx1] = barExtent(axis, task, now);
        const end = Number.isNaN(task.end) ? Math.max(now, task.start) : task.end;
        // Bars only a few pixels wide (10,000 tasks on screen) get no running ticks and no
        // "done" cap: a run of them then merges into one rectangle per row.
        const roomy = bx1 - bx0 >= 6;
        const segs = task.segStart;
        for (let s = 0; s < segs.length; s++) {
          const s0 = segs[s];
          const s1 = s + 1 < segs.length ? segs[s + 1] : end;
          if (s1 < t0 || s0 > t1) continue;
          const x0 = Math.max(-10, axis.x(s0));
          const x1 = Math.min(w + 10, axis.x(s1));
          const state = task.segState[s];
          if (x1 - x0 >= 0.5) this.batches[state].push(x0, y, x1 - x0, ROW_HEIGHT);
          else if (state === STATE.running && roomy) this.batches[STATE.running].push(x0, y, 1.5, ROW_HEIGHT);
        }
        if (!Number.isNaN(task.end) && (roomy || task.state !== STATE.done)) {
          // how it ended: a cap at its end (the whole sliver for an instant task)
          const cx = Math.max(bx0, bx1 - 3);
          this.capBatches[task.state].push(cx, y, bx1 - cx, ROW_HEIGHT);
          if (task.state === STATE.failed || task.state === STATE.cancelled) {
            this.capBatches[task.state].push(bx0, y + ROW_HEIGHT - 2, bx1 - bx0, 2);
          }
          if (task.state === STATE.failed && failures.length < 2000) failures.push(bx1, y);
        }
        if (bx1 - bx0 > 48 && labels < 400) {
          labels++;
          labelQueue.push({ x: Math.max(bx0, 0) + 3, y: y + ROW_HEIGHT / 2, w: bx1 - Math.max(bx0, 0) - 6, text: taskLabel(task) });
        }
      });
      // a live loop's new body taking over: a mark across the loop's bar
      for (const swap of lane.swaps) {
        const x = axis.x(swap.t);
        if (x >= -4 && x <= w + 4) swapMarks.push(x - 1, rowY(box, swap.task) - 2, 2, ROW_HEIGHT + 4);
      }
    }
    let rects = 0;
    for (let s = 0; s < STATE_COUNT; s++) rects += this.batches[s].size + this.capBatches[s].size;
    this.drawnRects = rects;
    for (let s = 0; s < STATE_COUNT; s++) this.batches[s].fill(ctx, STATE_COLOURS[s]);
    for (let s = 0; s < STATE_COUNT; s++) this.capBatches[s].fill(ctx, STATE_COLOURS[s]);
    this.drawFailures(failures);
    ctx.fillStyle = SWAP;
    for (let i = 0; i < swapMarks.length; i += 4) ctx.fillRect(swapMarks[i], swapMarks[i + 1], swapMarks[i + 2], swapMarks[i + 3]);
    ctx.fillStyle = '#0c0f14';
    for (const l of labelQueue) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(l.x, l.y - ROW_HEIGHT / 2, l.w, ROW_HEIGHT);
      ctx.clip();
      ctx.fillText(l.text, l.x, l.y + 0.5);
      ctx.restore();
    }
    this.drawnTasks = drawn;

    // who awaits whom, and which end cancelled which sibling
    const connectors = layoutConnectors(axis, boxes);
    this.drawnConnectors = connectors.length;
    this.drawConnectors(connectors, now);

    // where a session ended (quit) and the next began
    for (const t of model.sessionBreaks) {
      const x = Math.round(axis.x(t)) + 0.5;
      if (x < -2 || x > w + 2) continue;
      ctx.strokeStyle = BREAK;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, RULER_HEIGHT + geometry.rollHeight);
      ctx.lineTo(x, this.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = BREAK;
      ctx.fillText('quit · new session', x + 4, RULER_HEIGHT + geometry.rollHeight + 8);
    }

    // lane names (over the bars, at the left): ▸ a collapsed lane, ▾ an open one
    for (const box of boxes) {
      if (box.top > this.height || box.top + LANE_HEADER < RULER_HEIGHT + geometry.rollHeight) continue;
      ctx.fillStyle = TEXT;
      const state = box.lane.busy > 0 ? ' · playing' : '';
      ctx.fillText(`${box.collapsed ? '▸' : '▾'} ${box.lane.name}  (${box.lane.tasks.length})${state}`, 6, box.top + LANE_HEADER / 2);
    }
    this.drawLagMarks(lagMarks);

    // selection and hover outlines
    for (const [task, colour] of [
      [this.hover && this.hover.kind === 'task' ? this.hover.task : null, '#ffffffaa'],
      [this.selected, '#ffffff'],
    ] as const) {
      if (!task) continue;
      const box = boxes.find((b) => b.lane === task.lane);
      if (!box) continue;
      const [x0, x1] = barExtent(axis, task, now);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 - 0.5, rowY(box, task) - 0.5, x1 - x0 + 1, ROW_HEIGHT + 1);
    }

    // piano roll (drawn after the lanes so lanes scrolled up slide under it)
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, w, RULER_HEIGHT + geometry.rollHeight);
    ctx.fillStyle = ROLL_BG;
    ctx.fillRect(0, RULER_HEIGHT, w, geometry.rollHeight);
    const { low, high } = rollRange(model);
    ctx.fillStyle = GRID;
    for (let n = Math.ceil(low / 12) * 12; n <= high; n += 12) ctx.fillRect(0, Math.round(noteY(model, n).y + noteY(model, n).h), w, 1);
    for (const bar of model.noteBars) {
      const end = Number.isNaN(bar.end) ? now : bar.end;
      if (end < t0 || bar.start > t1) continue;
      const { y, h } = noteY(model, bar.note);
      const x0 = axis.x(bar.start);
      this.noteBatch.push(x0, y, Math.max(1.5, axis.x(end) - x0), Math.max(1, h - 1));
    }
    this.noteBatch.fill(ctx, NOTE);
    // late events in proportion: one column per pixel, as tall as the log of its count, at the roll's foot
    if (model.lateT.length > 0) {
      const cols = lateColumns(axis, model.lateT, model.lateBy);
      const foot = RULER_HEIGHT + geometry.rollHeight;
      let drawnLate = 0;
      for (let x = 0; x < cols.counts.length; x++) {
        const n = cols.counts[x];
        if (n === 0) continue;
        drawnLate++;
        const h = lateColumnHeight(n);
        this.markBatch.push(x, foot - h, 1, h);
      }
      this.drawnLateColumns = drawnLate;
      this.markBatch.fill(ctx, LATE);
    } else this.drawnLateColumns = 0;
    if (this.hover && this.hover.kind === 'note') {
      const bar = this.hover.bar;
      const { y, h } = noteY(model, bar.note);
      const end = Number.isNaN(bar.end) ? now : bar.end;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(axis.x(bar.start) - 0.5, y - 0.5, axis.x(end) - axis.x(bar.start) + 1, h);
    }
    ctx.fillStyle = TEXT;
    ctx.fillText('notes', 6, RULER_HEIGHT + 8);
    for (let n = Math.ceil(low / 12) * 12; n <= high; n += 12) {
      const { y, h } = noteY(model, n);
      ctx.fillText(`C${n / 12}`, w - 26, y + h / 2);
    }

    this.drawRuler(w);
    this.drawBehind(w);
    this.drawScrollbar(boxes, w);

    // now-cursor
    const nx = axis.x(now);
    if (nx >= 0 && nx <= w) {
      ctx.fillStyle = NOW;
      ctx.fillRect(Math.round(nx) - 0.5, RULER_HEIGHT, 1, this.height - RULER_HEIGHT);
    }
  }

  /**
   * Waits: a bracket from the waiter to each task it waits on, where the
   * wait began, with an arrowhead into the awaited bar. Cancellations: a red
   * (failure) or yellow (race winner, timer) bracket from the end of the task
   * that did it to each sibling's end, crossed out; it flashes just after it
   * happens. The hovered (or selected) task's connectors are drawn brighter.
   */
  private drawConnectors(connectors: readonly Connector[], now: number): void {
    if (connectors.length === 0) return;
    const ctx = this.ctx;
    const hovered = this.hover && this.hover.kind === 'task' ? this.hover.task : this.selected;
    const lines = (kind: Connector['kind'], colour: string, width: number, pick: (c: Connector) => boolean) => {
      ctx.beginPath();
      let any = false;
      for (const c of connectors) {
        if (c.kind !== kind || !pick(c)) continue;
        any = true;
        const x = Math.round(c.x) + 0.5;
        if (kind === 'cue') {
          // straight from the cue to the sync it woke (both at the cue's time), an arrow into the sync
          const down = c.y1 >= c.y0 ? 1 : -1;
          ctx.moveTo(x, c.y0);
          ctx.lineTo(x, c.y1);
          ctx.moveTo(x - 3, c.y1 - 4 * down);
          ctx.lineTo(x, c.y1);
          ctx.lineTo(x + 3, c.y1 - 4 * down);
        } else if (kind === 'wait') {
          // a bracket just left of where the wait began: down (or up) from the waiter, then an arrow into the awaited bar
          const spine = x - 5;
          ctx.moveTo(x, c.y0);
          ctx.lineTo(spine, c.y0);
          ctx.lineTo(spine, c.y1);
          ctx.lineTo(x + 1, c.y1);
          ctx.moveTo(x - 2, c.y1 - 3);
          ctx.lineTo(x + 1, c.y1);
          ctx.lineTo(x - 2, c.y1 + 3);
        } else {
          // from the end that did it, just right of it, to the sibling's end, crossed out
          const spine = x + 5;
          ctx.moveTo(x, c.y0);
          ctx.lineTo(spine, c.y0);
          ctx.lineTo(spine, c.y1);
          ctx.lineTo(x + 1, c.y1);
          ctx.moveTo(spine - 3, c.y1 - 3);
          ctx.lineTo(spine + 3, c.y1 + 3);
          ctx.moveTo(spine + 3, c.y1 - 3);
          ctx.lineTo(spine - 3, c.y1 + 3);
        }
      }
      if (!any) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.stroke();
    };
    const mine = (c: Connector) => c.from === hovered || c.to === hovered;
    ctx.globalAlpha = 0.75;
    lines('wait', WAIT_LINE, 1, (c) => !mine(c));
    ctx.globalAlpha = 1;
    lines('cue', CUE_LINE, 1.25, (c) => !mine(c));
    lines('cancel', CANCEL_LINE, 1.5, (c) => c.from.state === STATE.failed && !mine(c));
    lines('cancel', STATE_COLOURS[STATE.cancelled], 1.5, (c) => c.from.state !== STATE.failed && !mine(c));
    // a fresh cancellation flashes: a wide halo that fades over FLASH_SECONDS
    const fresh = connectors.filter((c) => c.kind === 'cancel' && now - c.t >= 0 && now - c.t < FLASH_SECONDS);
    if (fresh.length > 0) {
      const set = new Set(fresh);
      ctx.globalAlpha = Math.max(0, 1 - (now - fresh[0].t) / FLASH_SECONDS) * 0.6;
      lines('cancel', CANCEL_LINE, 5, (c) => set.has(c));
      ctx.globalAlpha = 1;
    }
    if (hovered) {
      lines('wait', '#ffffff', 1.5, mine);
      lines('cue', '#ffffff', 1.5, mine);
      lines('cancel', '#ffffff', 2, mine);
    }
  }

  /** Loop lag: a violet notch (a triangle pointing down) at the top of the lane's header, and a short tick below it. */
  private drawLagMarks(marks: readonly number[]): void {
    if (marks.length === 0) return;
    const ctx = this.ctx;
    const top = lanesTop();
    ctx.fillStyle = LAG;
    ctx.beginPath();
    for (let i = 0; i < marks.length; i += 2) {
      const x = marks[i];
      const y = marks[i + 1];
      if (y < top - 2 || y > this.height) continue;
      ctx.moveTo(x - 4, y + 1);
      ctx.lineTo(x + 4, y + 1);
      ctx.lineTo(x, y + 7);
      ctx.closePath();
      ctx.rect(x - 0.5, y + 7, 1, LANE_HEADER - 8);
    }
    ctx.fill();
    this.drawnLagMarks = marks.length / 2;
  }

  /** A failure: a red cross at the end of the failed task's bar. */
  private drawFailures(ends: readonly number[]): void {
    this.drawnFailures = ends.length / 2;
    if (ends.length === 0) return;
    const ctx = this.ctx;
    ctx.strokeStyle = FAILURE;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < ends.length; i += 2) {
      const x = ends[i] + 4;
      const y = ends[i + 1] + 1;
      const s = ROW_HEIGHT - 2;
      ctx.moveTo(x, y);
      ctx.lineTo(x + s, y + s);
      ctx.moveTo(x + s, y);
      ctx.lineTo(x, y + s);
    }
    ctx.stroke();
  }

  /** The engine fell behind: a yellow band on the ruler's foot over the logical time the clock skipped, with a ▲. */
  private drawBehind(w: number): void {
    const { model, axis, ctx } = this;
    if (model.behindT.length === 0) return;
    ctx.fillStyle = BEHIND;
    ctx.beginPath();
    for (let i = 0; i < model.behindT.length; i++) {
      const x0 = axis.x(model.behindT[i]);
      const x1 = Math.max(x0 + 3, axis.x(model.behindT[i] + model.behindSkipped[i]));
      if (x1 < -6 || x0 > w + 6) continue;
      ctx.rect(x0, RULER_HEIGHT - 3, x1 - x0, 3);
      ctx.moveTo(x0 - 4, RULER_HEIGHT - 3);
      ctx.lineTo(x0 + 4, RULER_HEIGHT - 3);
      ctx.lineTo(x0, RULER_HEIGHT - BEHIND_MARK);
      ctx.closePath();
    }
    ctx.fill();
  }

  /** The vertical scrollbar of the lanes, when they are taller than their space. */
  private drawScrollbar(boxes: readonly LaneBox[], w: number): void {
    const bar = this.scrollbar(boxes);
    this.scrollbarShown = bar !== null;
    if (bar === null) return;
    const ctx = this.ctx;
    ctx.fillStyle = SCROLLBAR;
    ctx.fillRect(w - SCROLLBAR_WIDTH, bar.top, SCROLLBAR_WIDTH, bar.track);
    ctx.fillStyle = SCROLL_THUMB;
    ctx.fillRect(w - SCROLLBAR_WIDTH + 1, bar.thumbTop, SCROLLBAR_WIDTH - 2, bar.thumb);
  }

  /** The scrollbar's geometry, or null when every lane fits. */
  private scrollbar(boxes: readonly LaneBox[]): { top: number; track: number; thumbTop: number; thumb: number; max: number } | null {
    const top = lanesTop();
    const track = this.height - top;
    const max = Math.max(0, contentHeight(boxes, this.scrollY) - this.height);
    if (max <= 0 || track <= 20) return null;
    const thumb = Math.max(20, (track * track) / (track + max));
    return { top, track, thumb, max, thumbTop: top + ((track - thumb) * this.scrollY) / max };
  }

  /** What the marks on screen are (for tests and the status bar). */
  marksDrawn(): { lag: number; failures: number; lateColumns: number; scrollbar: boolean } {
    return { lag: this.drawnLagMarks, failures: this.drawnFailures, lateColumns: this.drawnLateColumns, scrollbar: this.scrollbarShown };
  }

  private drawRuler(w: number): void {
    const ctx = this.ctx;
    const { axis } = this;
    ctx.fillStyle = RULER_BG;
    ctx.fillRect(0, 0, w, RULER_HEIGHT);
    const step = niceStep(80 / axis.pxPerSecond);
    const first = Math.ceil(axis.start / step) * step;
    ctx.fillStyle = GRID;
    for (let t = first; t <= axis.end; t += step) ctx.fillRect(Math.round(axis.x(t)), RULER_HEIGHT - 6, 1, 6);
    ctx.fillStyle = TEXT;
    const digits = Math.max(0, -Math.floor(Math.log10(step)));
    for (let t = first; t <= axis.end; t += step) ctx.fillText(`${t.toFixed(digits)}s`, Math.round(axis.x(t)) + 3, 9);
  }

  // ---- interaction -------------------------------------------------------

  private attach(): void {
    const canvas = this.canvas;
    let drag: { x: number; y: number; moved: boolean; id: number; thumb: boolean } | null = null;
    const local = (e: MouseEvent) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    canvas.addEventListener(
      'wheel',
      (e) => {
        // DAW and map conventions: the wheel scrolls (Shift or a sideways swipe: through time),
        // Ctrl/⌘+wheel zooms, and so does a pinch (Chromium sends it as a wheel with ctrlKey).
        e.preventDefault();
        const { x } = local(e);
        const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.height : 1;
        if (e.ctrlKey || e.metaKey) {
          this.zoom(Math.exp(-e.deltaY * unit * 0.01), x);
        } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          this.axis.pan(-(e.deltaX || e.deltaY) * unit);
          this.setFollow(false);
        } else {
          this.scrollBy(e.deltaY * unit);
        }
        this.dirty = true;
      },
      { passive: false },
    );
    canvas.addEventListener('pointerdown', (e) => {
      const { x, y } = local(e);
      const bar = this.scrollbar(this.laneBoxes());
      const thumb = bar !== null && x >= this.axis.width - SCROLLBAR_WIDTH - 2 && y >= bar.top;
      if (thumb && (y < bar.thumbTop || y > bar.thumbTop + bar.thumb)) {
        // a click on the track pages towards it
        this.scrollBy(y < bar.thumbTop ? -bar.track * 0.9 : bar.track * 0.9);
      }
      drag = { x, y, moved: false, id: e.pointerId, thumb };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      const { x, y } = local(e);
      if (drag) {
        const dx = x - drag.x;
        const dy = y - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) < 3) return;
        if (drag.thumb) {
          drag.moved = true;
          const bar = this.scrollbar(this.laneBoxes());
          if (bar) this.scrollBy((dy * bar.max) / Math.max(1, bar.track - bar.thumb));
          drag.x = x;
          drag.y = y;
          return;
        }
        if (!drag.moved) this.setFollow(false);
        drag.moved = true;
        this.axis.pan(dx);
        if (dy !== 0) this.scrollBy(-dy);
        drag.x = x;
        drag.y = y;
        this.dirty = true;
        return;
      }
      this.setHover(this.hitAt(x, y), x, y);
    });
    canvas.addEventListener('pointerup', (e) => {
      const { x, y } = local(e);
      if (drag && !drag.moved && !drag.thumb) {
        const hit = this.hitAt(x, y);
        if (hit && hit.kind === 'header') this.toggleLane(hit.lane);
        else this.select(hit && hit.kind === 'task' ? hit.task : null);
        if (hit && hit.kind === 'task') {
          const click: BarClick = { taskId: hit.task.id, source: hit.task.source, pos: hit.task.diagnostic ?? hit.task.pos };
          for (const listener of this.barClickListeners) listener(click);
        }
      }
      if (drag) canvas.releasePointerCapture(drag.id);
      drag = null;
    });
    canvas.addEventListener('pointerleave', () => this.setHover(null, 0, 0));
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

function niceStep(min: number): number {
  const p = 10 ** Math.floor(Math.log10(min));
  for (const m of [1, 2, 5, 10]) if (p * m >= min) return p * m;
  return p * 10;
}
