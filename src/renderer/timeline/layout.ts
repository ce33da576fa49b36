/**
 * Where things go on the timeline canvas: the time axis (zoom, pan, follow),
 * the vertical stack (ruler, piano roll, one lane per source with a row per
 * concurrently live task, rows grouped by nesting depth) and hit-testing.
 * Pure: the canvas code and the tests both use it.
 */
import type { Lane, NoteBar, TaskRecord, TimelineModel } from './model';

export const RULER_HEIGHT = 22;
export const ROLL_HEIGHT = 96;
/** Sizes the view may change (the piano roll grows with the canvas). */
export const geometry = { rollHeight: ROLL_HEIGHT };
export const LANE_HEADER = 18;
export const ROW_HEIGHT = 12;
export const ROW_GAP = 2;
export const LANE_GAP = 6;
export const LABEL_WIDTH = 0;
/** How close (px) a pointer must be to a bar to hit it. */
export const HIT_SLOP = 3;

export const MIN_PX_PER_SECOND = 0.01;
export const MAX_PX_PER_SECOND = 1e7;

/** The visible time window: `start` at x = 0, `pxPerSecond` across. */
export class TimeAxis {
  constructor(
    public start = 0,
    public pxPerSecond = 100,
    public width = 800,
  ) {}

  get end(): number {
    return this.start + this.width / this.pxPerSecond;
  }

  get span(): number {
    return this.width / this.pxPerSecond;
  }

  x(t: number): number {
    return (t - this.start) * this.pxPerSecond;
  }

  t(x: number): number {
    return this.start + x / this.pxPerSecond;
  }

  /** Zoom by `factor` (>1 zooms in) keeping the time under `x` where it is. */
  zoom(factor: number, x: number): void {
    const anchor = this.t(x);
    this.pxPerSecond = Math.min(MAX_PX_PER_SECOND, Math.max(MIN_PX_PER_SECOND, this.pxPerSecond * factor));
    this.start = anchor - x / this.pxPerSecond;
  }

  /** Move the view by `dx` pixels (drag right = earlier times come in). */
  pan(dx: number): void {
    this.start -= dx / this.pxPerSecond;
  }

  /** Follow mode: keep `now` at `fraction` of the width. */
  follow(now: number, fraction = 0.85): void {
    this.start = now - (this.width * fraction) / this.pxPerSecond;
  }
}

export interface LaneBox {
  lane: Lane;
  /** Top of the lane (its header) in content coordinates. */
  top: number;
  /** Top of its first row. */
  rowsTop: number;
  height: number;
  /** Only its one-line header shows (an idle source, or one the user closed). */
  collapsed: boolean;
}

/** Where the lanes begin: below the ruler and the piano roll. */
export function lanesTop(): number {
  return RULER_HEIGHT + geometry.rollHeight;
}

/** Seconds a source stays open after its last task ended, before it collapses to its header. */
export const IDLE_COLLAPSE_SECONDS = 3;

/**
 * Whether a lane shows only its header at `now`: a user's choice (`pinned`)
 * wins; otherwise a lane collapses once nothing in it has run for
 * IDLE_COLLAPSE_SECONDS (an idle source).
 */
export function isCollapsed(lane: Lane, now: number, pinned?: boolean): boolean {
  if (pinned !== undefined) return !pinned;
  return lane.busy === 0 && lane.tasks.length > 0 && now - lane.lastEnd > IDLE_COLLAPSE_SECONDS;
}

/**
 * Vertical layout of the model's lanes below the ruler and the piano roll;
 * `scrollY` moves lanes only; `collapsed` says which lanes show only their header.
 */
export function layoutLanes(model: TimelineModel, scrollY = 0, collapsed: (lane: Lane) => boolean = () => false): LaneBox[] {
  const boxes: LaneBox[] = [];
  let y = lanesTop() + LANE_GAP - scrollY;
  for (const lane of model.lanes) {
    const closed = collapsed(lane);
    const rows = Math.max(1, lane.rowCount);
    const height = closed ? LANE_HEADER : LANE_HEADER + rows * (ROW_HEIGHT + ROW_GAP);
    boxes.push({ lane, top: y, rowsTop: y + LANE_HEADER, height, collapsed: closed });
    y += height + LANE_GAP;
  }
  return boxes;
}

/** The scroll (px) that brings `box` wholly into the view of lanes `viewHeight` px high (or its top, if taller), moving as little as it can. */
export function scrollToShow(box: LaneBox, scrollY: number, viewHeight: number): number {
  const top = lanesTop();
  const bottom = top + viewHeight;
  if (box.top < top + LANE_GAP) return Math.max(0, scrollY - (top + LANE_GAP - box.top));
  if (box.top + box.height > bottom) return scrollY + Math.min(box.top - top - LANE_GAP, box.top + box.height - bottom + LANE_GAP);
  return scrollY;
}

/**
 * Late audio events per pixel column: `counts[i]` events fell in column
 * `first + i`, and `worst[i]` is the latest of them (s). Drawn in proportion,
 * so 58 late events make a small histogram, not 58 columns.
 */
export interface LateColumns {
  first: number;
  counts: Uint32Array;
  worst: Float32Array;
}

export function lateColumns(axis: TimeAxis, times: readonly number[], lateBy: readonly number[]): LateColumns {
  const width = Math.max(1, Math.ceil(axis.width));
  const counts = new Uint32Array(width);
  const worst = new Float32Array(width);
  for (let i = 0; i < times.length; i++) {
    const x = Math.floor(axis.x(times[i]));
    if (x < 0 || x >= width) continue;
    counts[x]++;
    if (lateBy[i] > worst[x]) worst[x] = lateBy[i];
  }
  return { first: 0, counts, worst };
}

/** Height (px) of a late-event column of `count` events: grows with the logarithm, so one stands out and many do not bury the roll. */
export function lateColumnHeight(count: number): number {
  return count <= 0 ? 0 : Math.min(geometry.rollHeight / 3, 4 + 4 * Math.log2(count));
}

export function contentHeight(boxes: readonly LaneBox[], scrollY = 0): number {
  if (boxes.length === 0) return RULER_HEIGHT + geometry.rollHeight;
  const last = boxes[boxes.length - 1];
  return last.top + last.height + LANE_GAP + scrollY;
}

/** Top y of a task's bar. */
export function rowY(box: LaneBox, task: TaskRecord): number {
  return box.rowsTop + box.lane.rowOrder[task.row] * (ROW_HEIGHT + ROW_GAP);
}

/**
 * Where a task's bar ends at `now`: its end, or `now` while it is open or its
 * end is still ahead (the scheduler runs ahead of what is heard: nothing is
 * drawn past the now-cursor).
 */
export function shownEnd(task: TaskRecord, now: number): number {
  return Number.isNaN(task.end) || task.end > now ? Math.max(now, task.start) : task.end;
}

/** Whether a task has ended by `now` (as heard). */
export function endedBy(task: TaskRecord, now: number): boolean {
  return !Number.isNaN(task.end) && task.end <= now;
}

/** Pixel extent of a task's bar; open tasks run to `now`. Zero-length tasks still get a visible sliver. */
export function barExtent(axis: TimeAxis, task: TaskRecord, now: number): [number, number] {
  const end = shownEnd(task, now);
  const x0 = axis.x(task.start);
  const x1 = Math.max(axis.x(end), x0 + 2);
  return [x0, x1];
}

/** Fewest semitones the piano roll shows: a few notes close together still look like notes, not blocks. */
export const MIN_ROLL_SPAN = 24;

/** Piano roll rows: the pitch range seen so far, padded (to at least MIN_ROLL_SPAN), highest at the top. */
export function rollRange(model: TimelineModel): { low: number; high: number } {
  if (model.lowNote > model.highNote) return { low: 60 - MIN_ROLL_SPAN / 2, high: 60 + MIN_ROLL_SPAN / 2 };
  let low = model.lowNote - 1;
  let high = model.highNote + 1;
  const missing = MIN_ROLL_SPAN - (high - low);
  if (missing > 0) {
    low -= Math.floor(missing / 2);
    high += Math.ceil(missing / 2);
  }
  return { low, high };
}

export function noteY(model: TimelineModel, note: number): { y: number; h: number } {
  const { low, high } = rollRange(model);
  const h = (geometry.rollHeight - 4) / (high - low + 1);
  return { y: RULER_HEIGHT + 2 + (high - note) * h, h: Math.max(1, h) };
}

export type Hit =
  | { kind: 'task'; task: TaskRecord; lane: Lane }
  | { kind: 'note'; bar: NoteBar }
  /** A loop-lag mark: a resumption ran `late` seconds after its logical time `t`. */
  | { kind: 'lag'; lane: Lane; t: number; late: number }
  /** Late audio events around `t`: `count` of them, the latest `worst` s late. */
  | { kind: 'late'; t: number; count: number; worst: number }
  /** The engine fell `behind` s behind the clock at `t`, which skipped `skipped` s. */
  | { kind: 'behind'; t: number; behind: number; skipped: number }
  /** A live loop took a new body at `t`: its name and the `live` line that plays from then on. */
  | { kind: 'swap'; lane: Lane; t: number; name: string; text: string }
  /** A lane's header (a click opens or closes the lane). */
  | { kind: 'header'; lane: Lane }
  | { kind: 'lane'; lane: Lane }
  | null;

/** Height of the strip at the foot of the ruler where engine-behind marks sit. */
export const BEHIND_MARK = 8;

/** What is under the pointer at (x, y). */
export function hitTest(
  model: TimelineModel,
  axis: TimeAxis,
  x: number,
  y: number,
  now: number,
  scrollY = 0,
  collapsed: (lane: Lane) => boolean = () => false,
): Hit {
  const t0 = axis.t(x - HIT_SLOP);
  const t1 = axis.t(x + HIT_SLOP);
  if (y < RULER_HEIGHT) {
    if (y < RULER_HEIGHT - BEHIND_MARK) return null;
    for (let i = model.behindT.length - 1; i >= 0; i--) {
      if (Math.abs(axis.x(model.behindT[i]) - x) <= HIT_SLOP + 3) {
        return { kind: 'behind', t: model.behindT[i], behind: model.behindBy[i], skipped: model.behindSkipped[i] };
      }
    }
    return null;
  }
  if (y >= RULER_HEIGHT && y < RULER_HEIGHT + geometry.rollHeight) {
    const rollBottom = RULER_HEIGHT + geometry.rollHeight;
    let count = 0;
    let worst = 0;
    let at = 0;
    for (let i = 0; i < model.lateT.length; i++) {
      const lx = axis.x(model.lateT[i]);
      if (Math.abs(lx - x) > HIT_SLOP) continue;
      count++;
      at = model.lateT[i];
      worst = Math.max(worst, model.lateBy[i]);
    }
    if (count > 0 && y >= rollBottom - lateColumnHeight(count) - HIT_SLOP) return { kind: 'late', t: at, count, worst };
    for (let i = model.noteBars.length - 1; i >= 0; i--) {
      const bar = model.noteBars[i];
      const end = Number.isNaN(bar.end) || bar.end > now ? now : bar.end;
      if (bar.start > now || bar.start > t1 || end < t0) continue;
      const { y: ny, h } = noteY(model, bar.note);
      if (y >= ny && y < ny + h) return { kind: 'note', bar };
    }
    return null;
  }
  for (const box of layoutLanes(model, scrollY, collapsed)) {
    if (y < box.top || y >= box.top + box.height) continue;
    const lane = box.lane;
    if (y < box.rowsTop) {
      // the header strip: lag marks are easiest to point at there
      for (let i = 0; i < lane.lagT.length; i++) {
        if (Math.abs(axis.x(lane.lagT[i]) - x) <= HIT_SLOP + 2) return { kind: 'lag', lane, t: lane.lagT[i], late: lane.lagLate[i] };
      }
      return { kind: 'header', lane };
    }
    for (const swap of lane.swaps) {
      const top = rowY(box, swap.task);
      if (swap.t > now || y < top - 2 || y >= top + ROW_HEIGHT + 2 || Math.abs(axis.x(swap.t) - x) > HIT_SLOP) continue;
      return { kind: 'swap', lane, t: swap.t, name: swap.name, text: swap.text };
    }
    let found: TaskRecord | null = null;
    box.lane.forEachVisible(t0, Math.min(t1, now), (task) => {
      if (task.start > now) return;
      const top = rowY(box, task);
      if (y < top || y >= top + ROW_HEIGHT) return;
      const [x0, x1] = barExtent(axis, task, now);
      if (x < x0 - HIT_SLOP || x > x1 + HIT_SLOP) return;
      // the latest-starting bar is drawn on top
      if (found === null || task.start >= found.start) found = task;
    });
    return found ? { kind: 'task', task: found, lane: box.lane } : { kind: 'lane', lane: box.lane };
  }
  return null;
}

/** Most connectors drawn in one frame: beyond it, the rest of the screen gets none (10,000 tasks stay fluid). */
export const MAX_CONNECTORS = 800;

/**
 * A line between two bars at one moment: a waiter to what it waits on (drawn
 * where the wait began), or a task whose end cancelled a sibling (a failure in
 * a gather, a race's winner, a timeout's timer) to that sibling, where it ended.
 * The arrow points at `to`.
 */
export interface Connector {
  /** `cue`: from a cue to each sync it woke, at the cue. */
  kind: 'wait' | 'cancel' | 'cue';
  from: TaskRecord;
  to: TaskRecord;
  /** Logical time it stands at. */
  t: number;
  x: number;
  /** Middle of the `from` bar's row, and of the `to` bar's. */
  y0: number;
  y1: number;
}

/**
 * The connectors of the tasks on screen, in lane order, at most `cap`: a
 * task's waits that began inside the visible time range up to `now` (not a
 * source's on its lines), and the cancellations its end caused there. Only
 * visible tasks are visited (the lanes' chunk index). A collapsed lane hides
 * the connectors from its tasks; one to a task in it ends at its header.
 */
export function layoutConnectors(axis: TimeAxis, boxes: readonly LaneBox[], cap = MAX_CONNECTORS, now = Infinity): Connector[] {
  const boxOf = new Map<Lane, LaneBox>();
  for (const box of boxes) boxOf.set(box.lane, box);
  const t0 = axis.start;
  const t1 = Math.min(axis.end, now);
  const out: Connector[] = [];
  const middle = (task: TaskRecord): number | null => {
    const box = boxOf.get(task.lane);
    if (box === undefined) return null;
    return box.collapsed ? box.top + LANE_HEADER / 2 : rowY(box, task) + ROW_HEIGHT / 2;
  };
  for (const box of boxes) {
    if (box.collapsed) continue;
    for (const cue of box.lane.cues) {
      if (cue.t < t0 || cue.t > t1) continue;
      const y0 = middle(cue.from);
      for (const to of cue.to) {
        const y1 = middle(to);
        if (y0 === null || y1 === null || out.length >= cap) continue;
        out.push({ kind: 'cue', from: cue.from, to, t: cue.t, x: axis.x(cue.t), y0, y1 });
      }
    }
    if (out.length >= cap) break;
    box.lane.forEachVisible(t0, t1, (task) => {
      if (out.length >= cap || (task.waits === null && task.cancels === null)) return;
      // A source awaits each of its lines in turn: the nesting already says so.
      const waits = task.kind === 'source' ? null : task.waits;
      const y0 = rowY(box, task) + ROW_HEIGHT / 2;
      if (waits !== null) {
        for (const edge of waits) {
          if (edge.t < t0 || edge.t > t1) continue;
          for (const to of edge.to) {
            const y1 = middle(to);
            if (y1 === null || out.length >= cap) continue;
            out.push({ kind: 'wait', from: task, to, t: edge.t, x: axis.x(edge.t), y0, y1 });
          }
        }
      }
      if (task.cancels !== null && task.end >= t0 && task.end <= t1) {
        for (const to of task.cancels) {
          const y1 = middle(to);
          if (y1 === null || out.length >= cap) continue;
          out.push({ kind: 'cancel', from: task, to, t: task.end, x: axis.x(task.end), y0, y1 });
        }
      }
    });
  }
  return out;
}
