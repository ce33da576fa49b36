/**
 * The renderer in Chromium against web mode: what a user types, sees and hears.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONNECTORS } from '../../src/renderer/timeline/layout';
import { ARTIFACTS, measureTimeline, openScript, startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

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
    // line numbers carry on from before the reload: an error still shows its line
    await typeLine(page, 'beep 61 zz');
    const after = await until(page, () => {
      const t: string = (globalThis as any).__corotone.terminal.screenText();
      const rest = t.split('> beep 61 zz')[1] ?? '';
      return /error/.test(rest) ? rest : null;
    });
    expect(after).toMatch(/terminal:5:9: error:/);
    expect(after).toContain('5 | beep 61 zz');
  });
  it('Ctrl+C cancels the running line; a paste of several lines runs each in order', async () => {
    const { page } = app;
    await typeLine(page, 'wait 30');
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      return lane.tasks.some((t: any) => t.name === 'wait 30' && t.state === 2);
    });
    await page.keyboard.press('Control+C');
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      return lane.tasks.some((t: any) => t.name === 'wait 30' && t.state === 7);
    });
    await page.evaluate(() => (globalThis as any).__corotone.terminal.term.paste('beep 62 0.05\nbeep 63 0.05\nbeep 64 0.05\n'));
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal');
      return lane.tasks.filter((t: any) => /^beep 6[234] /.test(t.name) && !Number.isNaN(t.end)).length === 3;
    });
    const beeps = (await laneTasks('terminal')).filter((t) => /^beep 6[234] /.test(t.name));
    expect(beeps.map((t) => t.name)).toEqual(['beep 62 0.05', 'beep 63 0.05', 'beep 64 0.05']);
    expect(beeps[1].start - beeps[0].start).toBeCloseTo(0.05, 9);
    expect(beeps[2].start - beeps[1].start).toBeCloseTo(0.05, 9);
  });

  it('saves the typed session as a script the browser downloads', async () => {
    const { page } = app;
    const download = page.waitForEvent('download');
    await page.locator('#save-session').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.txt$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text).toContain('beep 63 0.05');
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

  it('Ctrl+O opens the file chooser, and the chosen script plays', async () => {
    const { page } = app;
    await page.locator('.xterm').click();
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+O');
    await (await chooser).setFiles({ name: 'chosen.txt', mimeType: 'text/plain', buffer: Buffer.from('beep 66 0.05\n') });
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'chosen.txt');
      return lane?.tasks.some((t: any) => t.name === 'beep 66 0.05' && t.state === 5);
    });
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
  it('panic silences the output from the next render quantum the audio thread renders', async () => {
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
    const { f0, renderAhead } = await page.evaluate(() => {
      const ctx = (globalThis as any).__corotone.audio.context;
      const frame = Math.round(ctx.currentTime * ctx.sampleRate);
      (globalThis as any).document.getElementById('panic').click();
      // the browser renders up to one device buffer beyond currentTime before a change can reach its audio thread
      return { f0: frame, renderAhead: Math.ceil((ctx.rawContext.baseLatency * ctx.sampleRate) / 128) * 128 };
    });
    await page.waitForTimeout(400);
    const { lastLoud, blocksAfter } = await page.evaluate((f0) => {
      const b = (globalThis as any).__meter as [number, number][];
      const after = b.filter(([frame]) => frame >= f0);
      const loud = after.filter(([, p]) => p > 1e-6);
      return { lastLoud: loud.length ? loud[loud.length - 1][0] : null, blocksAfter: after.length };
    }, f0);
    // from the first silent quantum on, everything is silent (lastLoud is the last quantum with any sound)
    const silentFrom = lastLoud === null ? f0 : lastLoud + 128;
    writeFileSync(resolve(ARTIFACTS, 'panic.json'), JSON.stringify({ f0, silentFrom, framesToSilence: silentFrom - f0, renderAhead, blocksAfter }, null, 2));
    expect(blocksAfter).toBeGreaterThan(10);
    // Silence starts with the first quantum the audio thread renders after the click: at most the
    // device buffer it had already rendered past currentTime, plus the quantum in progress.
    expect(silentFrom - f0).toBeLessThanOrEqual(renderAhead + 128);
    // the engine stopped everything too: the chord was cancelled and nothing sounds
    await until(page, () => (globalThis as any).__corotone.model.activeNotes.length === 0);
    const chord = (await laneTasks('terminal')).find((t) => t.name === 'chord 5 60 64')!;
    expect(chord.state).toBe('cancelled');
  });
});

describe('timeline', () => {
  it('shows each task as a bar: hover tells its command line and times, a click its source line', async () => {
    const { page } = app;
    await openScript(page, 'timeline.txt', 'beep 65 0.3\nwait 0.2\nchord 0.3 69 72\n');
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'timeline.txt');
      return lane && lane.tasks.filter((t: any) => t.kind === 'line' && !Number.isNaN(t.end)).length === 3;
    });
    const lines = (await laneTasks('timeline.txt')).filter((t) => t.kind === 'line');
    expect(lines.map((t) => [t.name, t.state])).toEqual([
      ['beep 65 0.3', 'done'],
      ['wait 0.2', 'done'],
      ['chord 0.3 69 72', 'done'],
    ]);
    // exact logical times, one after another
    expect(lines[1].start - lines[0].start).toBeCloseTo(0.3, 9);
    expect(lines[2].start - lines[1].start).toBeCloseTo(0.2, 9);
    expect(lines[2].end! - lines[2].start).toBeCloseTo(0.3, 9);

    const chord = lines[2];
    await page.locator('#zoom-fit').click();
    const spot = await page.evaluate((id) => {
      const app = (globalThis as any).__corotone;
      app.timeline.fit(app.model.task(id).start - 0.5, app.model.task(id).end + 0.5);
      app.timeline.frame(true);
      return app.timeline.locate(id);
    }, chord.id);
    expect(spot).not.toBeNull();
    const box = (await page.locator('#timeline-canvas').boundingBox())!;
    await page.mouse.move(box.x + spot!.x, box.y + spot!.y);
    await expect.poll(() => page.locator('#tooltip').innerText()).toContain('chord 0.3 69 72');
    expect(await page.locator('#tooltip').innerText()).toContain('timeline.txt:3:1');
    await page.mouse.click(box.x + spot!.x, box.y + spot!.y);
    const detail = await page.locator('#detail').innerText();
    expect(detail).toContain('timeline.txt:3:1');
    expect(detail).toContain('3 | chord 0.3 69 72');

    // Ctrl+wheel zooms around the pointer (the wheel alone scrolls the lanes); a drag pans and leaves follow mode
    const before = await page.evaluate(() => {
      const { axis } = (globalThis as any).__corotone.timeline;
      return { pps: axis.pxPerSecond, start: axis.start };
    });
    const px = box.x + 300;
    const tUnder = before.start + 300 / before.pps;
    await page.mouse.move(px, box.y + box.height - 60);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    const zoomed = await page.evaluate(() => {
      const { axis } = (globalThis as any).__corotone.timeline;
      return { pps: axis.pxPerSecond, start: axis.start };
    });
    expect(zoomed.pps).toBeGreaterThan(before.pps);
    expect(zoomed.start + 300 / zoomed.pps).toBeCloseTo(tUnder, 6);
    await page.locator('#follow').click();
    expect(await page.evaluate(() => (globalThis as any).__corotone.timeline.follow)).toBe(true);
    await page.mouse.move(px, box.y + box.height - 60);
    await page.mouse.down();
    await page.mouse.move(px + 120, box.y + box.height - 60, { steps: 4 });
    await page.mouse.up();
    expect(await page.evaluate(() => (globalThis as any).__corotone.timeline.follow)).toBe(false);
    expect(await page.locator('#follow').getAttribute('class')).not.toContain('on');
    await page.locator('#follow').click();
  });
});

describe('reload', () => {
  it('a page reloaded mid-play gets its state back from the snapshot and plays on', async () => {
    const { page } = app;
    const sessionBefore = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText().match(/connected to session (\S+)/)[1]);
    await openScript(page, 'reload.txt', 'chord 1.5 60 64 67\nbeep 81 0.3\n');
    await until(page, () => (globalThis as any).__corotone.model.activeNotes.join(' ') === '60 64 67');
    await page.reload();
    await until(page, () => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
    const after = await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'reload.txt');
      return {
        session: app.terminal.screenText().match(/connected to session (\S+)/)[1],
        notes: app.model.activeNotes,
        sounding: [...app.audio.sounding],
        live: lane ? lane.tasks.filter((t: any) => Number.isNaN(t.end)).map((t: any) => t.name) : [],
      };
    });
    expect(after.session).toBe(sessionBefore);
    expect(after.notes).toEqual([60, 64, 67]);
    expect(after.sounding).toEqual([60, 64, 67]);
    expect(after.live).toContain('chord 1.5 60 64 67');
    // events keep coming after the reload: the chord ends and the beep plays
    await until(page, () => (globalThis as any).__corotone.model.noteBars.some((b: any) => b.note === 81 && !Number.isNaN(b.end)));
    const chord = (await laneTasks('reload.txt')).find((t) => t.name === 'chord 1.5 60 64 67')!;
    expect(chord.state).toBe('done');
  });
});

describe('timeline speed', () => {
  it('draws 10,000 tasks on screen (frame time measured, not asserted)', async () => {
    const { page } = app;
    const stats = await measureTimeline(page, 10_000);
    writeFileSync(resolve(ARTIFACTS, 'timeline-10k.json'), JSON.stringify(stats, null, 2));
    console.log(`timeline, 10,000 tasks on screen: draw mean ${stats.meanMs.toFixed(2)} ms, p95 ${stats.p95Ms.toFixed(2)} ms (${stats.drawnRects} rects); display frames median ${stats.rafMedianMs.toFixed(1)} ms, p95 ${stats.rafP95Ms.toFixed(1)} ms`);
    expect(stats.drawnTasks).toBeGreaterThanOrEqual(10_000);
    expect(stats.frames).toBe(120);
  });

  it('draws 10,000 tasks in gathers with their wait and cancellation connectors, capped (measured, not asserted)', async () => {
    const { page } = app;
    const stats = await measureTimeline(page, 10_000, { waits: true });
    writeFileSync(resolve(ARTIFACTS, 'timeline-10k-connectors.json'), JSON.stringify(stats, null, 2));
    console.log(`timeline, 10,000 tasks in gathers on screen: draw mean ${stats.meanMs.toFixed(2)} ms, p95 ${stats.p95Ms.toFixed(2)} ms (${stats.drawnConnectors} connectors); display frames median ${stats.rafMedianMs.toFixed(1)} ms, p95 ${stats.rafP95Ms.toFixed(1)} ms`);
    expect(stats.drawnTasks).toBeGreaterThanOrEqual(10_000);
    // 2,500 gathers would make 12,500 connectors: the frame draws the cap
    expect(stats.drawnConnectors).toBe(MAX_CONNECTORS);
    // zoomed in, every group on screen has its own
    const near = await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'bench');
      const t0 = lane.tasks[lane.tasks.length - 400].start;
      app.timeline.fit(t0, t0 + 0.01);
      app.timeline.frame(true);
      return app.timeline.frameStats().drawnConnectors as number;
    });
    expect(near).toBeGreaterThan(0);
    expect(near).toBeLessThan(MAX_CONNECTORS);
  });
});
