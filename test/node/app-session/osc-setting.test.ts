/**
 * The app's OSC out (set-osc): the session's notes to a UDP listener on
 * 127.0.0.1 as /corotone/note/on and off bundles; an address that is not this
 * machine's is refused unless the host allows any (the desktop app, web mode
 * with --osc-any-host); null stops it.
 */
import { createSocket } from 'node:dgram';
import { fromBuffer, type OscBundleOutput, type OscMessageOutput } from 'osc-min';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSession } from '../../../src/node/app-session/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';

const apps: AppSession[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

function app(oscAnyHost?: boolean): AppSession {
  const a = new AppSession({ createEngine: createRealEngine, oscAnyHost });
  apps.push(a);
  return a;
}

describe('set-osc', () => {
  it('sends the notes the session plays to the address, each as note on and note off', async () => {
    const socket = createSocket('udp4');
    const messages: OscMessageOutput[] = [];
    socket.on('message', (data) => messages.push(...((fromBuffer(data) as OscBundleOutput).elements as OscMessageOutput[])));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const host = app();
      const target = `127.0.0.1:${socket.address().port}`;
      expect(await host.handle({ id: 1, type: 'set-osc', target }, null)).toMatchObject({ ok: true, value: { target } });
      await host.handle({ id: 2, type: 'load-script', name: 'osc.txt', text: 'beep 60 0.05\nbeep 67 0.05\n' }, null);
      const deadline = Date.now() + 20_000;
      while (messages.filter((m) => m.address === '/corotone/note/off').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const notes = (address: string) => messages.filter((m) => m.address === address).map((m) => (m.args[0] as { value: number }).value);
      expect(notes('/corotone/note/on')).toEqual([60, 67]);
      expect(notes('/corotone/note/off')).toEqual([60, 67]);
      expect(await host.handle({ id: 3, type: 'set-osc', target: null }, null)).toMatchObject({ ok: true, value: { target: null } });
      await host.handle({ id: 4, type: 'load-script', name: 'after.txt', text: 'beep 62 0.05\n' }, null);
      await new Promise((r) => setTimeout(r, 300));
      expect(notes('/corotone/note/on')).toEqual([60, 67]);
    } finally {
      socket.close();
    }
  });

  it('refuses another machine unless the host allows any, and an address that is not HOST:PORT', async () => {
    expect(await app().handle({ id: 1, type: 'set-osc', target: '192.0.2.7:57120' }, null)).toMatchObject({
      ok: false,
      error: { message: 'OSC out: OSC goes to this machine only (127.0.0.1, ::1): 192.0.2.7 is 192.0.2.7; start web mode with --osc-any-host to send elsewhere' },
    });
    expect(await app(true).handle({ id: 2, type: 'set-osc', target: '192.0.2.7:57120' }, null)).toMatchObject({ ok: true, value: { target: '192.0.2.7:57120' } });
    expect(await app().handle({ id: 3, type: 'set-osc', target: 'localhost' }, null)).toMatchObject({ ok: false, error: { message: 'OSC out takes HOST:PORT, like 127.0.0.1:57120, not "localhost"' } });
  });
});
