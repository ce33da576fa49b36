/** A task's state as the timeline keeps it: a small code, the index of its name and of its colour. */
export const STATE = {
  ready: 0,
  running: 1,
  sleeping: 2,
  blocking: 3,
  waiting: 4,
  done: 5,
  failed: 6,
  cancelled: 7,
} as const;
export type StateCode = (typeof STATE)[keyof typeof STATE];
export const STATE_NAMES = ['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled'] as const;
export const STATE_COUNT = STATE_NAMES.length;

export function stateCode(name: string): StateCode {
  const i = (STATE_NAMES as readonly string[]).indexOf(name);
  return (i < 0 ? STATE.ready : i) as StateCode;
}
