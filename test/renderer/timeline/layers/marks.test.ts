import { describe, expect, it } from 'vitest';
import { Session, type SessionEvent } from '../../../../src/core/session';
import { drawSteps } from '../../../../src/renderer/timeline/layers/marks';
import type { Frame } from '../../../../src/renderer/timeline/layers/frame';
import { TimeAxis, layoutLanes, rowY } from '../../../../src/renderer/timeline/layout';
import { TimelineModel } from '../../../../src/renderer/timeline/model';

function modelOf(lines: string[]): TimelineModel {
  const session = new Session();
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript('s.txt', lines.join('\n'));
  session.scheduler.runUntilIdle(10);
  const model = new TimelineModel();
  for (const e of events) model.apply(e);
  return model;
}

/** The rectangles drawStep fills, as x, y, w, h (a canvas that records). */
function drawnSteps(model: TimelineModel, axis: TimeAxis, now = 10) {
  const rects: number[][] = [];
  const ctx = { fillRect: (...r: number[]) => rects.push(r), fillStyle: '' } as unknown as CanvasRenderingContext2D;
  const boxes = layoutLanes(model);
  const frame = { ctx, model, axis, now, width: 800, height: 600, t0: 0, t1: 10, boxes, hover: null, selected: null } as unknown as Frame;
  drawSteps(frame);
  return { rects, boxes };
}

describe("a pattern's steps on the timeline", () => {
  it("keeps each step of a seq on its task's lane, in time order, sounding or not", () => {
    const model = modelOf(['seq 0.5 C5 _ [E5 G5] C5', 'euclid 3 8 0.25 beep C5 0.125']);
    const steps = model.lanes[0].steps;
    expect(steps.map((s) => `${s.t}${s.hit ? 'x' : '.'} ${s.task.name}`)).toEqual([
      '0x seq 0.5 C5 _ [E5 G5] C5',
      '0.5. seq 0.5 C5 _ [E5 G5] C5',
      '1x seq 0.5 C5 _ [E5 G5] C5',
      '1.5x seq 0.5 C5 _ [E5 G5] C5',
      ...['2x', '2.25.', '2.5.', '2.75x', '3.', '3.25.', '3.5x', '3.75.'].map((s) => `${s} euclid 3 8 0.25 beep C5 0.125`),
    ]);
  });

  it('draws a tick at each step across its bar: full height for a hit, short for a rest', () => {
    const model = modelOf(['seq 0.5 C5 _ [E5 G5] C5']);
    const { rects, boxes } = drawnSteps(model, new TimeAxis(0, 100, 800));
    const top = rowY(boxes[0], model.lanes[0].steps[0].task);
    expect(rects.map(([x]) => x)).toEqual([0, 50, 100, 150]);
    expect(rects[1][1]).toBeGreaterThan(rects[0][1]);
    expect(rects[0][1]).toBe(top + 1);
    expect(rects[0][3]).toBeGreaterThan(3 * rects[1][3]);
  });

  it('draws nothing past now, and does not tell apart steps closer than a few pixels', () => {
    const model = modelOf(['seq 0.5 C5 _ [E5 G5] C5']);
    expect(drawnSteps(model, new TimeAxis(0, 100, 800), 0.75).rects.length).toBe(2);
    // 2 px a second: four steps within 3 px
    expect(drawnSteps(model, new TimeAxis(0, 2, 800)).rects.length).toBe(1);
  });
});
