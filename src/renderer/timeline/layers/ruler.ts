/** The ruler along the top (seconds, at a round step for the zoom), and the now-cursor down the whole canvas. */
import { RULER_HEIGHT } from '../layout';
import { palette } from '../palette';
import type { Frame } from './frame';

export function drawRuler(frame: Frame): void {
  const { ctx, axis, width: w } = frame;
  ctx.fillStyle = palette.rulerBg;
  ctx.fillRect(0, 0, w, RULER_HEIGHT);
  const step = niceStep(80 / axis.pxPerSecond);
  const first = Math.ceil(axis.start / step) * step;
  ctx.fillStyle = palette.grid;
  for (let t = first; t <= axis.end; t += step) ctx.fillRect(Math.round(axis.x(t)), RULER_HEIGHT - 6, 1, 6);
  ctx.fillStyle = palette.text;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = first; t <= axis.end; t += step) ctx.fillText(`${t.toFixed(digits)}s`, Math.round(axis.x(t)) + 3, 9);
}

/**
 * The now-cursor: a line from the ruler's foot down, where logical time now is.
 * Paused, it is labelled "paused at t = …" in the ruler; returns that label, if drawn.
 */
export function drawCursor(frame: Frame): string | null {
  const { ctx, axis } = frame;
  const nx = axis.x(frame.now);
  if (nx < 0 || nx > frame.width) return null;
  ctx.fillStyle = palette.now;
  ctx.fillRect(Math.round(nx) - 0.5, RULER_HEIGHT, 1, frame.height - RULER_HEIGHT);
  const box = pausedLabelBox(frame);
  if (box === null) return null;
  ctx.fillStyle = palette.rulerBg;
  ctx.fillRect(box.x, 0, box.width, RULER_HEIGHT);
  ctx.fillStyle = palette.now;
  ctx.fillText(box.label, box.x + 4, 9);
  return box.label;
}

/** Where the paused cursor's label goes: beside the cursor, on the side with room for it; null while the clock runs. */
function pausedLabelBox(frame: Frame): { label: string; x: number; width: number } | null {
  if (frame.pausedAt === null) return null;
  const nx = frame.axis.x(frame.now);
  if (nx < 0 || nx > frame.width) return null;
  const label = `paused at t = ${frame.pausedAt.toFixed(2)} s`;
  const width = frame.ctx.measureText(label).width + 8;
  return { label, x: nx + width + 2 <= frame.width ? nx + 2 : nx - width - 2, width };
}

/**
 * The moment picked with a click (where Replay from here rebuilds the
 * session): a dashed line down from the ruler, and its time in the ruler.
 * Returns that label, if drawn.
 */
export function drawPicked(frame: Frame): string | null {
  const { ctx, axis } = frame;
  if (frame.picked === null) return null;
  const px = Math.round(axis.x(frame.picked)) + 0.5;
  if (px < 0 || px > frame.width) return null;
  ctx.save();
  ctx.strokeStyle = palette.text;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(px, RULER_HEIGHT);
  ctx.lineTo(px, frame.height);
  ctx.stroke();
  ctx.restore();
  // Where the paused cursor stands (after a replay from here, say) its own label says the time.
  if (frame.pausedAt !== null && Math.abs(axis.x(frame.now) - px) < 2) return null;
  const label = `▾ ${frame.picked.toFixed(2)} s`;
  const width = ctx.measureText(label).width + 8;
  // Left of its line, else right of it: wherever it keeps clear of the paused cursor's label (or none, if neither does).
  const paused = pausedLabelBox(frame);
  const clear = (x: number) => x >= 0 && x + width <= frame.width && (paused === null || x + width <= paused.x || x >= paused.x + paused.width);
  const x = [px - width, px].find(clear);
  if (x === undefined) return null;
  ctx.fillStyle = palette.rulerBg;
  ctx.fillRect(x, 0, width, RULER_HEIGHT);
  ctx.fillStyle = palette.text;
  ctx.fillText(label, x + 4, 9);
  return label;
}

/** The smallest of 1, 2, 5 times a power of ten that is at least `min`. */
function niceStep(min: number): number {
  const p = 10 ** Math.floor(Math.log10(min));
  for (const m of [1, 2, 5, 10]) if (p * m >= min) return p * m;
  return p * 10;
}
