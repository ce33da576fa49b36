import { describe, expect, it } from 'vitest';
import { Session, type SessionEvent } from '../../../src/core/session';
import { TimeAxis, layoutConnectors, layoutLanes } from '../../../src/renderer/timeline/layout';
import { TimelineModel } from '../../../src/renderer/timeline/model';

function modelOf(lines: string[]): { model: TimelineModel; events: SessionEvent[] } {
  const session = new Session();
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  session.loadScript('s.txt', lines.join('\n'));
  session.scheduler.runUntilIdle(6);
  const model = new TimelineModel();
  for (const e of events) model.apply(e);
  return { model, events };
}

describe('the timeline draws cue and sync', () => {
  it('a connector from the cue to each sync it woke, at the cue', () => {
    const { model, events } = modelOf(['sync go; beep C5 1 &', 'sync go; beep E5 1 &', 'wait 2', 'cue go']);
    const cue = events.find((e) => e.type === 'cue')!;
    const connectors = layoutConnectors(new TimeAxis(0, 100, 800), layoutLanes(model)).filter((c) => c.kind === 'cue');
    expect(connectors.map((c) => [c.t, c.to.id]).sort()).toEqual(cue.type === 'cue' ? cue.woke.map((id) => [2, id]).sort() : []);
    expect(connectors.every((c) => c.x === 200)).toBe(true);
  });

  it('marks where a live loop took its new body', () => {
    const { model } = modelOf(['live x beep C5 1', 'wait 1.5', 'live x beep E5 1']);
    // from then on the loop's bar, and where its code is, are those of the body that plays
    expect(model.lanes[0].swaps.map((s) => [s.t, s.name, s.text, s.task.name, s.task.pos?.line])).toEqual([[2, 'x', 'live x beep E5 1', 'live x beep E5 1', 3]]);
  });
});
