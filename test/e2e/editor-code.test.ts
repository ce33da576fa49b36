/**
 * The code editor (issue 10, "Nothing points at the code"), in Chromium
 * against web mode: CodeMirror with line numbers and the note language's
 * colours, errors at their line as you type, Ctrl+Enter and Ctrl+Shift+Enter,
 * the playhead of the code in time with the sound, a click on a timeline bar
 * that goes to its line, and help you can run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/e2e/build-renderer';
import { startApp, terminalText, typeLine, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('editor-code');
});

afterAll(async () => {
  await app?.stop();
});

/** Replace the shown buffer's text as typing would (through CodeMirror), with the cursor at its end. */
async function setBuffer(page: Page, text: string): Promise<void> {
  await page.locator('#editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The buffer's lines the playhead lights, by activity. */
function litLines(page: Page): Promise<{ playing: number[]; waiting: number[] }> {
  return page.evaluate(() => {
    const view = (globalThis as any).__corotone.editor.editor.view;
    const lineOf = (el: any) => view.state.doc.lineAt(view.posAtDOM(el, 0)).number;
    const doc = (globalThis as any).document;
    return {
      playing: [...doc.querySelectorAll('#editor .cm-playhead-playing')].map(lineOf),
      waiting: [...doc.querySelectorAll('#editor .cm-playhead-waiting')].map(lineOf),
    };
  });
}

interface LineTask {
  id: number;
  line: number;
  name: string;
  start: number;
  end: number;
  state: number;
}

const laneTasks = (page: Page, source: string): Promise<LineTask[]> =>
  page.evaluate(
    (source) =>
      ((globalThis as any).__corotone.model.lanes.find((l: any) => l.name === source)?.tasks ?? [])
        .filter((t: any) => t.kind === 'line')
        .map((t: any) => ({ id: t.id, line: t.pos?.line, name: t.name, start: t.start, end: t.end, state: t.state })),
    source,
  );

describe('the code editor', () => {
  it('is CodeMirror, not a textarea, with line numbers and the note language in colour', async () => {
    const { page } = app;
    expect(await page.locator('#story').isVisible()).toBe(false);
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => page.locator('#story').isVisible()).toBe(true);
    expect(await page.locator('#story textarea').count()).toBe(0);
    await setBuffer(page, 'beep C5 0.25; chord 0.5 E4 G4 # a comment\nwait 1\n');
    await expect.poll(() => page.locator('#editor .cm-lineNumbers .cm-gutterElement').allInnerTexts()).toEqual(expect.arrayContaining(['1', '2', '3']));
    const coloured = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('#editor .cm-line [class^="ct-"]')].map((el: any) => `${el.textContent}:${el.className}`),
    );
    expect(coloured).toEqual(
      expect.arrayContaining(['beep:ct-command', 'C5:ct-note', '0.25:ct-number', ';:ct-separator', 'chord:ct-command', 'E4:ct-note', '# a comment:ct-comment', 'wait:ct-command', '1:ct-number']),
    );
    expect(await page.locator('#editor-tabs .editor-tab[aria-selected="true"]').innerText()).toBe('scratch');
  });

  it('marks an error at its line as you type, with source:line:col, message and hint', async () => {
    const { page } = app;
    await setBuffer(page, 'beep C5 0.1\nchrod 0.5 60 64\nwait 0.1\n');
    await page.waitForSelector('#editor .cm-lintRange-error');
    const marked = await page.evaluate(() => {
      const view = (globalThis as any).__corotone.editor.editor.view;
      const el = (globalThis as any).document.querySelector('#editor .cm-lintRange-error');
      return { line: view.state.doc.lineAt(view.posAtDOM(el, 0)).number, text: el.textContent };
    });
    expect(marked).toEqual({ line: 2, text: 'chrod' });
    expect(await page.locator('#editor .cm-lint-marker-error').count()).toBe(1);
    await page.locator('#editor .cm-lintRange-error').hover();
    const tip = page.locator('.cm-tooltip-lint');
    await tip.waitFor();
    const said = await tip.innerText();
    expect(said).toContain('scratch:2:1');
    expect(said).toContain('unknown command "chrod"');
    expect(said).toContain('did you mean "chord"?');
    // fixed as you type: the mark goes
    await page.locator('#editor .cm-content').click();
    await setBuffer(page, 'beep C5 0.1\nchord 0.5 60 64\nwait 0.1\n');
    await expect.poll(() => page.locator('#editor .cm-lintRange-error').count()).toBe(0);
  });

  it('does not send a buffer with errors, and says where they are', async () => {
    const { page } = app;
    await setBuffer(page, 'beep C5 0.1\nbeep C5 banana\n');
    await page.keyboard.press('Control+Shift+Enter');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().replace(/\s+/g, ' ').includes('scratch: not run, 1 error marked in the editor (first at scratch:2:'));
    expect(await laneTasks(page, 'scratch')).toEqual([]);
  });

  it('Ctrl+Enter runs the current line at its line number; Ctrl+Shift+Enter the whole buffer', async () => {
    const { page } = app;
    await setBuffer(page, 'beep C5 0.1\nbeep E5 0.1\nbeep G5 0.1');
    // the cursor is on line 3
    await page.keyboard.press('Control+Enter');
    await until(page, () => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'scratch')?.tasks.some((t: any) => t.kind === 'line'));
    expect((await laneTasks(page, 'scratch')).map((t) => [t.line, t.name])).toEqual([[3, 'beep G5 0.1']]);
    // a selection: line 1 only, from its start
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Control+Enter');
    await until(page, () => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'scratch')?.tasks.filter((t: any) => t.kind === 'line').length === 2);
    expect((await laneTasks(page, 'scratch')).map((t) => t.line)).toEqual([3, 1]);
    // the buffer has not changed
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toBe('beep C5 0.1\nbeep E5 0.1\nbeep G5 0.1');
    await page.keyboard.press('Control+Shift+Enter');
    await until(page, () => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'scratch')?.tasks.filter((t: any) => t.kind === 'line').length === 5);
    expect((await laneTasks(page, 'scratch')).map((t) => t.line)).toEqual([3, 1, 1, 2, 3]);
  });
});

describe('the playhead of the code', () => {
  it('lights each line while a task executes it, as heard: not early by the lookahead', async () => {
    const { page } = app;
    await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
    // a long lookahead: a playhead drawn when the host says so, not when it is heard, would be 250 ms early
    await page.locator('#lookahead').fill('250');
    await page.locator('#lookahead').dispatchEvent('change');
    await setBuffer(page, '# three steps\nbeep C5 0.6\nwait 0.6\nbeep G5 0.6\n');
    // the last test's buffer run is heard until its end, later still with the longer lookahead: sample after it
    await until(page, () => {
      const app = (globalThis as any).__corotone;
      const tasks = app.model.lanes.find((l: any) => l.name === 'scratch')?.tasks ?? [];
      const ends = tasks.map((t: any) => t.end);
      return ends.every((end: number) => !Number.isNaN(end) && app.timelineNow() > end) && (globalThis as any).document.querySelectorAll('#editor .cm-playhead-playing').length === 0;
    });
    await page.evaluate((n) => ((globalThis as any).__before = n), (await laneTasks(page, 'scratch')).length);
    await page.evaluate(() => {
      const app = (globalThis as any).__corotone;
      const view = app.editor.editor.view;
      const doc = (globalThis as any).document;
      const samples: { t: number; lines: number[] }[] = ((globalThis as any).__playhead = []);
      const tick = () => {
        const lines = [...doc.querySelectorAll('#editor .cm-playhead-playing')].map((el: any) => view.state.doc.lineAt(view.posAtDOM(el, 0)).number);
        samples.push({ t: app.timelineNow(), lines });
        if (samples.length < 600) (globalThis as any).requestAnimationFrame(tick);
      };
      (globalThis as any).requestAnimationFrame(tick);
    });
    await page.keyboard.press('Control+Shift+Enter');
    await until(page, () => {
      const lane = (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'scratch');
      const lines = lane?.tasks.filter((t: any) => t.kind === 'line') ?? [];
      return lines.length >= (globalThis as any).__before + 3 && lines.slice(-3).every((t: any) => !Number.isNaN(t.end));
    }, 20_000);
    await page.waitForTimeout(600);
    const samples: { t: number; lines: number[] }[] = await page.evaluate(() => (globalThis as any).__playhead.slice());
    const tasks = (await laneTasks(page, 'scratch')).slice(-3);
    expect(tasks.map((t) => t.line)).toEqual([2, 3, 4]);
    // every line was lit, in order, one at a time
    const order: number[] = [];
    for (const s of samples) {
      expect(s.lines.length).toBeLessThanOrEqual(1);
      if (s.lines.length === 1 && order[order.length - 1] !== s.lines[0]) order.push(s.lines[0]);
    }
    expect(order).toEqual([2, 3, 4]);
    // and only while its task ran, on the heard clock, give or take a frame (the playhead was drawn in
    // an animation frame of its own, at most one frame before the sample; a busy machine has long frames)
    samples.forEach((s, i) => {
      const frame = 0.02 + (i > 0 ? s.t - samples[i - 1].t : 0.05);
      for (const line of s.lines) {
        const task = tasks.find((t) => t.line === line)!;
        expect(s.t, `line ${line} lit at ${s.t}`).toBeGreaterThanOrEqual(task.start - frame);
        expect(s.t, `line ${line} lit at ${s.t}`).toBeLessThanOrEqual(task.end + frame);
      }
    });
    await expect.poll(() => litLines(page)).toEqual({ playing: [], waiting: [] });
    await page.locator('#lookahead').fill('50');
    await page.locator('#lookahead').dispatchEvent('change');
  });

  it('a click on a timeline bar goes to its line in the buffer', async () => {
    const { page } = app;
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+Home');
    const task = (await laneTasks(page, 'scratch')).find((t) => t.line === 3)!;
    const at = await page.evaluate((id) => {
      const app = (globalThis as any).__corotone;
      app.timeline.setFollow(false);
      const task = app.model.task(id);
      app.timeline.fit(task.start - 0.5, task.end + 0.5);
      app.timeline.frame(true);
      return app.timeline.locate(id);
    }, task.id);
    expect(at).not.toBeNull();
    await page.locator('#timeline-canvas').click({ position: { x: at!.x, y: at!.y } });
    await until(page, () => {
      const view = (globalThis as any).__corotone.editor.editor.view;
      return view.state.doc.lineAt(view.state.selection.main.head).number === 3;
    });
    // the timeline keeps the focus: its keys go on working, and nothing is typed into the buffer
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('timeline-canvas');
    await page.keyboard.press('Escape');
  });
});

describe('buffers', () => {
  it('opens a lesson as a buffer of its own, under its story, and keeps the scratch buffer', async () => {
    const { page } = app;
    await until(page, () => (globalThis as any).__corotone.examplesReady);
    await page.locator('#examples').selectOption('countdown.txt');
    await expect.poll(() => page.locator('#editor-tabs .editor-tab[aria-selected="true"]').innerText()).toBe('countdown.txt');
    expect(await page.locator('#editor-tabs .editor-tab').allInnerTexts()).toEqual(['scratch', 'countdown.txt']);
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toBe(readFileSync(resolve(ROOT, 'resources/examples/countdown.txt'), 'utf8'));
    expect(await page.locator('#story-about').isVisible()).toBe(true);
    await page.locator('#story-stop').click();
    await page.locator('#editor-tabs .editor-tab', { hasText: 'scratch' }).click();
    expect(await page.locator('#story-about').isVisible()).toBe(false);
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toBe('beep C5 0.6\nwait 0.6\nbeep G5 0.6\n'.replace(/^/, '# three steps\n'));
  });
});

describe('help you can run', () => {
  it('help CMD prints an example', async () => {
    const { page } = app;
    await typeLine(page, 'help chord');
    await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('example: chord 0.5 C4 E4 G4'));
    expect(await terminalText(page)).toContain('chord S N1 N2');
  });

  it('the Help tab lists every command with its example, and Run runs it', async () => {
    const { page } = app;
    await page.locator('#help-tab').click();
    await expect.poll(() => page.locator('#help-list').isVisible()).toBe(true);
    expect(await page.locator('#editor').isVisible()).toBe(false);
    const names = await page.locator('#help-list .help-entry').evaluateAll((els) => els.map((el) => (el as any).dataset.command));
    expect(names).toEqual(expect.arrayContaining(['beep', 'chord', 'spawn', 'gather', 'loop', 'help']));
    const beep = page.locator('#help-list .help-entry[data-command="beep"]');
    expect(await beep.locator('.help-example code').innerText()).toBe('beep A4 0.25');
    await beep.locator('.help-run').click();
    await until(page, () => (globalThis as any).__corotone.model.lanes.find((l: any) => l.name === 'terminal')?.tasks.some((t: any) => t.kind === 'line' && t.name === 'beep A4 0.25'));
    await beep.locator('.help-edit').click();
    expect(await page.locator('#editor').isVisible()).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.text)).toMatch(/\nbeep A4 0\.25\n$/);
    expect(app.log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });
});

describe('reload', () => {
  it('keeps the scratch buffer as it was left', async () => {
    const { page } = app;
    const text = await page.evaluate(() => {
      const editor = (globalThis as any).__corotone.editor.editor;
      editor.show(editor.find('scratch'));
      return editor.text as string;
    });
    expect(text).toContain('beep A4 0.25');
    await page.reload();
    await until(page, () => (globalThis as any).__corotone?.terminal.screenText().includes('connected to session'));
    expect(await page.evaluate(() => (globalThis as any).__corotone.editor.editor.find('scratch').state.doc.toString())).toBe(text);
  });
});
