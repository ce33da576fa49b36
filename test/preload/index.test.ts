/**
 * The preload's contract, on the real build output (electron-vite with the
 * project's config): one CommonJS file that requires only `electron`, run in a
 * sandbox-like context with a fake `electron`, exposing exactly the protocol's
 * API and validating what crosses.
 */
import { readFileSync, rmSync } from 'node:fs';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, CHANNELS } from '../../src/protocol';
import { buildApp, type BuiltApp } from '../support/main/build';

let built: BuiltApp;

beforeAll(async () => {
  built = await buildApp();
});

afterAll(() => {
  if (built) rmSync(built.dir, { recursive: true, force: true });
});

describe('the preload', () => {
  it('makes the preload one CommonJS file that requires nothing but electron', () => {
    const code = readFileSync(built.preloadFile, 'utf8');
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);
  });

  function loadPreload() {
    const exposed: { name: string; api: Record<string, unknown> }[] = [];
    const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    const invoked: { channel: string; request: unknown }[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push({ name, api }) },
      ipcRenderer: {
        invoke: async (channel: string, request: { id: number }) => {
          invoked.push({ channel, request });
          return { type: 'reply', id: request.id, ok: true, value: { source: 'terminal' } };
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
        removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
          listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)),
      },
    };
    const required: string[] = [];
    const module = { exports: {} };
    vm.runInNewContext(readFileSync(built.preloadFile, 'utf8'), {
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
        return electron;
      },
      console,
      setTimeout,
      clearTimeout,
      TextEncoder,
      TextDecoder,
    });
    return { exposed, listeners, invoked, required };
  }

  it('exposes exactly one API, with exactly the protocol’s methods', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    expect(exposed[0].name).toBe('corotone');
    expect(Object.keys(exposed[0].api).sort()).toEqual([...API_KEYS].sort());
    for (const value of Object.values(exposed[0].api)) expect(typeof value).toBe('function');
  });

  it('sends validated requests on the request channel and refuses invalid ones locally', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed[0].api as { submitLine(p: unknown): Promise<unknown>; cancelTask(p: unknown): Promise<{ ok: boolean }> };
    expect(await api.submitLine({ line: 'add 60' })).toEqual({ ok: true, value: { source: 'terminal' } });
    expect(invoked).toEqual([{ channel: CHANNELS.request, request: { id: 1, type: 'submit-line', line: 'add 60' } }]);
    expect((await api.cancelTask({ taskId: 'all' })).ok).toBe(false);
    expect(invoked).toHaveLength(1);
  });

  it('hands listeners the validated message only, never the IPC event, and unsubscribes', () => {
    const { exposed, listeners } = loadPreload();
    const got: unknown[][] = [];
    const off = (exposed[0].api.onHostMessage as (l: (...a: unknown[]) => void) => () => void)((...args) => got.push(args));
    const [wrapped] = listeners.get(CHANNELS.host)!;
    const event = { sender: { send() {} }, ports: [] };
    const message = { type: 'notice', level: 'info', text: 'hello' };
    wrapped(event, message);
    wrapped(event, { type: 'notice', level: 'loud', text: 'invalid' });
    expect(got).toEqual([[message]]);
    off();
    expect(listeners.get(CHANNELS.host)).toEqual([]);
  });
});
