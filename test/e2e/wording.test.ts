/**
 * What the app says, read as a newcomer reads it (issue 18, item 5): panic
 * says what it silenced, `help beep` says beats and only what beep needs, an
 * unknown command gets a hint rather than a red list of every command, and the
 * lookahead box says what its number is at 1024 px.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('wording', { viewport: { width: 1024, height: 700 } });
});

afterAll(async () => {
  await app?.stop();
});

/** The screen's lines (xterm's wrapped rows joined) printed after the typed line `line`, up to the next prompt. */
async function answer(page: Page, line: string): Promise<string[]> {
  const lines: string[] = await page.evaluate(() => {
    const buffer = (globalThis as any).__corotone.terminal.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const row = buffer.getLine(i);
      const text = row.translateToString(true);
      if (row.isWrapped && out.length > 0) out[out.length - 1] += text;
      else out.push(text);
    }
    return out.map((l) => l.trimEnd());
  });
  const at = lines.lastIndexOf(`> ${line}`);
  expect(at).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => l.startsWith('>'));
  return end < 0 ? rest : rest.slice(0, end);
}

const settle = () => new Promise((r) => setTimeout(r, 400));

it('panic typed says what it cancelled and what it silenced', async () => {
  const { page } = app;
  await typeLine(page, 'loop beep C5 0.25 &');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('[t1]'));
  await typeLine(page, 'panic');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('panic: cancelled'));
  await settle();
  const said = (await answer(page, 'panic')).join(' ');
  expect(said).toMatch(/panic: cancelled 1 task, silenced \S+/);
});

it('help beep says S is beats, and shows only the legend lines beep needs', async () => {
  const { page } = app;
  await typeLine(page, 'help beep');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('example: beep'));
  await settle();
  const said = await answer(page, 'help beep');
  const text = said.join('\n');
  expect(text).toMatch(/^beep N \[S\]/);
  expect(text).not.toMatch(/S seconds/);
  expect(text).toMatch(/S beats/);
  expect(text).toMatch(/^S is beats/m);
  expect(text).toMatch(/^N is a note/m);
  // the general lines (tasks' names, voices, CMD) are help's, not beep's
  expect(text).not.toMatch(/Task names|CMD is a command|Every note is a voice/);
  expect(said.length).toBeLessThanOrEqual(12);
});

it('an unknown command gets a hint, not the list of every command', async () => {
  const { page } = app;
  await typeLine(page, 'chrod 0.5 C4 E4');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('unknown command'));
  await settle();
  const text = (await answer(page, 'chrod 0.5 C4 E4')).join('\n');
  expect(text).toContain('unknown command "chrod"');
  expect(text).toContain('did you mean "chord"?');
  expect(text).not.toMatch(/offload|settle|remove/);
});

it('at 1024 px the lookahead box says what its number is', async () => {
  const { page } = app;
  const label = page.locator('label:has(#lookahead)');
  const shown = await label.evaluate((el) => (el as any).innerText);
  expect(shown).toMatch(/lookahead/);
  expect(shown).toMatch(/ms/);
  // the toolbar stays one row
  const tops = await page.locator('header.toolbar > *').evaluateAll((els) => els.filter((e) => (e as any).offsetParent !== null).map((e) => Math.round(e.getBoundingClientRect().bottom)));
  const header = (await page.locator('header.toolbar').boundingBox())!;
  for (const b of tops) expect(b).toBeLessThanOrEqual(header.y + header.height);
  expect(header.height).toBeLessThan(60);
});
