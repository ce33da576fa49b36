/**
 * The light theme in Chromium: it follows prefers-color-scheme, the toggle
 * (and Ctrl+Alt+D) switches it, the timeline's canvas and the terminal take
 * its colours, and every visible text on the page meets WCAG AA contrast
 * against what it is drawn on, in both themes (an axe-like check).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('theme', { viewport: { width: 1440, height: 900 } });
  await typeLine(app.page, 'chord 0.4 60 64 67');
  await typeLine(app.page, 'fail on purpose');
});

afterAll(async () => {
  await app?.stop();
});

/** Relative luminance of the timeline canvas's top-left pixels and of the page's background, 0 (black) to 1. */
function brightness(page: Page): Promise<{ canvas: number; body: number; terminal: number }> {
  return page.evaluate(() => {
    const app = (globalThis as any).__corotone;
    app.timeline.frame(true);
    const doc = (globalThis as any).document;
    const canvas = doc.getElementById('timeline-canvas');
    const [r, g, b] = canvas.getContext('2d').getImageData(canvas.width - 3, canvas.height - 3, 1, 1).data;
    const parse = (c: string) => (c.match(/\d+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const level = ([x, y, z]: number[]) => (0.2126 * x + 0.7152 * y + 0.0722 * z) / 255;
    const view = (globalThis as any).getComputedStyle;
    return {
      canvas: level([r, g, b]),
      body: level(parse(view(doc.body).backgroundColor)),
      terminal: level(parse(view(doc.querySelector('.xterm-viewport')).backgroundColor)),
    };
  });
}

/** Every visible element with text of its own whose contrast is below AA (4.5:1; 3:1 for large text). */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const doc = g.document;
    const rgba = (c: string) => {
      const n = (c.match(/[\d.]+/g) ?? []).map(Number);
      return { r: n[0] ?? 0, g: n[1] ?? 0, b: n[2] ?? 0, a: n.length > 3 ? n[3] : 1 };
    };
    const lum = ({ r, g: gg, b }: { r: number; g: number; b: number }) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(gg) + 0.0722 * f(b);
    };
    const background = (el: any) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(g.getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c;
      }
      return rgba(g.getComputedStyle(doc.body).backgroundColor);
    };
    const bad: string[] = [];
    for (const el of doc.querySelectorAll('body *')) {
      if (el.closest('[hidden]') || el.disabled || el.closest('.xterm-helpers')) continue;
      const own = [...el.childNodes].some((n: any) => n.nodeType === 3 && n.textContent.trim() !== '');
      if (!own) continue;
      const box = el.getBoundingClientRect();
      const style = g.getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) continue;
      const fg = rgba(style.color);
      const bg = background(el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return bad;
  });
}

it('follows the system: light when it prefers light, dark when it prefers dark, canvas and terminal too', async () => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'light' });
  // the page hears of the change in an event of its own: look again until it has
  await expect.poll(async () => (await brightness(page)).canvas).toBeGreaterThan(0.8);
  expect((await brightness(page)).body).toBeGreaterThan(0.8);
  await until(page, () => {
    const v = (globalThis as any).document.querySelector('.xterm-viewport');
    return (globalThis as any).getComputedStyle(v).backgroundColor !== 'rgb(15, 18, 23)';
  });
  expect((await brightness(page)).terminal).toBeGreaterThan(0.8);
  expect(await lowContrast(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await brightness(page)).canvas).toBeLessThan(0.1);
  expect((await brightness(page)).body).toBeLessThan(0.1);
  expect(await lowContrast(page)).toEqual([]);
});

it('the toggle and Ctrl+Alt+D switch the theme, and the choice outlasts a reload', async () => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.locator('#theme-toggle').click();
  expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme)).toBe('light');
  expect((await brightness(page)).canvas).toBeGreaterThan(0.8);
  expect(await page.locator('#theme-toggle').getAttribute('aria-label')).toBe('Switch to the dark theme');
  await page.reload();
  await until(page, () => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
  expect((await brightness(page)).body).toBeGreaterThan(0.8);
  await page.locator('.xterm').click();
  await page.keyboard.press('Control+Alt+D');
  expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.theme)).toBe('dark');
  expect((await brightness(page)).canvas).toBeLessThan(0.1);
});
