/**
 * The piano roll above the lanes: a bar per note as long as it sounded, a
 * line at every C, the late events as columns at its foot, and the hovered
 * note outlined. Drawn after the lanes, so lanes scrolled up slide under it.
 */
import { RULER_HEIGHT, geometry, lateColumnHeight, lateColumns, noteY, rollRange } from '../layout';
import { palette } from '../palette';
import type { RectBatch } from '../rect-batch';
import type { Frame } from './frame';

/** Draws the roll with its notes gathered in `notes` and the late columns in `marks`; returns the late columns drawn. */
export function drawRoll(frame: Frame, notes: RectBatch, marks: RectBatch): number {
  const { ctx, model, axis, now, t0, t1, width: w } = frame;
  ctx.fillStyle = palette.bg;
  ctx.fillRect(0, 0, w, RULER_HEIGHT + geometry.rollHeight);
  ctx.fillStyle = palette.rollBg;
  ctx.fillRect(0, RULER_HEIGHT, w, geometry.rollHeight);
  const { low, high } = rollRange(model);
  ctx.fillStyle = palette.grid;
  for (let n = Math.ceil(low / 12) * 12; n <= high; n += 12) ctx.fillRect(0, Math.round(noteY(model, n).y + noteY(model, n).h), w, 1);
  for (const bar of model.noteBars) {
    // nothing past the now-cursor: notes sent ahead of what is heard wait for it
    const end = Number.isNaN(bar.end) || bar.end > now ? now : bar.end;
    if (end < t0 || bar.start > t1 || bar.start > now) continue;
    const { y, h } = noteY(model, bar.note);
    const x0 = axis.x(bar.start);
    notes.push(x0, y, Math.max(1.5, axis.x(end) - x0), Math.max(1, h - 1));
  }
  notes.fill(ctx, palette.note);
  const lateDrawn = drawLateColumns(frame, marks);
  drawHoveredNote(frame);
  ctx.fillStyle = palette.text;
  ctx.fillText('notes', 6, RULER_HEIGHT + 8);
  for (let n = Math.ceil(low / 12) * 12; n <= high; n += 12) {
    const { y, h } = noteY(model, n);
    ctx.fillText(`C${n / 12}`, w - 26, y + h / 2);
  }
  return lateDrawn;
}

/** Late events in proportion: one column per pixel, as tall as the log of its count, at the roll's foot. */
function drawLateColumns(frame: Frame, marks: RectBatch): number {
  const { model, axis } = frame;
  if (model.lateT.length === 0) return 0;
  const cols = lateColumns(axis, model.lateT, model.lateBy);
  const foot = RULER_HEIGHT + geometry.rollHeight;
  let drawn = 0;
  for (let x = 0; x < cols.counts.length; x++) {
    const n = cols.counts[x];
    if (n === 0) continue;
    drawn++;
    const h = lateColumnHeight(n);
    marks.push(x, foot - h, 1, h);
  }
  marks.fill(frame.ctx, palette.late);
  return drawn;
}

function drawHoveredNote(frame: Frame): void {
  const { ctx, axis, hover } = frame;
  if (!hover || hover.kind !== 'note') return;
  const bar = hover.bar;
  const { y, h } = noteY(frame.model, bar.note);
  const end = Number.isNaN(bar.end) ? frame.now : bar.end;
  ctx.strokeStyle = '#ffffff';
  ctx.strokeRect(axis.x(bar.start) - 0.5, y - 0.5, axis.x(end) - axis.x(bar.start) + 1, h);
}
