/**
 * Both themes' text colours against what they are drawn on, by WCAG 2's
 * contrast ratio: AA is 4.5:1 for text (3:1 for the timeline's large marks).
 */
import { describe, expect, it } from 'vitest';

// Vite hands a .css file to its CSS pipeline even with ?raw: read the file as it is (this suite runs in Node).
const fsModule = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ fsModule)) as { readFileSync(path: URL, encoding: 'utf8'): string };
const css = readFileSync(new URL('../../src/renderer/styles.css', import.meta.url), 'utf8');

function variables(block: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,8})/g)) vars.set(m[1], m[2]);
  return vars;
}

function blockAfter(selector: string): string {
  const at = css.indexOf(selector);
  expect(at).toBeGreaterThanOrEqual(0);
  const open = css.indexOf('{', at);
  return css.slice(open + 1, css.indexOf('}', open));
}

const dark = variables(blockAfter(':root {'));
const light = variables(blockAfter(":root[data-theme='light'] {"));
const lightBySystem = variables(blockAfter(":root:not([data-theme='dark']) {"));

function rgb(hex: string, over?: [number, number, number]): [number, number, number] {
  const h = hex.slice(1);
  const full = h.length <= 4 ? [...h].map((c) => c + c).join('') : h;
  const channels = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  const alpha = full.length === 8 ? parseInt(full.slice(6, 8), 16) / 255 : 1;
  if (alpha === 1 || !over) return channels as [number, number, number];
  return channels.map((c, i) => c * alpha + over[i] * (1 - alpha)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(fg: [number, number, number], bg: [number, number, number]): number {
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

/** Text colour, background, the ratio it needs. */
const PAIRS: [string, string, number][] = [
  ['text', 'bg', 4.5], ['text', 'panel', 4.5], ['dim', 'bg', 4.5], ['dim', 'panel', 4.5], ['text', 'control-bg', 4.5],
  ['accent', 'bg', 4.5], ['accent', 'panel', 4.5], ['warn', 'panel', 4.5], ['warn', 'banner-bg', 4.5], ['danger', 'bg', 4.5],
  ['danger-text', 'control-bg', 4.5], ['accent', 'on-bg', 4.5], ['strong', 'panel', 4.5], ['error-text', 'tip-bg', 4.5],
  ['wait-text', 'tip-bg', 4.5], ['dim', 'tip-bg', 4.5], ['source-text', 'source-bg', 4.5], ['script-text', 'term-bg', 4.5],
  ['script-readonly', 'term-bg', 4.5], ['warn', 'panel', 4.5],
  ['ed-text', 'ed-bg', 4.5], ['ed-gutter-text', 'ed-gutter-bg', 4.5], ['text', 'ed-tab-selected', 4.5], ['text', 'ed-tooltip-bg', 4.5],
  ['term-fg', 'term-bg', 4.5], ['term-red', 'term-bg', 4.5], ['term-green', 'term-bg', 4.5], ['term-yellow', 'term-bg', 4.5],
  ['term-cyan', 'term-bg', 4.5], ['term-grey', 'term-bg', 4.5],
  ['term-bright-red', 'term-bg', 4.5], ['term-bright-green', 'term-bg', 4.5], ['term-bright-yellow', 'term-bg', 4.5],
  ['term-bright-blue', 'term-bg', 4.5], ['term-bright-cyan', 'term-bg', 4.5], ['term-bright-white', 'term-bg', 4.5],
  ['tl-text', 'tl-bg', 4.5], ['tl-text', 'tl-lane-a', 4.5], ['tl-text', 'tl-lane-b', 4.5], ['tl-now', 'tl-bg', 3],
];

describe.each([
  ['dark', dark],
  ['light', light],
])('the %s theme', (_name, vars) => {
  it.each(PAIRS)('%s on %s meets WCAG AA', (fg, bg, needed) => {
    const back = rgb(vars.get(bg)!, rgb(vars.get('bg')!));
    const ratio = contrast(rgb(vars.get(fg)!, back), back);
    expect(ratio, `${fg} ${vars.get(fg)} on ${bg} ${vars.get(bg)}`).toBeGreaterThanOrEqual(needed);
  });
});

describe('the light theme', () => {
  it('is the same whether the system asks for it or the toggle picked it', () => {
    expect(Object.fromEntries(lightBySystem)).toEqual(Object.fromEntries(light));
  });

  it('sets every colour the dark theme sets, for the timeline and the terminal too', () => {
    const missing = [...dark.keys()].filter((k) => !light.has(k) && !/^tl-(ready|running|sleeping|blocking|waiting|done|failed|cancelled)$/.test(k));
    expect(missing).toEqual([]);
  });
});
