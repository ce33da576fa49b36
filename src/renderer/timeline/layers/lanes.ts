/**
 * The lanes around the bars: a background per lane, alternating; the dashed
 * line where one session ended and the next began; each lane's name in its
 * header; and the outlines of the hovered and the selected task.
 */
import { LANE_HEADER, ROW_HEIGHT, barExtent, lanesTop, rowY } from '../layout';
import type { TaskRecord } from '../model';
import { palette } from '../palette';
import { hoveredTask, laneOnScreen, type Frame } from './frame';

export function drawLaneBackgrounds(frame: Frame): void {
  const { ctx, boxes, width } = frame;
  for (let li = 0; li < boxes.length; li++) {
    const box = boxes[li];
    if (!laneOnScreen(frame, box)) continue;
    ctx.fillStyle = palette.laneBg[li % 2];
    ctx.fillRect(0, box.top, width, box.height);
  }
}

/** Where a session ended (quit) and the next began: a dashed line down the lanes, labelled. */
export function drawSessionBreaks(frame: Frame): void {
  const { ctx, axis, model, width: w } = frame;
  const top = lanesTop();
  for (const t of model.sessionBreaks) {
    const x = Math.round(axis.x(t)) + 0.5;
    if (x < -2 || x > w + 2) continue;
    ctx.strokeStyle = palette.sessionBreak;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, frame.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = palette.sessionBreak;
    ctx.fillText('quit · new session', x + 4, top + 8);
  }
}

/**
 * Lane names, over the bars and marks at the left (▸ a collapsed lane, ▾ an open one), each on a plate
 * of its lane's background so that a mark or a bar under it never runs through its letters.
 */
export function drawLaneNames(frame: Frame): void {
  const { ctx, boxes } = frame;
  for (let li = 0; li < boxes.length; li++) {
    const box = boxes[li];
    if (!laneOnScreen(frame, box, LANE_HEADER)) continue;
    const state = box.lane.busy > 0 ? ' · playing' : '';
    const name = `${box.collapsed ? '▸' : '▾'} ${box.lane.name}  (${box.lane.tasks.length})${state}`;
    ctx.fillStyle = palette.laneBg[li % 2];
    ctx.fillRect(2, box.top + 1, ctx.measureText(name).width + 8, LANE_HEADER - 2);
    ctx.fillStyle = palette.text;
    ctx.fillText(name, 6, box.top + LANE_HEADER / 2);
  }
}

/** The hovered task's bar outlined faintly, the selected one's in white. */
export function drawOutlines(frame: Frame): void {
  const outlined: [TaskRecord | null, string][] = [
    [hoveredTask(frame), '#ffffffaa'],
    [frame.selected, '#ffffff'],
  ];
  const { ctx, axis } = frame;
  for (const [task, colour] of outlined) {
    if (!task) continue;
    const box = frame.boxes.find((b) => b.lane === task.lane);
    if (!box) continue;
    const [x0, x1] = barExtent(axis, task, frame.now);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 - 0.5, rowY(box, task) - 0.5, x1 - x0 + 1, ROW_HEIGHT + 1);
  }
}
