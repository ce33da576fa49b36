/**
 * The marks over the lanes and the ruler: a pattern's steps (ticks across its
 * bar), a live loop's new body taking over (a bar across the loop), loop lag (a violet notch in the lane's header), a
 * failure (a red cross at the end of its bar) and the engine falling behind
 * (a yellow band on the ruler's foot).
 */
import { BEHIND_MARK, LANE_HEADER, ROW_HEIGHT, RULER_HEIGHT, lanesTop, rowY } from '../layout';
import { palette } from '../palette';
import { laneOnScreen, type Frame } from './frame';

/** Where a live loop took a new body: a short bar across the loop's bar, for each open lane on screen. */
export function drawSwaps(frame: Frame): void {
  const { ctx, axis, width: w } = frame;
  ctx.fillStyle = palette.swap;
  for (const box of frame.boxes) {
    if (!laneOnScreen(frame, box) || box.collapsed) continue;
    for (const swap of box.lane.swaps) {
      if (swap.t > frame.now) continue;
      const x = axis.x(swap.t);
      if (x >= -4 && x <= w + 4) ctx.fillRect(x - 1, rowY(box, swap.task) - 2, 2, ROW_HEIGHT + 4);
    }
  }
}

/** Steps closer than this (px) are not told apart: at that zoom a pattern's bar is drawn plain. */
const MIN_STEP_GAP = 4;

/**
 * A pattern's steps (seq, euclid): a dark tick across its bar where each step
 * begins, full height for a step that sounds and a short one at the foot for a rest.
 */
export function drawSteps(frame: Frame): void {
  const { ctx, axis, width: w } = frame;
  ctx.fillStyle = palette.labelText;
  for (const box of frame.boxes) {
    if (!laneOnScreen(frame, box) || box.collapsed) continue;
    const steps = box.lane.steps;
    // Steps come in time order: start at the first one on screen.
    let lo = 0;
    let hi = steps.length;
    const from = axis.t(-4);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid].t < from) lo = mid + 1;
      else hi = mid;
    }
    let lastX = -Infinity;
    for (let i = lo; i < steps.length; i++) {
      const step = steps[i];
      if (step.t > frame.now) break;
      const x = axis.x(step.t);
      if (x > w + 4) break;
      if (x - lastX < MIN_STEP_GAP) continue;
      lastX = x;
      const top = rowY(box, step.task);
      if (step.hit) ctx.fillRect(x, top + 1, 1, ROW_HEIGHT - 2);
      else ctx.fillRect(x, top + ROW_HEIGHT - 4, 1, 3);
    }
  }
}

/** Loop lag: a violet notch (a triangle pointing down) at the top of the lane's header, and a short tick below it. Returns the marks drawn. */
export function drawLagMarks(frame: Frame): number {
  const { ctx, axis, width: w } = frame;
  const marks: number[] = [];
  for (const box of frame.boxes) {
    if (!laneOnScreen(frame, box)) continue;
    const lane = box.lane;
    for (let i = 0; i < lane.lagT.length; i++) {
      if (lane.lagT[i] > frame.now) continue;
      const x = axis.x(lane.lagT[i]);
      if (x >= -6 && x <= w + 6) marks.push(x, box.top);
    }
  }
  if (marks.length === 0) return 0;
  const top = lanesTop();
  ctx.fillStyle = palette.lag;
  ctx.beginPath();
  for (let i = 0; i < marks.length; i += 2) {
    const x = marks[i];
    const y = marks[i + 1];
    if (y < top - 2 || y > frame.height) continue;
    ctx.moveTo(x - 4, y + 1);
    ctx.lineTo(x + 4, y + 1);
    ctx.lineTo(x, y + 7);
    ctx.closePath();
    ctx.rect(x - 0.5, y + 7, 1, LANE_HEADER - 8);
  }
  ctx.fill();
  return marks.length / 2;
}

/** The size (px) of a failure's cross. */
export const CROSS_SIZE = ROW_HEIGHT - 2;

/**
 * Where the cross of a failed bar [barStart, barEnd] (its row's top at y) is
 * drawn, its top-left corner: inside the bar's end when the bar has room (its
 * label then stops before it), else just after it (a label there moves past it).
 */
export function failureCross(barStart: number, barEnd: number, rowTop: number): { x: number; y: number } {
  const inside = barEnd - barStart >= CROSS_SIZE + 8;
  return { x: inside ? barEnd - CROSS_SIZE - 2 : barEnd + 3, y: rowTop + 1 };
}

/** A failure: a red cross at the end of the failed task's bar (`crosses`: their top-left corners, x, y pairs; see failureCross). */
export function drawFailures(ctx: CanvasRenderingContext2D, crosses: readonly number[]): void {
  if (crosses.length === 0) return;
  ctx.strokeStyle = palette.failure;
  ctx.lineWidth = 2;
  ctx.beginPath();
  const s = CROSS_SIZE;
  for (let i = 0; i < crosses.length; i += 2) {
    const x = crosses[i];
    const y = crosses[i + 1];
    ctx.moveTo(x, y);
    ctx.lineTo(x + s, y + s);
    ctx.moveTo(x + s, y);
    ctx.lineTo(x, y + s);
  }
  ctx.stroke();
}

/** The engine fell behind: a yellow band on the ruler's foot over the logical time the clock skipped, with a ▲. */
export function drawBehind(frame: Frame): void {
  const { model, axis, ctx, width: w } = frame;
  if (model.behindT.length === 0) return;
  ctx.fillStyle = palette.behind;
  ctx.beginPath();
  for (let i = 0; i < model.behindT.length; i++) {
    if (model.behindT[i] > frame.now) continue;
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
