/**
 * Timeline frame time in Chromium against web mode, with many tasks on screen
 * (the approach of test/support/e2e/measure-timeline.ts, with its harness): for each
 * count, a fresh page is fed that many synthetic tasks and times 120 redraws
 * while panning, then 60 display frames. Prints one JSON line.
 *
 *   node --import tsx bench/app/workers/timeline.ts [--reps N] COUNT...
 */
import { measureTimeline, startApp, type TimelineFrameStats } from '../../../test/support/e2e/harness';

const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 3;
const counts = args.filter((a, i) => /^\d+$/.test(a) && i !== repsAt + 1).map(Number);

const app = await startApp('bench-timeline');
const results: { tasks: number; runs: TimelineFrameStats[] }[] = [];
try {
  await app.page.evaluate(() => (globalThis as any).__corotone.timeline.frameStats());
  for (const tasks of counts) {
    const runs: TimelineFrameStats[] = [];
    for (let r = 0; r < reps; r++) {
      await app.page.reload();
      await app.page.waitForFunction(() => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
      runs.push(await measureTimeline(app.page, tasks));
      process.stderr.write(`timeline: ${tasks} tasks, run ${r + 1}: ${runs[r].meanMs.toFixed(2)} ms mean draw\n`);
    }
    results.push({ tasks, runs });
  }
  const viewport = app.page.viewportSize();
  const browser = app.browser.version();
  await app.stop();
  process.stdout.write(`${JSON.stringify({ viewport, browser, results })}\n`);
} catch (error) {
  await app.stop();
  throw error;
}
process.exit(0);
