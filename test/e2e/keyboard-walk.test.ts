/**
 * The app without a mouse (issue 18, item 15): from the terminal, where Tab
 * completes, F6 and Shift+F6 move between the panes, each pane has its key,
 * the timeline's keys work once it has the focus, the Examples menu has a key,
 * and Tab reaches every toolbar control. Only the keyboard is used here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('keyboard-walk', { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await app?.stop();
});

/** Which pane holds the focus, as a user sees it highlighted. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as any).document.activeElement;
    if (!el || el === (globalThis as any).document.body) return 'none';
    if (el.closest('header.toolbar')) return `toolbar:${el.id || el.tagName}`;
    if (el.closest('#terminal')) return 'terminal';
    if (el.closest('.timeline-pane')) return 'timeline';
    if (el.closest('#story')) return el.closest('.cm-editor') ? 'editor' : `editor-pane:${el.id || el.tagName}`;
    return `other:${el.id || el.tagName}`;
  });
}

const press = async (page: Page, key: string) => {
  await page.keyboard.press(key);
  await new Promise((r) => setTimeout(r, 50));
};

it('F6 and Shift+F6 cycle the panes from the terminal, and each pane has its key', async () => {
  const { page } = app;
  expect(await focused(page)).toBe('terminal');
  await page.keyboard.type('beep 60 0.2');
  await press(page, 'Enter');
  await press(page, 'F6');
  expect(await focused(page)).toBe('timeline');
  // the editor is closed: it is not in the cycle
  await press(page, 'F6');
  expect(await focused(page)).toMatch(/^toolbar:/);
  await press(page, 'F6');
  expect(await focused(page)).toBe('terminal');
  await press(page, 'Shift+F6');
  expect(await focused(page)).toMatch(/^toolbar:/);
  await press(page, 'Shift+F6');
  expect(await focused(page)).toBe('timeline');
  await press(page, 'Control+Alt+3');
  expect(await page.locator('#story').isVisible()).toBe(true);
  expect(await focused(page)).toBe('editor');
  await press(page, 'F6');
  expect(await focused(page)).toMatch(/^toolbar:/);
  await press(page, 'Shift+F6');
  expect(await focused(page)).toBe('editor');
  await press(page, 'Control+Alt+2');
  expect(await focused(page)).toBe('timeline');
  await press(page, 'Control+Alt+1');
  expect(await focused(page)).toBe('terminal');
  await page.keyboard.type('beep 67 0.2');
  await press(page, 'Enter');
  await until(page, () => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal')?.tasks.some((t: any) => t.name === 'beep 67 0.2'));
});

it("the timeline's keys work once it has the focus", async () => {
  const { page } = app;
  await press(page, 'Control+Alt+2');
  const follow = () => page.evaluate(() => (globalThis as any).__corotone.timeline.follow as boolean);
  const before = await follow();
  await press(page, 'f');
  expect(await follow()).toBe(!before);
  await press(page, 'f');
  expect(await follow()).toBe(before);
  // typed keys went to the timeline, not to the terminal's line
  expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe('');
});

it('Tab reaches every toolbar control, and the Examples menu has a key that plays a lesson chosen with the arrows', async () => {
  const { page } = app;
  await press(page, 'Control+Alt+1');
  await press(page, 'Shift+F6');
  expect(await focused(page)).toMatch(/^toolbar:/);
  const reached = new Set<string>([await focused(page)]);
  for (let i = 0; i < 30; i++) {
    await press(page, 'Tab');
    const where = await focused(page);
    if (!where.startsWith('toolbar:')) break;
    reached.add(where);
  }
  for (const id of ['volume', 'waveform', 'lookahead', 'examples', 'story-toggle', 'open', 'export-audio', 'record', 'save-session', 'panic', 'theme-toggle', 'speed']) {
    expect([...reached]).toContain(`toolbar:${id}`);
  }
  await until(page, () => (globalThis as any).__corotone.examplesReady);
  await press(page, 'Control+Alt+1');
  await press(page, 'Control+Alt+E');
  expect(await focused(page)).toBe('toolbar:examples');
  const tabs = await page.locator('#editor-tabs [data-buffer]').count();
  await press(page, 'ArrowDown');
  await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#editor-tabs [data-buffer]').length > n, tabs);
  const first = await page.locator('#examples option').nth(1).getAttribute('value');
  expect(await page.locator('#editor-tabs [aria-selected="true"]').getAttribute('data-buffer')).toBe(first);
});

it("Tab reaches the editor pane's and the timeline's buttons from their panes", async () => {
  const { page } = app;
  const ids = () => page.evaluate(() => (globalThis as any).document.activeElement?.id as string);
  const walk = async (key: string, inside: string) => {
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await press(page, key);
      const inPane = await page.evaluate((sel) => !!(globalThis as any).document.activeElement?.closest(sel), inside);
      if (!inPane) break;
      reached.add(await ids());
    }
    return [...reached];
  };
  await press(page, 'Control+Alt+3');
  expect(await focused(page)).toBe('editor');
  // the pane's buttons are above the code: Shift+Tab goes back through them
  const editorButtons = await walk('Shift+Tab', '#story');
  for (const id of ['story-play', 'editor-run-line', 'story-stop', 'editor-wrap', 'editor-python', 'help-tab', 'story-close']) expect(editorButtons).toContain(id);
  await press(page, 'Control+Alt+2');
  const timelineButtons = await walk('Tab', '.timeline-pane');
  for (const id of ['follow', 'zoom-out', 'zoom-in', 'zoom-fit']) expect(timelineButtons).toContain(id);
});
