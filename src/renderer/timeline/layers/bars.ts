/**
 * The task bars: one rectangle per state a task went through, a cap in the
 * colour of how it ended, and its label where the bar is wide enough. Only the
 * visible time range of each open lane is visited (the model's chunked index),
 * and rectangles are filled per colour with one path each.
 */
import { taskLabel } from '../describe';
import { ROW_HEIGHT, barExtent, endedBy, rowY, shownEnd, type LaneBox } from '../layout';
import { STATE, STATE_COUNT, type TaskRecord } from '../model';
import { STATE_COLOURS, palette } from '../palette';
import { RectBatch } from '../rect-batch';
import { laneOnScreen, type Frame } from './frame';
import { CROSS_SIZE, failureCross } from './marks';

/** At most this many labels a frame (they are the slow part of a crowded frame). */
const MAX_LABELS = 400;
/** A label with less room than this (px, after a cross moved it) is not drawn. */
export const MIN_LABEL_WIDTH = 12;
/** At most this many failure crosses a frame. */
const MAX_FAILURES = 1000;

export interface Label {
  x: number;
  y: number;
  w: number;
  text: string;
}

/** The batches the bars are gathered in, kept from frame to frame (their buffers grow once). */
export class BarBatches {
  readonly states = Array.from({ length: STATE_COUNT }, () => new RectBatch());
  readonly caps = Array.from({ length: STATE_COUNT }, () => new RectBatch());
}

/** What the bars of a frame are: gathered, not yet filled. */
export interface Bars {
  /** Tasks visited. */
  tasks: number;
  labels: Label[];
  /** Top-left x, y of each failed task's cross (flat pairs; see failureCross). */
  failures: number[];
}

/** Gathers every visible task's bar into the batches. */
export function gatherBars(frame: Frame, batches: BarBatches): Bars {
  const bars: Bars = { tasks: 0, labels: [], failures: [] };
  for (const box of frame.boxes) {
    if (!laneOnScreen(frame, box) || box.collapsed) continue;
    box.lane.forEachVisible(frame.t0, frame.t1, (task) => {
      if (task.start > frame.now) return; // created ahead of what is heard
      bars.tasks++;
      gatherTask(frame, batches, box, task, bars);
    });
  }
  return bars;
}

function gatherTask(frame: Frame, batches: BarBatches, box: LaneBox, task: TaskRecord, bars: Bars): void {
  const { axis, now, t0, t1, width: w } = frame;
  const y = rowY(box, task);
  const [bx0, bx1] = barExtent(axis, task, now);
  const end = shownEnd(task, now);
  // Bars only a few pixels wide (10,000 tasks on screen) get no running ticks and no
  // "done" cap: a run of them then merges into one rectangle per row.
  const roomy = bx1 - bx0 >= 6;
  const segs = task.segStart;
  for (let s = 0; s < segs.length; s++) {
    const s0 = segs[s];
    if (s0 > end) break;
    const s1 = s + 1 < segs.length ? Math.min(segs[s + 1], end) : end;
    if (s1 < t0 || s0 > t1) continue;
    const x0 = Math.max(-10, axis.x(s0));
    const x1 = Math.min(w + 10, axis.x(s1));
    const state = task.segState[s];
    if (x1 - x0 >= 0.5) batches.states[state].push(x0, y, x1 - x0, ROW_HEIGHT);
    else if (state === STATE.running && roomy) batches.states[STATE.running].push(x0, y, 1.5, ROW_HEIGHT);
  }
  if (endedBy(task, now) && (roomy || task.state !== STATE.done)) {
    // how it ended: a cap at its end (the whole sliver for an instant task)
    const cx = Math.max(bx0, bx1 - 3);
    batches.caps[task.state].push(cx, y, bx1 - cx, ROW_HEIGHT);
    if (task.state === STATE.failed || task.state === STATE.cancelled) {
      batches.caps[task.state].push(bx0, y + ROW_HEIGHT - 2, bx1 - bx0, 2);
    }
  }
  let labelEnd = bx1;
  if (endedBy(task, now) && task.state === STATE.failed && bars.failures.length < 2 * MAX_FAILURES) {
    const cross = failureCross(bx0, bx1, y);
    bars.failures.push(cross.x, cross.y);
    labelEnd = Math.min(labelEnd, cross.x);
  }
  if (labelEnd - bx0 > 48 && bars.labels.length < MAX_LABELS) {
    bars.labels.push({ x: Math.max(bx0, 0) + 3, y: y + ROW_HEIGHT / 2, w: labelEnd - Math.max(bx0, 0) - 6, text: taskLabel(task) });
  }
}

/** A label that begins under a cross drawn just after a narrow failed bar starts after it instead (a ✕ never covers a label). */
export function clearCrosses(bars: Bars): void {
  if (bars.failures.length === 0 || bars.labels.length === 0) return;
  for (let i = 0; i < bars.failures.length; i += 2) {
    const cx = bars.failures[i];
    const cy = bars.failures[i + 1];
    for (const l of bars.labels) {
      const top = l.y - ROW_HEIGHT / 2;
      if (cy < top || cy >= top + ROW_HEIGHT || cx + CROSS_SIZE + 2 <= l.x || cx >= l.x + l.w) continue;
      const moved = cx + CROSS_SIZE + 3;
      l.w -= moved - l.x;
      l.x = moved;
    }
  }
}

/** Fills the gathered bars, states first and then the caps over them; returns the rectangles filled. */
export function fillBars(ctx: CanvasRenderingContext2D, batches: BarBatches): number {
  let rects = 0;
  for (let s = 0; s < STATE_COUNT; s++) rects += batches.states[s].size + batches.caps[s].size;
  for (let s = 0; s < STATE_COUNT; s++) batches.states[s].fill(ctx, STATE_COLOURS[s]);
  for (let s = 0; s < STATE_COUNT; s++) batches.caps[s].fill(ctx, STATE_COLOURS[s]);
  return rects;
}

/** Each label inside its bar, cut off at the bar's end. */
export function drawLabels(ctx: CanvasRenderingContext2D, labels: readonly Label[]): void {
  ctx.fillStyle = palette.labelText;
  for (const l of labels) {
    if (l.w < MIN_LABEL_WIDTH) continue;
    ctx.save();
    ctx.beginPath();
    ctx.rect(l.x, l.y - ROW_HEIGHT / 2, l.w, ROW_HEIGHT);
    ctx.clip();
    ctx.fillText(l.text, l.x, l.y + 0.5);
    ctx.restore();
  }
}
