/**
 * The app's OSC out in Chromium (web mode): HOST:PORT typed into the status
 * bar's OSC box sends the notes played to a UDP listener on 127.0.0.1; an
 * address of another machine is refused with the reason (web mode without
 * --osc-any-host), and an empty box turns it off.
 */
import { createSocket, type Socket } from 'node:dgram';
import { fromBuffer, type OscBundleOutput, type OscMessageOutput } from 'osc-min';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openScript, startApp, terminalText, until, type AppUnderTest } from '../support/e2e/harness';

let app: AppUnderTest;
let socket: Socket;
const messages: OscMessageOutput[] = [];

beforeAll(async () => {
  socket = createSocket('udp4');
  socket.on('message', (data) => messages.push(...((fromBuffer(data) as OscBundleOutput).elements as OscMessageOutput[])));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  app = await startApp('osc-out');
});

afterAll(async () => {
  await app?.stop();
  socket?.close();
});

it('sends the notes to the address typed in the OSC box, and refuses another machine', async () => {
  const { page } = app;
  const box = page.locator('#osc-target');
  await box.fill('192.0.2.7:57120');
  await box.press('Enter');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('OSC goes to this machine only'));
  // typed as a user types it: the keys go to the box, not to the terminal
  await box.fill('');
  await box.click();
  await page.keyboard.type(`127.0.0.1:${socket.address().port}`);
  await page.keyboard.press('Enter');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('OSC out: every note to 127.0.0.1'));
  await openScript(page, 'osc.txt', 'beep 62 0.1\ncue done\n');
  const deadline = Date.now() + 20_000;
  while (!messages.some((m) => m.address === '/corotone/cue') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // the cue and the note's end are of one instant (two bundles with one time tag)
  expect(messages.map((m) => `${m.address} ${(m.args[0] as { value: unknown }).value}`).sort()).toEqual(['/corotone/cue done', '/corotone/note/off 62', '/corotone/note/on 62']);
  await box.fill('');
  await box.press('Enter');
  await until(page, () => (globalThis as any).__corotone.terminal.screenText().includes('OSC out: off'));
  expect(await terminalText(page)).toContain('OSC out: off');
});
