/**
 * The playhead of the code: which lines of a source its tasks are executing
 * at a time, read from the timeline model's record of every task's states, so
 * it is drawn at the time the sound is heard (the heard clock), not when the
 * host said so (ahead by the lookahead).
 */
import { STATE, type Lane, type StateCode, type TaskRecord } from '../timeline/model';

/** What a line is doing: playing (a task running or sleeping in it) or waiting (on others). */
export type LineActivity = 'playing' | 'waiting';

/** A task's state at time `t` (timeline coordinates), or null when it was not alive then. */
export function stateAt(task: TaskRecord, t: number): StateCode | null {
  if (t < task.start || (!Number.isNaN(task.end) && t >= task.end)) return null;
  let state: StateCode | null = null;
  for (let i = 0; i < task.segStart.length && task.segStart[i] <= t; i++) state = task.segState[i];
  return state ?? task.state;
}

/**
 * The lines of `source` that live tasks of its lane execute at `t`: a line
 * with a task running or sleeping in it plays; one whose tasks all wait (on a
 * join, a gather) or are ready waits.
 */
export function liveLines(lane: Pick<Lane, 'forEachVisible'>, source: string, t: number): Map<number, LineActivity> {
  const lines = new Map<number, LineActivity>();
  // The lane skips whole chunks of tasks that ended before t (a long session's loops make many).
  lane.forEachVisible(t, t, (task) => {
    if (task.kind === 'source' || task.pos === null || task.pos.source !== source) return;
    const state = stateAt(task, t);
    if (state === null || state >= STATE.done) return;
    const playing = state === STATE.running || state === STATE.sleeping || state === STATE.blocking;
    if (playing) lines.set(task.pos.line, 'playing');
    else if (!lines.has(task.pos.line)) lines.set(task.pos.line, 'waiting');
  });
  return lines;
}
