/**
 * Who awaits whom, who cued whom, and which end cancelled which sibling.
 * Waits: a bracket from the waiter to each task it waits on, where the wait
 * began, with an arrowhead into the awaited bar. Cues: straight from the cue
 * to the sync it woke. Cancellations: a red (failure) or yellow (race winner,
 * timer) bracket from the end of the task that did it to each sibling's end,
 * crossed out; it flashes just after it happens. The hovered (or selected)
 * task's connectors are drawn brighter.
 */
import { layoutConnectors, type Connector } from '../layout';
import { STATE } from '../model';
import { STATE_COLOURS, palette } from '../palette';
import { hoveredTask, type Frame } from './frame';

/** Logical seconds a cancellation's connector flashes after it happened. */
const FLASH_SECONDS = 0.8;

/** Draws the connectors of the lanes on screen; returns how many there are. */
export function drawConnectors(frame: Frame): number {
  const connectors = layoutConnectors(frame.axis, frame.boxes, undefined, frame.now);
  if (connectors.length === 0) return 0;
  const { ctx, now } = frame;
  const hovered = hoveredTask(frame) ?? frame.selected;
  const lines = (kind: Connector['kind'], colour: string, width: number, pick: (c: Connector) => boolean) =>
    strokeConnectors(ctx, connectors, kind, colour, width, pick);
  const mine = (c: Connector) => c.from === hovered || c.to === hovered;
  ctx.globalAlpha = 0.75;
  lines('wait', palette.waitLine, 1, (c) => !mine(c));
  ctx.globalAlpha = 1;
  lines('cue', palette.cueLine, 1.25, (c) => !mine(c));
  lines('cancel', palette.cancelLine, 1.5, (c) => c.from.state === STATE.failed && !mine(c));
  lines('cancel', STATE_COLOURS[STATE.cancelled], 1.5, (c) => c.from.state !== STATE.failed && !mine(c));
  // a fresh cancellation flashes: a wide halo that fades over FLASH_SECONDS
  const fresh = connectors.filter((c) => c.kind === 'cancel' && now - c.t >= 0 && now - c.t < FLASH_SECONDS);
  if (fresh.length > 0) {
    const set = new Set(fresh);
    ctx.globalAlpha = Math.max(0, 1 - (now - fresh[0].t) / FLASH_SECONDS) * 0.6;
    lines('cancel', palette.cancelLine, 5, (c) => set.has(c));
    ctx.globalAlpha = 1;
  }
  if (hovered) {
    lines('wait', '#ffffff', 1.5, mine);
    lines('cue', '#ffffff', 1.5, mine);
    lines('cancel', '#ffffff', 2, mine);
  }
  return connectors.length;
}

/** Strokes, as one path, the connectors of one kind that `pick` takes. */
function strokeConnectors(
  ctx: CanvasRenderingContext2D,
  connectors: readonly Connector[],
  kind: Connector['kind'],
  colour: string,
  width: number,
  pick: (c: Connector) => boolean,
): void {
  ctx.beginPath();
  let any = false;
  for (const c of connectors) {
    if (c.kind !== kind || !pick(c)) continue;
    any = true;
    traceConnector(ctx, c, Math.round(c.x) + 0.5);
  }
  if (!any) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
}

function traceConnector(ctx: CanvasRenderingContext2D, c: Connector, x: number): void {
  if (c.kind === 'cue') {
    // straight from the cue to the sync it woke (both at the cue's time), an arrow into the sync
    const down = c.y1 >= c.y0 ? 1 : -1;
    ctx.moveTo(x, c.y0);
    ctx.lineTo(x, c.y1);
    ctx.moveTo(x - 3, c.y1 - 4 * down);
    ctx.lineTo(x, c.y1);
    ctx.lineTo(x + 3, c.y1 - 4 * down);
  } else if (c.kind === 'wait') {
    // a bracket just left of where the wait began: down (or up) from the waiter, then an arrow into the awaited bar
    const spine = x - 5;
    ctx.moveTo(x, c.y0);
    ctx.lineTo(spine, c.y0);
    ctx.lineTo(spine, c.y1);
    ctx.lineTo(x + 1, c.y1);
    ctx.moveTo(x - 2, c.y1 - 3);
    ctx.lineTo(x + 1, c.y1);
    ctx.lineTo(x - 2, c.y1 + 3);
  } else {
    // from the end that did it, just right of it, to the sibling's end, crossed out
    const spine = x + 5;
    ctx.moveTo(x, c.y0);
    ctx.lineTo(spine, c.y0);
    ctx.lineTo(spine, c.y1);
    ctx.lineTo(x + 1, c.y1);
    ctx.moveTo(spine - 3, c.y1 - 3);
    ctx.lineTo(spine + 3, c.y1 + 3);
    ctx.moveTo(spine + 3, c.y1 - 3);
    ctx.lineTo(spine - 3, c.y1 + 3);
  }
}
