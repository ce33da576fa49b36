/**
 * Key to sound (issue 18, item 17): a typed line's first note is not held for
 * the host's batch interval, and the page places it with the input lookahead
 * rather than the script lookahead; a script's phrase after it gets the full
 * lookahead again. Structure, not wall-clock: the host's batcher is watched in
 * this process (web mode's host runs here), and the page's player says when
 * each event arrived on its audio clock and when it placed it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventBatcher } from '../../src/node/app-session/batcher';
import type { SessionEvent } from '../../src/core/session/api';
import { openScript, startApp, typeLine, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;
/** For each note that started sounding: in how many ms its batch was due when the host queued it. */
const dueWhenQueued = new Map<number, number | null | undefined>();
const push = EventBatcher.prototype.push;

beforeAll(async () => {
  EventBatcher.prototype.push = function (this: EventBatcher, event: SessionEvent) {
    push.call(this, event);
    if (event.type === 'notes') for (const n of event.notes) if (!dueWhenQueued.has(n)) dueWhenQueued.set(n, this.dueInMs);
  };
  app = await startApp('key-latency');
});

afterAll(async () => {
  EventBatcher.prototype.push = push;
  await app?.stop();
});

/** The first change the page's player made for `note`: its audio time, and the audio clock's time when it arrived. */
async function placed(note: number): Promise<{ at: number; arrived: number; lookahead: number; input: number }> {
  const found = await app.page.waitForFunction(
    (note) => {
      const a = (globalThis as any).__corotone.audio;
      const c = a.playedChanges.find((ch: any) => ch.notes.includes(note));
      return c && { at: c.at as number, arrived: c.arrived as number, lookahead: a.lookahead as number, input: a.inputLookahead as number };
    },
    note,
    { timeout: 15_000, polling: 50 },
  );
  return (await found.jsonValue()) as { at: number; arrived: number; lookahead: number; input: number };
}

it("a typed line's first note goes at once and sounds one input lookahead after it arrives; a script's, one full lookahead", async () => {
  const { page } = app;
  await typeLine(page, 'beep 70 0.05');
  const typed = await placed(70);
  // its batch did not wait for the interval: it was due at the end of the host's turn
  expect(dueWhenQueued.get(70)).toBe(0);
  expect(typed.input).toBeLessThan(typed.lookahead);
  expect(typed.at - typed.arrived).toBeCloseTo(typed.input, 6);

  // a script started after a rest: its first note gets the full lookahead back
  await page.waitForTimeout(600);
  await openScript(page, 'phrase.txt', 'beep 72 0.05\n');
  const script = await placed(72);
  expect(script.at - script.arrived).toBeCloseTo(script.lookahead, 6);
});
