import { describe, expect, it } from 'vitest';
import {
  API_KEYS,
  API_METHODS,
  CHANNELS,
  REQUEST_TYPES,
  createApi,
  parseHostFrame,
  parseHostMessage,
  parseJson,
  parseRendererRequest,
  parseReply,
  replyError,
  replyOk,
  type HostMessage,
  type ParamsOf,
  type RendererRequest,
  type SessionEvent,
} from '../../src/protocol';

const notes: SessionEvent = { type: 'notes', t: 0, ns: 0, wall: 0.001, notes: [60], freqs: [523.25] };
const created: SessionEvent = {
  type: 'task-created', t: 0, wall: 0, id: 3, parent: 1, name: 'add 60', kind: 'line', source: 'terminal',
  pos: { source: 'terminal', line: 1, col: 1 },
};

const example = {
  file: 'countdown.txt', title: 'Countdown A and B', seed: '003', story: 'Two countdowns...',
  header: 'Countdown A and B\n\nTwo countdowns', text: '# Countdown A and B\nbeep 72 0.3\n',
};

describe('renderer requests', () => {
  it('accepts every request type with its parameters', () => {
    const samples: RendererRequest[] = [
      { id: 1, type: 'submit-line', line: 'add 60' },
      { id: 2, type: 'load-script', name: 'song.txt', text: 'add 60\nwait 1\n' },
      { id: 3, type: 'stop-source', source: 'song.txt' },
      { id: 30, type: 'interrupt-source', source: 'terminal' },
      { id: 4, type: 'cancel-task', taskId: 7 },
      { id: 5, type: 'stop-all' },
      { id: 6, type: 'panic' },
      { id: 7, type: 'get-snapshot' },
      { id: 8, type: 'export-audio' },
      { id: 80, type: 'export-audio', what: 'terminal', exportId: 'export-1' },
      { id: 81, type: 'cancel-export', exportId: 'export-1' },
      { id: 82, type: 'cancel-export' },
      { id: 9, type: 'save-session' },
      { id: 10, type: 'list-examples' },
      { id: 11, type: 'load-example', file: 'countdown.txt' },
      { id: 12, type: 'load-example', file: 'countdown.txt', play: false },
      { id: 13, type: 'set-speed', speed: 0.5 },
      { id: 16, type: 'set-paused', paused: true },
      { id: 17, type: 'set-paused', paused: false },
      { id: 14, type: 'set-osc', target: '127.0.0.1:57120' },
      { id: 15, type: 'set-osc', target: null },
      { id: 83, type: 'export-audio', what: 'all', format: 'midi' },
      { id: 84, type: 'step', kind: 'step' },
      { id: 85, type: 'step', kind: 'line', taskId: 7 },
      { id: 86, type: 'inspect' },
      { id: 87, type: 'explore', name: 'races.txt', text: 'race beep C5 1 | beep E5 1', budget: 50 },
      { id: 90, type: 'replay-from', t: 1.25 },
      { id: 91, type: 'replay-from', t: 0, paused: false },
      { id: 92, type: 'add-sample', name: 'kick.wav', data: 'UklGRg==' },
      { id: 93, type: 'get-sample', sample: 'dropped/kick.wav', from: 0 },
    ];
    expect([...new Set(samples.map((s) => s.type))].sort()).toEqual([...REQUEST_TYPES].sort());
    for (const sample of samples) expect(parseRendererRequest(sample)).toEqual({ ok: true, value: sample });
  });

  it('refuses malformed requests with a message and keeps the id when it can', () => {
    const bad: unknown[] = [
      null,
      'add 60',
      { id: 1, type: 'submit-line' },
      { id: 1, type: 'submit-line', line: 60 },
      { id: 2, type: 'format-disk' },
      { id: -1, type: 'panic' },
      { id: 3, type: 'cancel-task', taskId: 1.5 },
      { id: 4, type: 'load-script', name: '', text: 'x' },
      { id: 5, type: 'submit-line', line: 'x'.repeat(70_000) },
      { id: 6, type: 'set-speed', speed: 2 },
      { id: 7, type: 'set-speed', speed: '0.5' },
      { id: 8, type: 'set-speed' },
      { id: 12, type: 'set-paused' },
      { id: 13, type: 'set-paused', paused: 1 },
      { id: 14, type: 'step' },
      { id: 15, type: 'step', kind: 'over' },
      { id: 16, type: 'step', kind: 'line', taskId: -1 },
      { id: 17, type: 'replay-from' },
      { id: 18, type: 'replay-from', t: -1 },
      { id: 19, type: 'replay-from', t: 1, paused: 'yes' },
      { id: 9, type: 'load-example' },
      { id: 10, type: 'load-example', file: '' },
      { id: 11, type: 'load-example', file: 'countdown.txt', play: 'yes' },
    ];
    for (const input of bad) {
      const result = parseRendererRequest(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^invalid request/);
    }
    const withId = parseRendererRequest({ id: 4, type: 'cancel-task', taskId: 'x' });
    expect(!withId.ok && withId.error.id).toBe(4);
  });

  it('never throws, even on hostile objects', () => {
    const hostile = new Proxy({}, { get() { throw new Error('boom'); }, ownKeys() { throw new Error('boom'); } });
    expect(parseRendererRequest(hostile).ok).toBe(false);
    expect(parseHostMessage(hostile).ok).toBe(false);
    expect(parseJson('{').ok).toBe(false);
    expect(parseJson(42).ok).toBe(false);
  });
});

describe('host messages', () => {
  it('accepts event batches, snapshots and notices', () => {
    const messages: HostMessage[] = [
      { type: 'events', events: [created, notes, { type: 'task-sleeping', t: 0, wall: 0, id: 3, until: 0.5 }] },
      {
        type: 'snapshot', protocol: 1, sessionId: 's1', script: null,
        snapshot: { t: 1, wall: 1, notes: [60], tasks: [{ id: 3, parent: 1, name: 'add 60', kind: 'line', source: 'terminal', pos: null, state: 'sleeping' }], recent: [notes] },
        clock: { t: 1, wall: 1, epochMs: Date.now(), speed: 1 },
      },
      { type: 'notice', level: 'info', text: 'saved' },
      { type: 'menu', action: 'export-audio' },
      { type: 'example', example },
      { type: 'clock', clock: { t: 2.5, wall: 2.5, epochMs: Date.now(), speed: 0.25 } },
      {
        type: 'snapshot', protocol: 1, sessionId: 's1', script: { name: 'countdown.txt' }, example,
        snapshot: { t: 0, wall: 0, notes: [], tasks: [], recent: [] },
        clock: { t: 0, wall: 0, epochMs: Date.now(), speed: 0.5 },
      },
    ];
    for (const message of messages) expect(parseHostMessage(message)).toEqual({ ok: true, value: message });
  });

  it('carries a voice\'s effect chain, and refuses one of an unknown effect or longer than a chain can be', () => {
    const voice = { id: 1, owner: 3, note: 60, level: 0.1, onset: 0 };
    const withFx = (fx: unknown) => ({ type: 'events', events: [{ ...notes, voices: [{ ...voice, fx }] }] });
    const chain = [{ type: 'lpf', hz: 800, res: 4 }, { type: 'delay', ns: 250_000_000, feedback: 0.5 }, { type: 'reverb', room: 0.6 }];
    expect(parseHostMessage(withFx(chain))).toEqual({ ok: true, value: withFx(chain) });
    expect(parseHostMessage(withFx([{ type: 'flanger', rate: 1 }])).ok).toBe(false);
    expect(parseHostMessage(withFx([{ type: 'reverb', room: 2 }])).ok).toBe(false);
    expect(parseHostMessage(withFx([{ type: 'delay', ns: 1e15, feedback: 0.5 }])).ok).toBe(false);
    expect(parseHostMessage(withFx(Array.from({ length: 6 }, () => ({ type: 'distort', amount: 0.5 })))).ok).toBe(false);
  });

  it('refuses a menu message for a control the page does not have', () => {
    expect(parseHostMessage({ type: 'menu', action: 'format-disk' }).ok).toBe(false);
    expect(parseHostMessage({ type: 'menu' }).ok).toBe(false);
  });

  it('refuses an example without its script or title, and a clock without its speed', () => {
    const { text: _text, ...noText } = example;
    expect(parseHostMessage({ type: 'example', example: noText }).ok).toBe(false);
    expect(parseHostMessage({ type: 'example', example: { ...example, title: 7 } }).ok).toBe(false);
    expect(parseHostMessage({ type: 'clock', clock: { t: 1, wall: 1, epochMs: 0 } }).ok).toBe(false);
    expect(parseHostMessage({ type: 'clock', clock: { t: 1, wall: 1, epochMs: 0, speed: Number.NaN } }).ok).toBe(false);
  });

  it('checks the replies of the example and speed requests', () => {
    expect(parseReply('list-examples', replyOk(1, { examples: [{ file: 'a.txt', title: 'A', story: 'why' }] })).ok).toBe(true);
    expect(parseReply('list-examples', replyOk(1, { examples: [{ file: 'a.txt' }] })).ok).toBe(false);
    const loaded = { example, source: 'countdown.txt', started: true, diagnostics: [] };
    expect(parseReply('load-example', replyOk(2, loaded))).toEqual({ ok: true, value: { ok: true, value: loaded } });
    expect(parseReply('load-example', replyOk(2, { ...loaded, example: null })).ok).toBe(false);
    expect(parseReply('set-speed', replyOk(3, { speed: 0.25 })).ok).toBe(true);
    expect(parseReply('set-speed', replyOk(3, {})).ok).toBe(false);
  });

  it('refuses empty batches and events that are not session events', () => {
    expect(parseHostMessage({ type: 'events', events: [] }).ok).toBe(false);
    expect(parseHostMessage({ type: 'events', events: [{ type: 'notes', t: 0, wall: 0, notes: [60] }] }).ok).toBe(false);
    expect(parseHostMessage({ type: 'events', events: [{ ...notes, t: Number.NaN }] }).ok).toBe(false);
  });

  it('checks a reply value against the request type', () => {
    expect(parseReply('cancel-task', replyOk(1, { cancelled: true }))).toEqual({ ok: true, value: { ok: true, value: { cancelled: true } } });
    expect(parseReply('cancel-task', replyOk(1, { stopped: true })).ok).toBe(false);
    const error = replyError(2, { code: 'invalid-message', message: 'no' });
    expect(parseReply('panic', error)).toEqual({ ok: true, value: { ok: false, error: { code: 'invalid-message', message: 'no' } } });
    expect(parseHostFrame(error).ok).toBe(true);
  });

  it('accepts an export as a link to the host\'s download route, and nothing but such a path', () => {
    const link = { kind: 'link', fileName: 'tune.wav', mime: 'audio/wav', url: `/download/${'a'.repeat(43)}`, size: 1234 };
    expect(parseReply('export-audio', replyOk(1, link))).toEqual({ ok: true, value: { ok: true, value: link } });
    for (const url of ['http://evil.example/download/' + 'a'.repeat(43), '/download/../index.html', '/download/short', `/download/${'a'.repeat(43)}?x=1`, '//evil.example/x']) {
      expect(parseReply('export-audio', replyOk(1, { ...link, url })).ok).toBe(false);
    }
    expect(parseReply('export-audio', replyOk(1, { ...link, size: -1 })).ok).toBe(false);
    const { size: _size, ...noSize } = link;
    expect(parseReply('export-audio', replyOk(1, noSize)).ok).toBe(false);
    // The inline shape still holds (save-session in web mode).
    const inline = { kind: 'download', fileName: 's.txt', mime: 'text/plain;charset=utf-8', encoding: 'utf8', data: 'beep 60\n' };
    expect(parseReply('save-session', replyOk(2, inline)).ok).toBe(true);
  });
});

describe('createApi', () => {
  it('has exactly one method per request plus onHostMessage', () => {
    const api = createApi({ invoke: async () => null, listen: () => () => {} });
    expect(Object.keys(api).sort()).toEqual([...API_KEYS].sort());
    expect(new Set(Object.values(API_METHODS))).toEqual(new Set(REQUEST_TYPES));
    expect(CHANNELS.request).not.toBe(CHANNELS.host);
  });

  it('sends validated requests, validates replies and drops invalid host messages', async () => {
    const sent: RendererRequest[] = [];
    let push: (raw: unknown) => void = () => {};
    const invalid: string[] = [];
    const api = createApi({
      invoke: async (request) => {
        sent.push(request);
        return request.type === 'submit-line' ? replyOk(request.id, { source: 'terminal' }) : { garbage: true };
      },
      listen: (listener) => {
        push = listener;
        return () => {};
      },
      onInvalid: (m) => invalid.push(m),
    });
    expect(await api.submitLine({ line: 'add 60' })).toEqual({ ok: true, value: { source: 'terminal' } });
    expect(sent[0]).toMatchObject({ type: 'submit-line', line: 'add 60' });
    const garbage = await api.panic();
    expect(garbage.ok).toBe(false);
    // Invalid parameters never reach the transport.
    const before = sent.length;
    const refused = await api.cancelTask({ taskId: 'x' as unknown as number });
    expect(refused.ok === false && refused.error.code).toBe('invalid-message');
    expect(sent.length).toBe(before);

    const got: HostMessage[] = [];
    api.onHostMessage((m) => got.push(m));
    push({ type: 'events', events: [notes] });
    push({ type: 'events', events: 'nope' });
    expect(got).toEqual([{ type: 'events', events: [notes] }]);
    expect(invalid).toHaveLength(1);
  });
});

describe('types', () => {
  it('gives each request its own parameters (checked by tsc)', () => {
    const line: ParamsOf<'submit-line'> = { line: 'add 60' };
    // @ts-expect-error a submit-line has no taskId
    const wrong: ParamsOf<'submit-line'> = { taskId: 1 };
    const request: RendererRequest = { id: 1, type: 'cancel-task', taskId: 2 };
    expect(request.type === 'cancel-task' && request.taskId).toBe(2);
    expect([line, wrong]).toHaveLength(2);
  });
});
