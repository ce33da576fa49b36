/**
 * "Concurrency you can hear", in the page against web mode: the example
 * lessons with their stories, who awaits whom and what a failure cancels on
 * the timeline, slow motion, the now-cursor's hand-over to the audio clock,
 * and a quit that keeps the history.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/e2e/build-renderer';
import { ARTIFACTS, openScript, startApp, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('examples');
});

afterAll(async () => {
  await app?.stop();
});

const index = JSON.parse(readFileSync(resolve(ROOT, 'resources/examples/index.json'), 'utf8')) as {
  examples: { title: string; file: string; story: string }[];
};
const lesson = (file: string) => index.examples.find((e) => e.file === file)!;

async function setLookahead(ms: string): Promise<void> {
  await app.page.locator('#lookahead').fill(ms);
  await app.page.locator('#lookahead').dispatchEvent('change');
  await app.page.locator('#lookahead').blur();
  await app.page.waitForFunction((want) => (globalThis as any).document.getElementById('st-lookahead').textContent === `${want} ms`, ms);
}

describe('the now-cursor', () => {
  it('goes on smoothly when the first note hands it from the host clock to the audio clock', async () => {
    const { page } = app;
    // a long lookahead makes a jump back at the hand-over obvious (it was about lookahead + output latency)
    await page.locator('#lookahead').fill('250');
    await page.locator('#lookahead').dispatchEvent('change');
    await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
    await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const samples: { t: number; audio: boolean }[] = ((globalThis as any).__cursor = []);
      const raf = (globalThis as any).requestAnimationFrame as (cb: () => void) => number;
      const tick = () => {
        // the clock reading itself, before the cursor's guard against small steps back
        samples.push({ t: app.readClock(), audio: app.audio.offset !== null });
        if (samples.length < 2000) raf(tick);
      };
      raf(tick);
    });
    await page.waitForTimeout(300);
    await typeLine(page, 'beep 60 0.3');
    await until(page, () => (globalThis as any).__cursor.some((s: any) => s.audio) && (globalThis as any).__cursor.length > 60);
    await page.waitForTimeout(400);
    const samples: { t: number; audio: boolean }[] = await page.evaluate(() => (globalThis as any).__cursor.slice());
    const handover = samples.findIndex((s) => s.audio);
    expect(handover).toBeGreaterThan(0);
    let worstBack = 0;
    for (let i = 1; i < samples.length; i++) worstBack = Math.max(worstBack, samples[i - 1].t - samples[i].t);
    console.log(`now-cursor at the hand-over: ${samples[handover - 1].t.toFixed(4)} → ${samples[handover].t.toFixed(4)}; worst step back ${(worstBack * 1000).toFixed(1)} ms`);
    // a frame or two of jitter, never the 250 ms lookahead
    expect(worstBack).toBeLessThan(0.05);
    await page.locator('#lookahead').fill('100');
    await page.locator('#lookahead').dispatchEvent('change');
  });
});

describe('examples', () => {
  it('lists the lessons in the Examples control, in order, by title', async () => {
    const { page } = app;
    await until(page, () => (globalThis as any).__corotone.examplesReady);
    const options = await page.locator('#examples option').evaluateAll((os) => os.map((o) => ({ value: (o as any).value, text: (o as any).textContent })));
    expect(options.slice(1).map((o) => o.value)).toEqual(index.examples.map((e) => e.file));
    expect(options.slice(1).map((o) => o.text)).toEqual(index.examples.map((e, i) => `${i + 1}. ${e.title}`));
    expect(await page.locator('#story').isVisible()).toBe(false);
  });

  it('exceptions: the failure in the group cancels its siblings, and the timeline connects them', async () => {
    const { page } = app;
    await page.locator('#examples').selectOption('exceptions.txt');
    await expect.poll(() => page.locator('#story').isVisible()).toBe(true);
    expect(await page.locator('#story-title').innerText()).toBe(lesson('exceptions.txt').title);
    expect(await page.locator('#story-text').innerText()).toBe(lesson('exceptions.txt').story);
    interface Cascade {
      failedAt: number;
      cancelled: { name: string; end: number; state: number; by: string | undefined }[];
      gatherWaitsOn: string[];
      gatherState: number;
    }
    const cascade = await until<Cascade | null>(page, () => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'exceptions.txt');
      const failed = lane?.tasks.find((t: any) => t.name === 'square-7' && t.cancels?.length > 0);
      if (!failed) return null;
      const gather = lane.tasks.find((t: any) => t.name.startsWith('group '));
      return {
        failedAt: failed.end,
        cancelled: failed.cancels.map((t: any) => ({ name: t.name, end: t.end, state: t.state, by: t.cancelledBy?.name })),
        gatherWaitsOn: gather.waits[0].to.map((t: any) => t.name),
        gatherState: gather.state,
      };
    });
    expect(cascade!.gatherWaitsOn).toEqual(['square-5', 'square-6', 'square-7', 'square-8']);
    expect(cascade!.cancelled.map((c) => c.name).sort()).toEqual(['square-5', 'square-6', 'square-8']);
    for (const c of cascade!.cancelled) {
      expect(c.state).toBe(7);
      expect(c.end).toBe(cascade!.failedAt);
      expect(c.by).toBe('square-7');
    }
    // the settle that follows: every square runs to its end, nothing is cancelled by the failure
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'exceptions.txt');
      return lane.tasks.some((t: any) => t.name.startsWith('settle ') && t.state === 4);
    }, 20_000);
    await page.waitForTimeout(1200);
    // the picture: the lesson, its story, the connectors
    const drawn = await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'exceptions.txt');
      const start = lane.tasks[0].start;
      app.timeline.setFollow(false);
      app.timeline.fit(start - 0.2, app.timelineNow() + 0.6);
      app.timeline.scrollY = 0;
      app.timeline.frame(true);
      return app.timeline.frameStats().drawnConnectors as number;
    });
    expect(drawn).toBeGreaterThanOrEqual(3 + 4 + 4);
    // hover the failed square: its tooltip says whom its end cancelled
    const spot = await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'exceptions.txt');
      return app.timeline.locate(lane.tasks.find((t: any) => t.name === 'square-7' && t.cancels).id);
    });
    const box = (await page.locator('#timeline-canvas').boundingBox())!;
    await page.mouse.move(box.x + spot!.x, box.y + spot!.y);
    await expect.poll(() => page.locator('#tooltip').innerText()).toContain('its end cancelled');
    const tip = await page.locator('#tooltip').innerText();
    for (const sibling of ['square-5', 'square-6', 'square-8']) expect(tip).toContain(sibling);
    // a click selects it: the detail box says the same, and its connectors are drawn bright
    await page.mouse.click(box.x + spot!.x, box.y + spot!.y);
    expect(await page.locator('#detail').innerText()).toContain('its end cancelled');
    await page.mouse.move(box.x + 40, box.y + box.height - 80);
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(false);
    // the README's picture: the lesson playing, its story beside it, the failure selected,
    // at the default lookahead (not the one these tests play with)
    await setLookahead('50');
    await page.screenshot({ path: resolve(ARTIFACTS, 'examples.png') });
    await setLookahead('100');
    if (process.env.COROTONE_UPDATE_SCREENSHOT === '1') copyFileSync(resolve(ARTIFACTS, 'examples.png'), resolve(ROOT, 'resources/screenshot.png'));
    await page.evaluate(() => (globalThis as any).__corotone.timeline.select(null));
    await page.evaluate(() => (globalThis as any).__corotone.timeline.setFollow(true));
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'exceptions.txt');
      return lane.tasks.every((t: any) => !Number.isNaN(t.end));
    }, 20_000);
  });
  it('plays the picked lesson, shows its story and script beside the timeline, and its tasks in the timeline', async () => {
    const { page } = app;
    await page.locator('#examples').selectOption('coroutines-by-hand.txt');
    const story = lesson('coroutines-by-hand.txt');
    await expect.poll(() => page.locator('#story-title').innerText()).toBe(story.title);
    expect(await page.locator('#story').isVisible()).toBe(true);
    expect(await page.locator('#story-text').innerText()).toBe(story.story);
    const text = readFileSync(resolve(ROOT, 'resources/examples/coroutines-by-hand.txt'), 'utf8');
    // the lesson's script is a buffer of the code editor, shown under its story
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toBe(text);
    expect(await page.locator('#editor-tabs .editor-tab[aria-selected="true"]').innerText()).toBe('coroutines-by-hand.txt');
    // cube awaits square: a task inside a task, drawn as a wait from cube to square
    const join = await until(page, () => {
      const app = (globalThis as any).__corotone;
      const lane = app.model.lanes.find((l: any) => l.name === 'coroutines-by-hand.txt');
      const cube = lane?.tasks.find((t: any) => t.name === 'square' && t.waitedBy?.some((e: any) => e.kind === 'task'));
      return cube ? { waiter: cube.waitedBy[0].from.name, kind: cube.waitedBy[0].kind } : null;
    }, 20_000);
    expect(join).toEqual({ waiter: 'cube', kind: 'task' });
    await page.locator('#story-stop').click();
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'coroutines-by-hand.txt');
      return lane.tasks.every((t: any) => !Number.isNaN(t.end));
    });
  });

  it('plays an edit of the lesson under its own name', async () => {
    const { page } = app;
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('beep 79 0.1\nbeep 81 0.1\n');
    await page.locator('#story-play').click();
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'coroutines-by-hand (edited).txt');
      return lane && lane.tasks.filter((t: any) => t.kind === 'line' && t.state === 5).length === 2;
    });
    await page.locator('#story-reset').click();
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toBe(readFileSync(resolve(ROOT, 'resources/examples/coroutines-by-hand.txt'), 'utf8'));
    await page.locator('.xterm').click();
  });

});

describe('reload', () => {
  it('a reloaded page shows the open lesson’s story again', async () => {
    const { page } = app;
    await page.reload();
    await until(page, () => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
    await expect.poll(() => page.locator('#story').isVisible()).toBe(true);
    expect(await page.locator('#story-title').innerText()).toBe(lesson('coroutines-by-hand.txt').title);
    expect(await page.locator('#examples').inputValue()).toBe('coroutines-by-hand.txt');
  });
});

describe('speed', () => {
  it('at 1/2, a wait 1 takes 2 s of audio time, and the notes keep their exact spacing', async () => {
    const { page } = app;
    await page.locator('#speed').selectOption('0.5');
    await until(page, () => (globalThis as any).__corotone.audio.speed === 0.5);
    await page.evaluate(() => (globalThis as any).__corotone.audio.forgetRecording());
    await openScript(page, 'slow.txt', 'beep 60 0.1\nwait 1\nbeep 64 0.1\n');
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'slow.txt');
      return lane && lane.tasks.filter((t: any) => t.kind === 'line' && t.state === 5).length === 3;
    }, 20_000);
    const played: { at: number; t: number; notes: number[]; late: boolean }[] = await page.evaluate(() =>
      (globalThis as any).__corotone.audio.playedChanges.map((c: any) => ({ at: c.at, t: c.t, notes: c.notes, late: c.late })),
    );
    const on60 = played.find((c) => c.notes.includes(60))!;
    const on64 = played.find((c) => c.notes.includes(64))!;
    expect(on64.t - on60.t).toBeCloseTo(1.1, 9);
    expect(on60.late || on64.late).toBe(false);
    // 0.1 s of beep and 1 s of wait, played at half speed: 2.2 s apart on the audio clock
    expect(on64.at - on60.at).toBeCloseTo(2.2, 6);
    await page.locator('#speed').selectOption('1');
    await until(page, () => (globalThis as any).__corotone.audio.speed === 1);
  });
});

describe('quit', () => {
  it('typed in the terminal, ends neither the session nor the terminal: the history stays and the next line plays', async () => {
    const { page } = app;
    const before = await page.evaluate(() => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'exceptions.txt').tasks.length);
    await typeLine(page, 'quit');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('quit: this source stays open'));
    await typeLine(page, 'beep 67 0.05');
    const after = await until(page, () => {
      const app = (globalThis as any).__corotone;
      const beep = app.model.lanes.find((l: any) => l.name === 'terminal').tasks.find((t: any) => t.name === 'beep 67 0.05' && t.state === 5);
      return beep ? { breaks: app.model.sessionBreaks.length, kept: app.model.lanes.find((l: any) => l.name === 'exceptions.txt').tasks.length } : null;
    });
    expect(after!.kept).toBe(before);
    expect(after!.breaks).toBe(0);
  });
});

describe('cancellation after another lesson', () => {
  it('its cancel t1 cancels its own loop (task names count per script)', async () => {
    const { page } = app;
    await page.locator('#examples').selectOption('countdown.txt');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('countdown.txt ended'), 30_000);
    await page.locator('#examples').selectOption('cancellation.txt');
    const said = await until(page, () => {
      const text: string = (globalThis as any).__corotone.terminal.screenText();
      return text.includes('cancelled t1') || text.includes('no running task') ? text : null;
    }, 30_000);
    // The terminal wraps long lines at spaces.
    expect(said!.replace(/\s+/g, ' ')).toMatch(/cancelled t1 \(task \d+\): loop chord 1 60 64 67; chord 1 62 65 69/);
    expect(said).not.toContain('no running task');
  });
});

describe('▶ Run on a lesson that is playing', () => {
  it('plays it again from the top: its loop is t1 again, and its cancel t1 stops that loop 2.5 s in', async () => {
    const { page } = app;
    // The lesson is open from the test before (and may still be playing); ▶ Run plays it again, then again while the new copy's loop plays.
    const LOOP = 'loop chord 1 60 64 67; chord 1 62 65 69';
    const loopsNow = () =>
      page.evaluate((loop) => ((globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'cancellation.txt')?.tasks ?? []).filter((t: any) => t.name === loop).length as number, LOOP);
    await page.locator('#examples').selectOption('countdown.txt');
    // the copies of the lesson's loop so far (the test before played it): choosing it again adds one
    const before = await loopsNow();
    await page.locator('#examples').selectOption('cancellation.txt');
    await expect.poll(loopsNow).toBeGreaterThan(before);
    const chosen = await loopsNow();
    await page.locator('#story-play').click();
    await page.waitForTimeout(800);
    await page.locator('#story-play').click();
    await expect.poll(loopsNow).toBe(chosen + 2);
    // every copy's loop has ended (the one chosen, the one Run played, the one Run played again)
    const loops = await page.waitForFunction(
      (loop) => {
        const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'cancellation.txt');
        const all = lane.tasks.filter((t: any) => t.name === loop);
        return all.every((t: any) => Number.isFinite(t.end)) ? all.map((t: any) => ({ start: t.start, end: t.end, state: t.state })) : null;
      },
      LOOP,
      { timeout: 30_000, polling: 50 },
    ).then((h) => h.jsonValue() as Promise<{ start: number; end: number; state: number }[]>);
    const text: string = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText());
    expect(text).not.toContain('no running task');
    const last = loops.at(-1)!;
    // the copy played last cancelled its own loop by name, mid-chord, 2.5 s in (not the Run that replaced it)
    expect(last.state).toBe(7);
    expect(last.end - last.start).toBeCloseTo(2.5, 1);
  });
});

describe('phrases of a lesson played again', () => {
  it('▶ Run on Cooking dinner prints no "redefined" line: no loop plays its phrases', async () => {
    const { page } = app;
    const defs = readFileSync(resolve(ROOT, 'resources/examples/cooking-dinner.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('def ')).length;
    expect(defs).toBeGreaterThan(1);
    const defLines = () =>
      page.evaluate(() => ((globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'cooking-dinner.txt')?.tasks ?? []).filter((t: any) => t.name.startsWith('def ')).length as number);
    await page.locator('#examples').selectOption('cooking-dinner.txt');
    await expect.poll(defLines).toBeGreaterThanOrEqual(defs);
    const before = await defLines();
    await page.locator('#story-play').click();
    // the copy Run played has run its defs
    await expect.poll(defLines, { timeout: 15_000 }).toBe(before + defs);
    await page.waitForTimeout(300);
    const text: string = await page.evaluate(() => (globalThis as any).__corotone.terminal.screenText());
    expect(text).not.toContain('redefined');
  });
});
