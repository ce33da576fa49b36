import { describe, expect, it } from 'vitest';
import { electronTransport } from '../../src/renderer/transport';
import type { CorotoneApi, HostMessage } from '../../src/protocol';

/** A stand-in for the preload's API that pushes whatever it is given, valid or not. */
function fakeApi(): { api: CorotoneApi; push(raw: unknown): void } {
  const listeners = new Set<(m: HostMessage) => void>();
  const api = {
    onHostMessage(listener: (m: HostMessage) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as CorotoneApi;
  return { api, push: (raw) => listeners.forEach((l) => l(raw as HostMessage)) };
}

describe('the Electron transport', () => {
  it('passes valid host messages on and drops malformed ones', () => {
    const { api, push } = fakeApi();
    const got: HostMessage[] = [];
    const warn = console.warn;
    console.warn = () => {};
    try {
      electronTransport(api).onMessage((m) => got.push(m));
      push({ type: 'events', events: [{ type: 'notes', t: 1, ns: 1e9, wall: 1, notes: [60], freqs: [523.25] }] });
      push({ type: 'events', events: [{ type: 'notes', t: 'soon', ns: 1e9, wall: 1, notes: [60], freqs: [523.25] }] });
      push({ type: 'events', events: [] });
      push({ type: 'launch-missiles' });
      push(null);
      push({ type: 'notice', level: 'info', text: 'saved' });
    } finally {
      console.warn = warn;
    }
    expect(got.map((m) => m.type)).toEqual(['events', 'notice']);
  });

  it('stops delivering after unsubscribing', () => {
    const { api, push } = fakeApi();
    let count = 0;
    const off = electronTransport(api).onMessage(() => count++);
    push({ type: 'notice', level: 'info', text: 'a' });
    off();
    push({ type: 'notice', level: 'info', text: 'b' });
    expect(count).toBe(1);
  });
});
