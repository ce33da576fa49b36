/**
 * The renderer in Chromium against web mode: what a user types, sees and hears.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from './harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('app');
});

afterAll(async () => {
  await app?.stop();
});

interface LaneTask {
  id: number;
  name: string;
  kind: string;
  start: number;
  end: number | null;
  state: string;
}

/** Tasks of a lane as the timeline holds them: name, start, end (null while live), state. */
function laneTasks(lane: string): Promise<LaneTask[]> {
  return app.page.evaluate((lane) => {
    const { model } = (globalThis as any).__corotone;
    const l = model.lanes.find((x: any) => x.name === lane);
    const names = ['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled'];
    return (l ? l.tasks : []).map((t: any) => ({
      id: t.id as number,
      name: t.name as string,
      kind: t.kind as string,
      start: t.start as number,
      end: Number.isNaN(t.end) ? null : (t.end as number),
      state: names[t.state],
    }));
  }, lane);
}

describe('terminal', () => {
  it('runs typed commands: output is printed and the tasks appear in the timeline', async () => {
    const { page } = app;
    await typeLine(page, 'help');
    await until(page, () => /chord/.test((globalThis as any).__corotone.terminal.screenText().split('> help')[1] ?? ''));
    await typeLine(page, 'beep 69 0.2');
    const tasks = await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      const t = lane?.tasks.find((x: any) => x.name === 'beep 69 0.2' && !Number.isNaN(x.end));
      return t ? { start: t.start, end: t.end } : null;
    });
    expect(tasks!.end - tasks!.start).toBeCloseTo(0.2, 9);
    // the note went through the piano roll
    const bars = await page.evaluate(() => (globalThis as any).__corotone.model.noteBars.filter((b: any) => b.note === 69).length);
    expect(bars).toBeGreaterThan(0);
    const text = await terminalText(page);
    expect(text).toContain('> beep 69 0.2');
  });

  it('shows a mistyped line as source:line:col with the line and a caret, and carries on', async () => {
    const { page } = app;
    await typeLine(page, 'chord 0.5 72 x75');
    const text = await until(page, () => {
      const t: string = (globalThis as any).__corotone.terminal.screenText();
      return /terminal:\d+:\d+: error:/.test(t.split('> chord 0.5 72 x75')[1] ?? '') ? t : null;
    });
    const after = text!.split('> chord 0.5 72 x75')[1];
    const m = /terminal:(\d+):(\d+): error:/.exec(after)!;
    expect(Number(m[2])).toBe('chord 0.5 72 '.length + 1);
    expect(after).toContain('| chord 0.5 72 x75');
    expect(after).toMatch(/\|\s+\^+/);
    await typeLine(page, 'beep 70 0.05');
    await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 70));
  });

  it('completes command names with Tab and recalls history with the arrows, across a reload', async () => {
    const { page } = app;
    await page.locator('.xterm').click();
    await page.keyboard.type('rem');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe('remove ');
    await page.keyboard.press('Control+C');
    await page.reload();
    await until(page, () => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
    await page.locator('.xterm').click();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe('beep 70 0.05');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => (globalThis as any).__corotone.terminal.editor.line)).toBe('chord 0.5 72 x75');
    await page.keyboard.press('Control+C');
  });
});

describe('scripts', () => {
  it('refuses a script with a parse error before it plays, naming the line', async () => {
    const { page } = app;
    const notesBefore = await page.evaluate(() => (globalThis as any).__corotone.model.noteBars.length);
    await openScript(page, 'broken.txt', 'add 61\nwait 0.1\nchord 0.5 72 zz\nremove 61\n');
    const text = await until(page, () => {
      const t: string = (globalThis as any).__corotone.terminal.screenText();
      return t.includes('broken.txt: not played') ? t : null;
    });
    expect(text).toMatch(/broken\.txt:3:14: error:/);
    expect(text).toContain('3 | chord 0.5 72 zz');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (globalThis as any).__corotone.model.noteBars.length)).toBe(notesBefore);
    expect(await laneTasks('broken.txt')).toEqual([]);
  });

  it('plays a dropped script as its own source, concurrently with a typed line', async () => {
    const { page } = app;
    await typeLine(page, 'chord 0.6 48');
    const dt = await page.evaluateHandle(() => {
      const g = globalThis as any;
      const data = new g.DataTransfer();
      data.items.add(new g.File(['beep 84 0.2\nbeep 86 0.2\n'], 'dropped.txt', { type: 'text/plain' }));
      return data;
    });
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
    expect(await page.locator('#drop-overlay').isVisible()).toBe(true);
    await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'dropped.txt');
      return lane && lane.tasks.filter((t: any) => t.kind === 'line' && !Number.isNaN(t.end)).length === 2;
    });
    expect(await page.locator('#drop-overlay').isVisible()).toBe(false);
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      return lane.tasks.some((t: any) => t.name === 'chord 0.6 48' && !Number.isNaN(t.end));
    });
    const dropped = (await laneTasks('dropped.txt')).filter((t) => t.kind === 'line');
    expect(dropped.map((t) => t.name)).toEqual(['beep 84 0.2', 'beep 86 0.2']);
    expect(dropped[1].start - dropped[0].start).toBeCloseTo(0.2, 9);
    // the typed chord was sounding while the script played: both lanes overlap in time
    const chord = (await laneTasks('terminal')).find((t) => t.name === 'chord 0.6 48')!;
    expect(chord.start).toBeLessThan(dropped[0].start + 1e-9);
    expect(chord.end!).toBeGreaterThan(dropped[0].start);
  });
});

describe('audio', () => {
  it('panic silences the output within one render quantum of its audio time', async () => {
    const { page } = app;
    await page.evaluate(async () => {
      const app = (globalThis as any).__corotone;
      const ctx = app.audio.context;
      const code = `registerProcessor('corotone-meter', class extends AudioWorkletProcessor {
        process(inputs) { const ch = inputs[0][0]; let peak = 0;
          if (ch) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
          this.port.postMessage([currentFrame, peak]); return true; } });`;
      const raw = ctx.rawContext;
      await raw.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const node = new (globalThis as any).AudioWorkletNode(raw, 'corotone-meter', { numberOfInputs: 1, numberOfOutputs: 1 });
      const blocks: [number, number][] = [];
      node.port.onmessage = (e: MessageEvent) => blocks.push(e.data);
      app.audio.tap(node);
      node.connect(raw.destination);
      (globalThis as any).__meter = blocks;
    });
    await typeLine(page, 'chord 5 60 64');
    // sound is coming out
    await until(page, () => {
      const b = (globalThis as any).__meter as [number, number][];
      return b.length > 20 && b.slice(-10).every(([, p]) => p > 0.05);
    });
    const f0 = await page.evaluate(() => {
      const ctx = (globalThis as any).__corotone.audio.context;
      const frame = Math.round(ctx.currentTime * ctx.sampleRate);
      (globalThis as any).document.getElementById('panic').click();
      return frame;
    });
    await page.waitForTimeout(400);
    const { loudAfter, lastLoud, blocksAfter } = await page.evaluate((f0) => {
      const b = (globalThis as any).__meter as [number, number][];
      const after = b.filter(([frame]) => frame >= f0);
      const loud = after.filter(([, p]) => p > 1e-6);
      return { loudAfter: loud.length, lastLoud: loud.length ? loud[loud.length - 1][0] : null, blocksAfter: after.length };
    }, f0);
    writeFileSync(resolve(ARTIFACTS, 'panic.json'), JSON.stringify({ f0, loudAfter, lastLoud, blocksAfter }, null, 2));
    expect(blocksAfter).toBeGreaterThan(10);
    // The quantum at the panic's audio time is already silent, or at worst the one being rendered then.
    expect(loudAfter).toBeLessThanOrEqual(1);
    // the engine stopped everything too: the chord was cancelled and nothing sounds
    await until(page, () => (globalThis as any).__corotone.model.activeNotes.length === 0);
    const chord = (await laneTasks('terminal')).find((t) => t.name === 'chord 5 60 64')!;
    expect(chord.state).toBe('cancelled');
  });
});
