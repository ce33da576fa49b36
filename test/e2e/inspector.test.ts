/**
 * The inspector and the steps in Chromium (issue 20): paused, the inspector
 * lists the ready queue in the order the steps then run it; Step runs exactly
 * one resumption (the one it names) and its note is heard at once; Next
 * instant moves the clock to the first timer; a task clicked in the
 * inspector is selected in the timeline and Step line runs it until its
 * command is over; S steps from the keyboard; each task's command is lit in
 * the editor; continue hides it all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openScript, startApp, typeLine, until, waitForApp, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp('inspector');
});

afterAll(async () => {
  await app?.stop();
});

const SCRIPT = 'beep 60 1 &\nbeep 64 0.5 &\nwait 0.25\nbeep 67 0.25\n';

/** The ids of a list's rows, in order. */
const rows = (list: string) => app.page.locator(`#inspector-${list} .inspector-task`).evaluateAll((els) => els.map((e) => Number((e as any).dataset.task)));
const said = () => app.page.locator('#inspector-said').innerText();

/** Click a step button and wait for what it said to change (the reply came, with the events and the inspector before it). */
async function press(selector: string): Promise<string> {
  await app.page.evaluate(() => ((globalThis as any).document.getElementById('inspector-said').textContent = ''));
  await app.page.locator(selector).click();
  await until(app.page, () => (globalThis as any).document.getElementById('inspector-said').textContent !== '');
  return said();
}

it('Step runs the ready queue’s head, one resumption each, and its note is heard', async () => {
  const { page } = app;
  await until(page, () => (globalThis as any).__corotone.audio.state === 'running');
  expect(await page.locator('#inspector').isHidden()).toBe(true);
  await page.locator('#pause').click();
  await until(page, () => !(globalThis as any).document.getElementById('inspector').hidden);
  await openScript(page, 'steps.txt', SCRIPT);
  await until(page, () => (globalThis as any).document.querySelectorAll('#inspector-ready .inspector-task').length === 1);
  expect(await page.locator('#inspector-ready').innerText()).toContain('steps.txt');

  let checked = 0;
  for (let i = 0; i < 8; i++) {
    const ready = await rows('ready');
    if (ready.length === 0) break;
    const text = await press('#step');
    // Exactly one resumption, and it is the task the list named first.
    expect(text).toMatch(new RegExp(`^1 resumption: #${ready[0]} `));
    checked++;
    if (await page.evaluate(() => (globalThis as any).__corotone.audio.sounding.includes(60))) break;
  }
  expect(checked).toBeGreaterThan(1);
  // The step that started beep 60 was heard at once, while paused, and the timeline has its note.
  expect(await page.evaluate(() => [...(globalThis as any).__corotone.audio.sounding])).toContain(60);
  expect(await page.evaluate(() => (globalThis as any).__corotone.model.activeNotes as number[])).toContain(60);
  // The clock did not move: these steps are one instant.
  expect(await page.locator('#st-clock').innerText()).toMatch(/^paused at t = /);
});

it('the ready list is the order the next steps run; S steps from the keyboard', async () => {
  const { page } = app;
  let ready = await rows('ready');
  for (let i = 0; i < 10 && ready.length < 2; i++) {
    await press('#step');
    ready = await rows('ready');
  }
  expect(ready.length).toBeGreaterThanOrEqual(2);
  const first = await press('#step');
  expect(first).toMatch(new RegExp(`^1 resumption: #${ready[0]} `));
  await page.evaluate(() => ((globalThis as any).document.getElementById('inspector-said').textContent = ''));
  await page.keyboard.press('Control+Alt+2');
  await page.keyboard.press('s');
  await until(page, () => (globalThis as any).document.getElementById('inspector-said').textContent !== '');
  expect(await said()).toMatch(new RegExp(`^1 resumption: #${ready[1]} `));
});

it('Next instant moves the clock to the first timer; the timers are listed in the order they wake', async () => {
  const { page } = app;
  // The rest of this instant first, so that every sleeper of it is listed.
  for (let i = 0; i < 10 && (await rows('ready')).length > 0; i++) await press('#step');
  expect(await rows('ready')).toEqual([]);
  const listed = await rows('timers');
  const timers = await page.evaluate(() => (globalThis as any).__corotone.inspector.shown.timers as { at: number; task: { id: number } }[]);
  expect(listed).toEqual(timers.map((x) => x.task.id));
  const times = timers.map((x) => x.at);
  expect(times.length).toBeGreaterThan(0);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  await press('#step-instant');
  await until(page, () => (globalThis as any).__corotone.inspector.shown.ready.length > 0);
  const t = await page.evaluate(() => (globalThis as any).__corotone.inspector.shown.t as number);
  expect(t).toBeCloseTo(times[0], 6);
  expect(await page.locator('#inspector-t').innerText()).toBe(`${Number(times[0].toFixed(3))} s`);
});

it('a task clicked in the inspector is selected in the timeline, and Step line runs it until its command is over', async () => {
  const { page } = app;
  const timers = await page.evaluate(() => (globalThis as any).__corotone.inspector.shown.timers as { at: number; task: { id: number; name: string } }[]);
  const sleeper = timers.find((x) => x.task.name === 'beep 64 0.5');
  expect(sleeper).toBeDefined();
  await page.locator(`#inspector-timers .inspector-task[data-task="${sleeper!.task.id}"]`).click();
  // The timeline's detail card shows the selected task.
  await until(page, () => !(globalThis as any).document.getElementById('detail').hidden);
  expect(await page.locator('#detail').innerText()).toContain('beep 64 0.5');
  expect(await page.locator(`#inspector-timers .inspector-task[data-task="${sleeper!.task.id}"]`).getAttribute('aria-pressed')).toBe('true');
  await press('#step-line');
  const shown = await page.evaluate(() => (globalThis as any).__corotone.inspector.shown as { t: number; timers: { task: { id: number } }[] });
  expect(shown.t).toBeCloseTo(sleeper!.at, 6);
  expect(shown.timers.some((x) => x.task.id === sleeper!.task.id)).toBe(false);
  // Its note ended with its command: 64 no longer sounds.
  await until(page, () => !(globalThis as any).__corotone.audio.sounding.includes(64));
});

it('each task’s command is lit in the editor, named; continue hides the inspector and clears the marks', async () => {
  const { page } = app;
  await page.keyboard.press('Control+Alt+3');
  await page.locator('#editor-tabs [data-buffer="steps.txt"]').click();
  await until(page, () => (globalThis as any).document.querySelectorAll('#editor .cm-task-label').length > 0);
  const labels = await page.locator('#editor .cm-task-label').allInnerTexts();
  const tree = await page.evaluate(() => (globalThis as any).__corotone.inspector.shown.tree as { task: { id: number; line: number | null }; awaits: { kind: string } }[]);
  const atCommands = tree.filter((r) => r.task.line !== null && r.awaits.kind !== 'tasks').map((r) => `#${r.task.id}`);
  expect([...labels].sort()).toEqual([...atCommands].sort());
  await page.locator('#pause').click();
  await until(page, () => (globalThis as any).document.getElementById('inspector').hidden);
  await until(page, () => (globalThis as any).document.querySelectorAll('#editor .cm-task-label').length === 0);
  expect(app.log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
});

it('a page that joins a paused session (a reload) shows the inspector as it stands', async () => {
  const { page } = app;
  await typeLine(page, 'beep 50 30');
  await until(page, () => (globalThis as any).__corotone.model.activeNotes.includes(50));
  await page.locator('#pause').click();
  // this pause's inspector (not rows left from an earlier one): it lists the line just typed
  await until(page, () => [...(globalThis as any).document.querySelectorAll('#inspector-tree .inspector-task')].some((e: any) => e.textContent.includes('beep 50 30')));
  const tree = await rows('tree');
  await page.reload();
  await waitForApp(page);
  await until(page, () => (globalThis as any).document.querySelectorAll('#inspector-tree .inspector-task').length > 0);
  expect(await rows('tree')).toEqual(tree);
  expect(await page.locator('#st-clock').innerText()).toMatch(/^paused at t = /);
  await page.locator('#pause').click();
  await until(page, () => (globalThis as any).document.getElementById('inspector').hidden);
});
