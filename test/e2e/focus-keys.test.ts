/**
 * Focus and keys (issue 10, items 3, 4 and 10): typing goes to the terminal,
 * never to a button; Escape and a resize close the detail card; a task's
 * tooltip places it as its errors do (source:line:col); every toolbar action
 * has a key, shown in its tooltip.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('focus-keys', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

/** The newest terminal line task whose line is `text`. */
async function lineTask(page: Page, text: string): Promise<{ id: number; pos: { source: string; line: number; col: number } }> {
  const handle = await page.waitForFunction(
    (t) => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      const task = lane?.tasks.findLast((x: any) => x.kind === 'line' && x.name === t);
      return task ? { id: task.id as number, pos: task.pos } : null;
    },
    text,
    { timeout: 15_000, polling: 50 },
  );
  return (await handle.jsonValue())!;
}

/** Move the pointer over a task's bar (fitted into view first); returns where it is on the page. */
async function pointAt(page: Page, id: number): Promise<{ x: number; y: number }> {
  // A typed line starts an input lookahead after it arrives, and nothing past now is drawn: wait until its bar shows.
  await page.waitForFunction(
    (taskId) => {
      const app = (globalThis as any).__corotone;
      return app.timelineNow() > app.model.task(taskId).start + 0.1;
    },
    id,
    { timeout: 15_000, polling: 50 },
  );
  const spot = await page.evaluate((taskId) => {
    const app = (globalThis as any).__corotone;
    const task = app.model.task(taskId);
    app.timeline.setFollow(false);
    app.timeline.fit(task.start - 0.5, (task.end == null || Number.isNaN(task.end) ? app.timelineNow() : task.end) + 0.5);
    app.timeline.scrollY = 0;
    app.timeline.frame(true);
    return app.timeline.locate(taskId);
  }, id);
  expect(spot).not.toBeNull();
  const box = (await page.locator('#timeline-canvas').boundingBox())!;
  const at = { x: box.x + spot!.x, y: box.y + spot!.y };
  await page.mouse.move(at.x, at.y);
  return at;
}

it('a click on a toolbar button leaves typing to the terminal: Enter and Space do not press it again', async () => {
  const { page } = app;
  let downloads = 0;
  page.on('download', () => downloads++);
  await typeLine(page, 'beep 69 0.1');
  await page.locator('#save-session').click();
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('downloaded'));
  const follow = () => page.evaluate(() => (globalThis as any).__corotone.timeline.follow as boolean);
  const before = await follow();
  await page.locator('#follow').click();
  expect(await follow()).toBe(!before);
  // typed text reaches the terminal's line, with its spaces; Enter runs it
  await page.keyboard.type('beep 72 0.1');
  expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe('beep 72 0.1');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  await lineTask(page, 'beep 72 0.1');
  expect(await follow()).toBe(!before);
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.tagName)).not.toBe('BUTTON');
  expect(downloads).toBe(1);
});

it('Escape closes the detail card, and so does a resize', async () => {
  const { page } = app;
  await typeLine(page, 'beep 64 0.5');
  const task = await lineTask(page, 'beep 64 0.5');
  const at = await pointAt(page, task.id);
  await page.mouse.click(at.x, at.y);
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(false);
  // Escape with the focus in the terminal closes it too
  await page.mouse.click(at.x, at.y);
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(true);
  await page.locator('.xterm').click();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(false);
  await page.mouse.click(at.x, at.y);
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(true);
  await page.setViewportSize({ width: 1300, height: 860 });
  await expect.poll(() => page.locator('#detail').isVisible()).toBe(false);
  await page.setViewportSize({ width: 1440, height: 900 });
});

it("a task's tooltip places it as its errors do: source:line:col", async () => {
  const { page } = app;
  await typeLine(page, 'beep 67 0.5');
  const task = await lineTask(page, 'beep 67 0.5');
  // an error on the next line, numbered the same way
  await typeLine(page, 'beep 67 x');
  const error = await until(page, () => /terminal:(\d+):(\d+): error:/.exec((globalThis as any).__corotone.terminal.screenText().split('> beep 67 x')[1] ?? '')?.[1]);
  expect(Number(error)).toBe(task.pos.line + 1);
  await pointAt(page, task.id);
  await expect.poll(() => page.locator('#tooltip').innerText()).toContain('beep 67 0.5');
  const tip = await page.locator('#tooltip').innerText();
  expect(tip).toContain(`terminal:${task.pos.line}:${task.pos.col}`);
  expect(tip).not.toMatch(/\bline #\d+/);
});

it('every toolbar action has a key, shown in its tooltip, and the key does it', async () => {
  const { page } = app;
  const titles = await page.evaluate(() =>
    [...(globalThis as any).document.querySelectorAll('.toolbar button, .timeline-tools button')].map((b: any) => ({ id: b.id, title: b.title as string })),
  );
  expect(titles.length).toBeGreaterThanOrEqual(9);
  for (const { id, title } of titles) expect(title, id).toMatch(/\(([^()]+)\)$/);
  const saveKeys = /\(([^()]+)\)$/.exec(titles.find((t) => t.id === 'save-session')!.title)![1];
  expect(saveKeys).toBe('Ctrl+Shift+S');
  // the keys do what the buttons do
  await page.locator('.xterm').click();
  const downloading = page.waitForEvent('download', { timeout: 30_000 });
  await page.keyboard.press('Control+Shift+S');
  expect((await downloading).suggestedFilename()).toMatch(/\.txt$/);
  await page.locator('#timeline-canvas').focus();
  await page.evaluate(() => (globalThis as any).__corotone.timeline.setFollow(true));
  await page.keyboard.press('0');
  expect(await page.evaluate(() => (globalThis as any).__corotone.timeline.follow)).toBe(false);
  // and Ctrl+/ lists them all in the terminal
  await page.locator('.xterm').click();
  await page.keyboard.press('Control+/');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('keyboard shortcuts:'));
  expect(await terminalText(page)).toContain('Ctrl+Shift+S');
  // and so does the line `help keys`, answered in the page (the host has no such command)
  await typeLine(page, 'help keys');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().split('keyboard shortcuts:').length === 3);
  const listed = (await terminalText(page)).split('help keys').pop()!;
  expect(listed).toContain('keyboard shortcuts:');
  expect(listed).toMatch(/Ctrl\+Shift\+S +anywhere +save the session/);
  expect(listed).toMatch(/Ctrl\+Alt\+R +anywhere +record what is heard/);
  expect(listed).not.toContain('unknown command');
});
