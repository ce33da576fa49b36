/**
 * What every layer of the timeline draws from: the canvas, the model and the
 * viewport of this frame. The view makes one per frame; a layer is a function
 * of it (as Perfetto has a renderer per kind of track).
 */
import type { Hit, LaneBox, TimeAxis } from '../layout';
import { lanesTop } from '../layout';
import type { TaskRecord, TimelineModel } from '../model';

export interface Frame {
  readonly ctx: CanvasRenderingContext2D;
  readonly model: TimelineModel;
  readonly axis: TimeAxis;
  /** Logical time now: it ends the tasks and notes still open. */
  readonly now: number;
  /** The canvas's size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** The time range on screen, widened by the hit slop at both sides. */
  readonly t0: number;
  readonly t1: number;
  /** The lanes as laid out this frame (scrolled, collapsed or not). */
  readonly boxes: readonly LaneBox[];
  readonly hover: Hit;
  readonly selected: TaskRecord | null;
  /** The session's logical time its clock is paused at, or null while it runs. */
  readonly pausedAt: number | null;
  /** The moment the user picked with a click (replay from here), or null. */
  readonly picked: number | null;
}

/** Whether any of a lane shows between the piano roll and the canvas's foot. */
export function laneOnScreen(frame: Frame, box: LaneBox, height = box.height): boolean {
  return !(box.top > frame.height || box.top + height < lanesTop());
}

/** The task under the pointer, if it is one. */
export function hoveredTask(frame: Frame): TaskRecord | null {
  return frame.hover && frame.hover.kind === 'task' ? frame.hover.task : null;
}
