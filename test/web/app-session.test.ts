/**
 * The engine host shared by Electron main and web mode, on the core's real
 * Session driven on its virtual clock (so the test controls time).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/core/session/session';
import { AppSession, type View } from '../../src/node/app-session/app-session';
import type { BatcherTimers } from '../../src/node/app-session/batcher';
import { renderScriptToWav } from '../../src/node/app-session/real-engine';
import { scriptHeader } from '../../src/node/app-session/examples';
import { parseHostMessage, type HostMessage, type SessionEvent } from '../../src/protocol';

/** Timers the test fires by hand. */
function manualTimers(): BatcherTimers & { fire(): void; pending: number } {
  let callbacks: (() => void)[] = [];
  return {
    setTimeout(callback) {
      callbacks.push(callback);
      return callback;
    },
    clearTimeout(handle) {
      callbacks = callbacks.filter((c) => c !== handle);
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const c of due) c();
    },
    get pending() {
      return callbacks.length;
    },
  };
}

function setup(options: { maxEvents?: number; examplesDir?: string } = {}) {
  const sessions: Session[] = [];
  const clocks: { speed: number }[] = [];
  let closed = 0;
  const timers = manualTimers();
  const app = new AppSession({
    createEngine: () => {
      const session = new Session();
      sessions.push(session);
      const s = session.scheduler;
      const clock = { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos };
      clocks.push(clock);
      return { session, clock, close: () => void closed++ };
    },
    renderWav: (script, rate) => renderScriptToWav(script, rate),
    batching: { timers, maxEvents: options.maxEvents },
    examplesDir: options.examplesDir,
  });
  const received: HostMessage[] = [];
  const view: View = { send: (m) => received.push(m) };
  /** Run the virtual clock up to `seconds` (as the real clock would stand there, even if idle before), or until idle. */
  const run = (seconds?: number) => {
    const s = sessions.at(-1)!.scheduler;
    s.runUntilIdle(seconds);
    if (seconds !== undefined && s.nowNanos < seconds * 1e9) s.advanceTo(Math.round(seconds * 1e9));
  };
  return { app, timers, received, view, run, sessions, clocks, closedEngines: () => closed };
}

const EXAMPLES = resolve(import.meta.dirname, '../../resources/examples');

const eventsOf = (messages: HostMessage[]): SessionEvent[] => messages.flatMap((m) => (m.type === 'events' ? m.events : []));
const notesEvents = (messages: HostMessage[]) => eventsOf(messages).filter((e) => e.type === 'notes');

describe('AppSession', () => {
  it('sends a new view a snapshot, then batches of events', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    expect(received[0]).toMatchObject({ type: 'snapshot', protocol: 1, snapshot: { notes: [] } });

    const reply = await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    expect(reply).toEqual({ type: 'reply', id: 1, ok: true, value: { source: 'terminal' } });
    run();
    // Nothing is sent event by event: the batch waits for its timer.
    expect(received).toHaveLength(1);
    timers.fire();
    expect(received).toHaveLength(2);
    expect(received[1].type).toBe('events');
    expect(notesEvents(received).map((e) => e.type === 'notes' && e.notes)).toEqual([[60]]);
  });

  it('splits a burst into batches of at most maxEvents', async () => {
    const { app, timers, received, view, run } = setup({ maxEvents: 5 });
    app.attach(view);
    for (let i = 0; i < 10; i++) await app.handle({ id: i, type: 'submit-line', line: `add ${60 + i}` }, view);
    run();
    timers.fire();
    const batches = received.filter((m) => m.type === 'events');
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(b.type === 'events' && b.events.length).toBeLessThanOrEqual(5);
    expect(notesEvents(received).at(-1)).toMatchObject({ notes: [60, 61, 62, 63, 64, 65, 66, 67, 68, 69] });
  });

  it('gives a renderer that attaches later (a reload) the notes and tasks as they stand', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'chord 5 64 67' }, view);
    run(1);
    const later: HostMessage[] = [];
    app.attach({ send: (m) => later.push(m) });
    expect(later).toHaveLength(1);
    const snapshot = later[0];
    expect(snapshot.type).toBe('snapshot');
    if (snapshot.type !== 'snapshot') return;
    expect(snapshot.sessionId).toBe(app.sessionId);
    expect(snapshot.snapshot.notes).toEqual([60, 64, 67]);
    expect(snapshot.snapshot.tasks.map((t) => t.name)).toContain('chord 5 64 67');
    expect(snapshot.snapshot.recent.some((e) => e.type === 'notes')).toBe(true);
  });

  it('answers an invalid request with an error and changes nothing', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const before = app.snapshotMessage().snapshot;
    const bad: unknown[] = [
      { id: 1, type: 'submit-line', line: 42 },
      { id: 2, type: 'cancel-task' },
      { id: 3, type: 'rm -rf' },
      'panic',
      null,
      { id: 4, type: 'load-script', name: 'x.txt', text: 'x'.repeat(5_000_000) },
    ];
    for (const input of bad) {
      const reply = await app.handle(input, view);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('invalid-message');
    }
    run();
    timers.fire();
    expect(received.filter((m) => m.type === 'events')).toEqual([]);
    expect(app.snapshotMessage().snapshot).toEqual(before);
  });

  it('plays nothing of a script with a parse error, and answers with every error located', async () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const reply = await app.handle({ id: 1, type: 'load-script', name: 'song.txt', text: 'add 60\nfrobnicate 3\nwait 1\nchord x 60\nremove 60\n' }, view);
    expect(reply).toMatchObject({ ok: false, error: { code: 'parse-error' } });
    if (reply.ok) return;
    expect(reply.error.message).toContain('song.txt: not played, 2 errors');
    expect(reply.error.diagnostics!.map((d) => [d.source, d.line])).toEqual([['song.txt', 2], ['song.txt', 4]]);
    run(2);
    timers.fire();
    expect(notesEvents(received)).toEqual([]);
    expect(eventsOf(received).some((e) => e.type === 'task-created' && e.source === 'song.txt')).toBe(false);
    expect(app.snapshotMessage().script).toBeNull();
    // A good script plays.
    expect(await app.handle({ id: 2, type: 'load-script', name: 'good.txt', text: 'add 60\nwait 1\nremove 60\n' }, view)).toMatchObject({ ok: true, value: { started: true, diagnostics: [] } });
    run();
    timers.fire();
    expect(notesEvents(received).map((e) => e.type === 'notes' && e.notes)).toEqual([[60], []]);
    expect(app.snapshotMessage().script).toEqual({ name: 'good.txt' });
  });

  it('a script opened from a menu (no reply to carry its errors) sends them to every view as diagnostics', () => {
    const { app, timers, received, view, run } = setup();
    app.attach(view);
    const result = app.openScript('menu.txt', 'beep 60\nbeep zz\n');
    expect(result.started).toBe(false);
    run(1);
    timers.fire();
    const diagnostics = eventsOf(received).filter((e) => e.type === 'diagnostic');
    expect(diagnostics.map((e) => e.type === 'diagnostic' && [e.diagnostic.source, e.diagnostic.line])).toEqual([['menu.txt', 2]]);
    expect(received.some((m) => m.type === 'notice' && m.level === 'error' && m.text.includes('menu.txt: not played'))).toBe(true);
    expect(notesEvents(received)).toEqual([]);
  });

  it('stops a source, cancels a task, stops all and panics on request', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'load-script', name: 'a.txt', text: 'chord 10 60\n' }, view);
    await app.handle({ id: 2, type: 'load-script', name: 'b.txt', text: 'chord 10 64\n' }, view);
    run(1);
    expect(app.snapshotMessage().snapshot.notes).toEqual([60, 64]);
    expect(await app.handle({ id: 3, type: 'stop-source', source: 'a.txt' }, view)).toMatchObject({ ok: true, value: { stopped: true } });
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64]);
    const chord = app.snapshotMessage().snapshot.tasks.find((t) => t.name === 'chord 10 64')!;
    expect(await app.handle({ id: 4, type: 'cancel-task', taskId: chord.id }, view)).toMatchObject({ ok: true, value: { cancelled: true } });
    run(3);
    expect(await app.handle({ id: 5, type: 'cancel-task', taskId: chord.id }, view)).toMatchObject({ ok: true, value: { cancelled: false } });
    expect(app.snapshotMessage().snapshot.notes).toEqual([]);
    await app.handle({ id: 6, type: 'submit-line', line: 'add 70' }, view);
    run(4);
    expect(app.snapshotMessage().snapshot.notes).toEqual([70]);
    expect(await app.handle({ id: 7, type: 'panic' }, view)).toMatchObject({ ok: true });
    run(5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([]);
  });

  it('plays a line typed right after stop-all or panic, in a fresh terminal source', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'chord 10 60' }, view);
    run(1);
    await app.handle({ id: 2, type: 'stop-all' }, view);
    await app.handle({ id: 3, type: 'submit-line', line: 'add 62' }, view);
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
    await app.handle({ id: 4, type: 'panic' }, view);
    await app.handle({ id: 5, type: 'submit-line', line: 'add 64' }, view);
    run(3);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64]);
    // Only one terminal source is alive: typed lines still run one after another.
    await app.handle({ id: 6, type: 'submit-line', line: 'chord 1 70' }, view);
    await app.handle({ id: 7, type: 'submit-line', line: 'add 72' }, view);
    run(3.5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64, 70]);
    run(4.5);
    expect(app.snapshotMessage().snapshot.notes).toEqual([64, 72]);
  });

  it('interrupts the terminal (Ctrl+C): the running line stops, queued ones are dropped, new ones play', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'chord 10 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'add 61' }, view);
    run(1);
    expect(app.snapshotMessage().snapshot.notes).toEqual([60]);
    expect(await app.handle({ id: 3, type: 'interrupt-source', source: 'terminal' }, view)).toMatchObject({ ok: true, value: { interrupted: true } });
    await app.handle({ id: 4, type: 'submit-line', line: 'add 62' }, view);
    run(2);
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
  });

  it('saves what was typed, with the pauses, as a script that replays the same notes', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    const typed: [number, string][] = [
      [0, 'add 60'],
      [0.5, 'chord 0.25 64'],
      [2, 'remove 60'],
    ];
    for (const [at, line] of typed) {
      run(at);
      await app.handle({ id: 1, type: 'submit-line', line }, view);
    }
    run();
    const original = notesEvents([{ type: 'events', events: app.snapshotMessage().snapshot.recent as SessionEvent[] }] as HostMessage[])
      .map((e) => [e.t, e.type === 'notes' && e.notes]);
    const saved = await app.handle({ id: 9, type: 'save-session' }, view);
    expect(saved.ok).toBe(true);
    const file = saved.ok ? (saved.value as { kind: string; encoding: string; data: string }) : null;
    expect(file).toMatchObject({ kind: 'download', encoding: 'utf8' });
    expect(file!.data).toBe('add 60\nwait 0.5\nchord 0.25 64\nwait 1.25\nremove 60\n');

    const replay = new Session();
    const replayed: [number, number[]][] = [];
    replay.subscribe((e) => {
      if (e.type === 'notes') replayed.push([e.t, e.notes]);
    });
    replay.loadScript('saved.txt', file!.data);
    replay.scheduler.runUntilIdle();
    expect(replayed).toEqual(original);
  });

  it('exports the current script as a WAV that sounds the notes for as long as they play', async () => {
    const { app, view } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'load-script', name: 'a4.txt', text: 'beep 57 0.5\n' }, view);
    const reply = await app.handle({ id: 2, type: 'export-audio', sampleRate: 48000 }, view);
    expect(reply.ok).toBe(true);
    const file = reply.ok ? (reply.value as { kind: string; fileName: string; mime: string; data: string }) : null;
    expect(file).toMatchObject({ kind: 'download', fileName: 'a4.wav', mime: 'audio/wav' });
    const wav = Buffer.from(file!.data, 'base64');
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    const rate = wav.readUInt32LE(24);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
    expect(rate).toBe(48000);
    // About half a second long (plus at most a short fade tail).
    expect(samples.length / rate).toBeGreaterThanOrEqual(0.5);
    expect(samples.length / rate).toBeLessThan(0.6);
    // Its strongest frequency in the middle is A4 (note 57 = 440 Hz): compare Goertzel powers.
    const mid = samples.subarray(4800, 4800 + 9600);
    const power = (f: number) => {
      const k = (2 * Math.cos((2 * Math.PI * f) / rate));
      let s1 = 0;
      let s2 = 0;
      for (const x of mid) {
        const s0 = x + k * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      return s1 * s1 + s2 * s2 - k * s1 * s2;
    };
    expect(power(440)).toBeGreaterThan(100 * power(523.25));
    expect(power(440)).toBeGreaterThan(100 * power(330));
  });

  it('reports export-audio as unavailable without a synthesiser, and nothing to export as failed', async () => {
    const plain = new AppSession({
      createEngine: () => {
        const session = new Session();
        return { session, clock: { start() {}, stop() {}, wall: 0, speed: 1, logicalNowNs: () => 0 } };
      },
    });
    expect(await plain.handle({ id: 1, type: 'export-audio' }, null)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    plain.dispose();
    const { app } = setup();
    expect(await app.handle({ id: 2, type: 'export-audio' }, null)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('starts a fresh session after quit and sends every view its snapshot', async () => {
    const { app, received, view, run } = setup();
    app.attach(view);
    const first = app.sessionId;
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'quit' }, view);
    run();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.sessionId).not.toBe(first);
    const last = received.filter((m) => m.type === 'snapshot').at(-1);
    expect(last).toMatchObject({ sessionId: app.sessionId, snapshot: { notes: [] } });
    expect(received.some((m) => m.type === 'notice')).toBe(true);
    expect(eventsOf(received).some((e) => e.type === 'session-ended')).toBe(true);
    // The new session plays.
    await app.handle({ id: 3, type: 'submit-line', line: 'add 62' }, view);
    run();
    expect(app.snapshotMessage().snapshot.notes).toEqual([62]);
  });

  it('closes the old engine (its worker threads) when quit replaces it, and when disposed', async () => {
    const { app, view, run, closedEngines } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'quit' }, view);
    run();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(closedEngines()).toBe(1);
    app.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(closedEngines()).toBe(2);
  });
});

describe('examples', () => {
  it('lists the lessons of resources/examples/index.json, in its order, with their stories', async () => {
    const { app, view } = setup({ examplesDir: EXAMPLES });
    const index = JSON.parse(readFileSync(join(EXAMPLES, 'index.json'), 'utf8')) as { examples: { title: string; file: string; story: string }[] };
    const reply = await app.handle({ id: 1, type: 'list-examples' }, view);
    expect(reply.ok).toBe(true);
    const examples = (reply as { value: { examples: { title: string; file: string; story: string }[] } }).value.examples;
    expect(examples.map((e) => [e.file, e.title, e.story])).toEqual(index.examples.map((e) => [e.file, e.title, e.story]));
  });

  it('opens an example: every view gets its story and script, and it plays as its own source', async () => {
    const { app, timers, received, view, run } = setup({ examplesDir: EXAMPLES });
    const other: HostMessage[] = [];
    app.attach(view);
    app.attach({ send: (m) => other.push(m) });
    const reply = await app.handle({ id: 1, type: 'load-example', file: 'exceptions.txt' }, view);
    expect(reply).toMatchObject({ ok: true, value: { source: 'exceptions.txt', started: true, diagnostics: [], example: { title: 'Exceptions', file: 'exceptions.txt' } } });
    const text = readFileSync(join(EXAMPLES, 'exceptions.txt'), 'utf8');
    const pushed = other.find((m) => m.type === 'example');
    expect(pushed).toMatchObject({ type: 'example', example: { file: 'exceptions.txt', text } });
    // the message is valid protocol, and its header is the file's # lines as prose
    expect(parseHostMessage(pushed).ok).toBe(true);
    if (pushed?.type === 'example') {
      expect(pushed.example.header.split('\n')[0]).toBe('Exceptions');
      expect(pushed.example.header).toContain('async def square(x):');
      expect(pushed.example.header).not.toMatch(/^#/m);
    }
    run(2);
    timers.fire();
    expect(eventsOf(received).some((e) => e.type === 'task-created' && e.source === 'exceptions.txt' && e.kind === 'line')).toBe(true);
    // a reloaded page is told which example is open
    expect(app.snapshotMessage().example).toMatchObject({ file: 'exceptions.txt' });
  });

  it('shows an example without playing it when asked, and refuses a file the index does not list', async () => {
    const { app, view, run, timers, received } = setup({ examplesDir: EXAMPLES });
    app.attach(view);
    expect(await app.handle({ id: 1, type: 'load-example', file: 'countdown.txt', play: false }, view)).toMatchObject({ ok: true, value: { started: false } });
    run(1);
    timers.fire();
    expect(eventsOf(received).filter((e) => e.type === 'task-created' && e.source === 'countdown.txt')).toEqual([]);
    for (const file of ['../../package.json', 'index.json', 'nope.txt']) {
      expect(await app.handle({ id: 2, type: 'load-example', file }, view)).toMatchObject({ ok: false, error: { code: 'failed' } });
    }
    // a host without an examples folder has none
    const bare = setup();
    expect(await bare.app.handle({ id: 3, type: 'list-examples' }, null)).toMatchObject({ ok: true, value: { examples: [] } });
  });

  it('takes the header of a script as its leading # lines', () => {
    expect(scriptHeader('# Title\n#\n# more text\n\nbeep 60\n# not header\n')).toBe('Title\n\nmore text');
    expect(scriptHeader('beep 60\n')).toBe('');
  });

  it('reads no example from a broken index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-examples-'));
    writeFileSync(join(dir, 'index.json'), '{"examples": [{"title": 3}]');
    const { app } = setup({ examplesDir: dir });
    expect(await app.handle({ id: 1, type: 'list-examples' }, null)).toMatchObject({ ok: true, value: { examples: [] } });
  });
});

describe('speed', () => {
  it('sets the clock speed, tells every view where it changed, and keeps it for the session after a quit', async () => {
    const { app, timers, received, view, run, clocks } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'add 60' }, view);
    run(1.5);
    const reply = await app.handle({ id: 2, type: 'set-speed', speed: 0.5 }, view);
    expect(reply).toEqual({ type: 'reply', id: 2, ok: true, value: { speed: 0.5 } });
    expect(clocks[0].speed).toBe(0.5);
    // the events before the change went out before the clock message
    const clockAt = received.findIndex((m) => m.type === 'clock');
    expect(received[clockAt]).toMatchObject({ type: 'clock', clock: { t: 1.5, speed: 0.5 } });
    expect(received.findIndex((m) => m.type === 'events')).toBeLessThan(clockAt);
    expect(app.snapshotMessage().clock.speed).toBe(0.5);
    // speeds other than 1, 1/2 and 1/4 are refused
    for (const speed of [0, 2, 0.3, -1]) {
      expect(await app.handle({ id: 3, type: 'set-speed', speed }, view)).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    }
    expect(clocks[0].speed).toBe(0.5);
    await app.handle({ id: 4, type: 'submit-line', line: 'quit' }, view);
    run();
    timers.fire();
    await new Promise((r) => setTimeout(r, 0));
    expect(clocks).toHaveLength(2);
    expect(clocks[1].speed).toBe(0.5);
  });
});
