/**
 * Late events of a typed loop while the user types on (the key-to-sound
 * section's last table): `loop beep 40 0.1; wait 0.25` is typed into the
 * terminal, then 20 lines (`help`, a key every 40 ms, one line every 500 ms).
 * The loop's notes are a typed line's, placed with the input lookahead; each
 * key may hold the page's messages until the next frame (Chromium's
 * DeferRendererTasksAfterInput, which the desktop app turns off), so a note
 * that comes back while a key is being drawn comes later than the loop's first.
 * Prints one JSON line: the late events and by how much (ms).
 *
 *   node --import tsx bench/app/workers/latency-loop.ts [--lines N] [--shell-switches]
 */
import { startApp } from '../../../test/support/e2e/harness';
import { chromiumFeatureArgs } from '../../../src/main/chromium-switches';

const args = process.argv.slice(2);
const lines = args.includes('--lines') ? Number(args[args.indexOf('--lines') + 1]) : 20;
const shellSwitches = args.includes('--shell-switches');

const app = await startApp('bench-latency-loop', { args: shellSwitches ? chromiumFeatureArgs() : [] });
try {
  const { page } = app;
  await page.locator('.xterm').click();
  await page.keyboard.type('loop beep 40 0.1; wait 0.25');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  const late0: number = await page.evaluate(() => (globalThis as any).__corotone.audio.lateCount);
  const start = Date.now();
  for (let i = 0; i < lines; i++) {
    await page.keyboard.type('help', { delay: 40 });
    await page.keyboard.press('Enter');
    const wait = (i + 1) * 500 - (Date.now() - start);
    if (wait > 0) await page.waitForTimeout(wait);
  }
  const result = await page.evaluate((late0) => {
    const a = (globalThis as any).__corotone.audio;
    const changes = a.playedChanges as { late: boolean; lateBy: number; notes: number[] }[];
    return {
      late: (a.lateCount as number) - late0,
      lateByMs: changes.filter((c) => c.late).map((c) => +(c.lateBy * 1000).toFixed(1)),
      notes: changes.filter((c) => c.notes.length > 0).length,
      inputLookahead: a.inputLookahead as number,
    };
  }, late0);
  await app.stop();
  process.stdout.write(`${JSON.stringify({ lines, shellSwitches, ...result })}\n`);
} catch (error) {
  await app.stop();
  throw error;
}
process.exit(0);
