/**
 * Frame time of the timeline with many tasks on screen, in Chromium against
 * web mode (for `npm run bench`): `npx tsx test/support/e2e/measure-timeline.ts [tasks...]`
 * prints one JSON line per task count.
 */
import { measureTimeline, startApp } from './harness';

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const app = await startApp('measure');
try {
  for (const tasks of counts.length > 0 ? counts : [10_000]) {
    await app.page.reload();
    await app.page.waitForFunction(() => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
    const stats = await measureTimeline(app.page, tasks);
    process.stdout.write(`${JSON.stringify({ tasks, viewport: app.page.viewportSize(), ...stats })}\n`);
  }
} finally {
  await app.stop();
}
