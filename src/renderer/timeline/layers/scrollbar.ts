/** The vertical scrollbar of the lanes, shown when they are taller than their space: its geometry (drawing and dragging share it) and its picture. */
import { contentHeight, lanesTop, type LaneBox } from '../layout';
import { palette } from '../palette';

/** Width (px) of the vertical scrollbar at the right of the lanes. */
export const SCROLLBAR_WIDTH = 8;

export interface Scrollbar {
  top: number;
  track: number;
  thumbTop: number;
  thumb: number;
  /** The largest scroll. */
  max: number;
}

/** The scrollbar's geometry for a canvas `height` px tall, or null when every lane fits. */
export function scrollbarOf(boxes: readonly LaneBox[], scrollY: number, height: number): Scrollbar | null {
  const top = lanesTop();
  const track = height - top;
  const max = Math.max(0, contentHeight(boxes, scrollY) - height);
  if (max <= 0 || track <= 20) return null;
  const thumb = Math.max(20, (track * track) / (track + max));
  return { top, track, thumb, max, thumbTop: top + ((track - thumb) * scrollY) / max };
}

export function drawScrollbar(ctx: CanvasRenderingContext2D, bar: Scrollbar | null, width: number): void {
  if (bar === null) return;
  ctx.fillStyle = palette.scrollbar;
  ctx.fillRect(width - SCROLLBAR_WIDTH, bar.top, SCROLLBAR_WIDTH, bar.track);
  ctx.fillStyle = palette.scrollThumb;
  ctx.fillRect(width - SCROLLBAR_WIDTH + 1, bar.thumbTop, SCROLLBAR_WIDTH - 2, bar.thumb);
}
