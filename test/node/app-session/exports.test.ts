/** What a host session exports: the typed session as a script, and a script rendered to WAV. */
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { AppSession } from '../../../src/node/app-session/app-session';
import type { HostMessage, SessionEvent } from '../../../src/protocol';
import { notesEvents, setup } from '../../support/app-session/support';

describe('exports', () => {
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
    expect(file!.data).toBe('add 60\nwait 500ms\nchord 0.25 64\nwait 1250ms\nremove 60\n');

    const replay = new Session();
    const replayed: [number, number[]][] = [];
    replay.subscribe((e) => {
      if (e.type === 'notes') replayed.push([e.t, e.notes]);
    });
    replay.loadScript('saved.txt', file!.data);
    replay.scheduler.runUntilIdle();
    expect(replayed).toEqual(original);
  });

  /** The session's notes as [t, notes], and the same for the saved script replayed offline. */
  async function typedAndReplayed(typed: [number, string][]) {
    const { app, view, run } = setup();
    app.attach(view);
    for (const [at, line] of typed) {
      run(at);
      await app.handle({ id: 1, type: 'submit-line', line }, view);
    }
    run();
    const original = notesEvents([{ type: 'events', events: app.snapshotMessage().snapshot.recent as SessionEvent[] }] as HostMessage[])
      .map((e) => [e.t, e.type === 'notes' && e.notes]);
    const saved = await app.handle({ id: 9, type: 'save-session' }, view);
    const text = saved.ok ? (saved.value as { data: string }).data : '';
    const replay = new Session();
    const replayed: [number, number[]][] = [];
    const errors: string[] = [];
    replay.subscribe((e) => {
      if (e.type === 'notes') replayed.push([e.t, e.notes]);
      if (e.type === 'diagnostic') errors.push(e.diagnostic.message);
    });
    replay.loadScript('saved.txt', text);
    replay.scheduler.runUntilIdle();
    return { app, view, text, original, replayed, errors };
  }

  it('saves the pauses as absolute times, so a session that changed its bpm replays at the speed it played', async () => {
    const { text, original, replayed } = await typedAndReplayed([
      [0, 'bpm 120'],
      [0, 'add 60'],
      [3.298, 'remove 60'],
      [3.298, 'bpm 90'],
      [4, 'beep 64 1'],
    ]);
    expect(text).toContain('wait 3298ms');
    expect(original.length).toBeGreaterThan(2);
    expect(replayed).toEqual(original);
  });

  it('keeps a typed line that failed unplayed as a comment with its error, so the rest saves and exports', async () => {
    const { app, view, text, original, replayed, errors } = await typedAndReplayed([
      [0, 'beep 60 0.5'],
      [1, 'bepe 62 0.5'],
      [1.5, 'beep 64 0.5'],
    ]);
    expect(text).toMatch(/^# error: .*bepe.*\n# bepe 62 0\.5$/m);
    expect(errors).toEqual([]);
    expect(replayed).toEqual(original);
    const reply = await app.handle({ id: 3, type: 'export-audio', what: 'terminal', sampleRate: 8000 }, view);
    expect(reply).toMatchObject({ ok: true, value: { fileName: 'terminal-session.wav' } });
  });

  it('leaves out lines that were waiting their turn when the terminal was stopped: they never played', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'submit-line', line: 'beep 60 1' }, view);
    // typed while the first still plays: it waits its turn
    await app.handle({ id: 2, type: 'submit-line', line: 'beep 62 1' }, view);
    run(0.5);
    await app.handle({ id: 3, type: 'stop-source', source: 'terminal' }, view);
    run(1);
    await app.handle({ id: 4, type: 'submit-line', line: 'beep 64 0.5' }, view);
    run();
    const played = notesEvents([{ type: 'events', events: app.snapshotMessage().snapshot.recent as SessionEvent[] }] as HostMessage[])
      .flatMap((e) => (e.type === 'notes' ? e.notes : []));
    expect(played).not.toContain(62);
    const saved = await app.handle({ id: 9, type: 'save-session' }, view);
    const text = saved.ok ? (saved.value as { data: string }).data : '';
    expect(text.split('\n').filter((l) => l.startsWith('beep'))).toEqual(['beep 60 1', 'beep 64 0.5']);
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
    // stereo, as --wav is: the left channel's samples
    const channels = wav.readUInt16LE(22);
    expect(channels).toBe(2);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length)).filter((_, i) => i % channels === 0);
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
    expect(await plain.handle({ id: 1, type: 'export-audio', text: 'beep 60', format: 'midi' }, null)).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: 'MIDI export is not available in this build' },
    });
    plain.dispose();
    const { app } = setup();
    expect(await app.handle({ id: 2, type: 'export-audio' }, null)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

});

describe('export asks what to export', () => {
  /** The WAV's seconds of samples (16-bit, its channels interleaved). */
  const seconds = (file: { data: string }) => {
    const wav = Buffer.from(file.data, 'base64');
    return (wav.length - 44) / 2 / wav.readUInt16LE(22) / wav.readUInt32LE(24);
  };

  it('renders the terminal session, one script, or everything that played, each named after it', async () => {
    const { app, view, run } = setup();
    app.attach(view);
    await app.handle({ id: 1, type: 'load-script', name: 'long.txt', text: 'beep 60 2\n' }, view);
    await app.handle({ id: 2, type: 'submit-line', line: 'beep 64 0.5' }, view);
    run();
    const exported = async (params: Record<string, unknown>) => {
      const reply = await app.handle({ id: 3, type: 'export-audio', sampleRate: 8000, ...params }, view);
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      return (reply.ok ? reply.value : null) as { fileName: string; data: string };
    };
    const terminal = await exported({ what: 'terminal' });
    expect(terminal.fileName).toBe('terminal-session.wav');
    expect(seconds(terminal)).toBeLessThan(1.5);
    const script = await exported({ what: 'script', name: 'long.txt' });
    expect(script.fileName).toBe('long.wav');
    expect(seconds(script)).toBeGreaterThanOrEqual(2);
    const all = await exported({ what: 'all' });
    expect(all.fileName).toBe('everything-played.wav');
    expect(seconds(all)).toBeGreaterThanOrEqual(2);
  });

  it('says why when there is nothing of that kind', async () => {
    const { app, view } = setup();
    app.attach(view);
    const reply = await app.handle({ id: 1, type: 'export-audio', what: 'script', name: 'nope.txt' }, view);
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no script named "nope.txt"/) } });
    const nothing = await app.handle({ id: 2, type: 'export-audio', what: 'all' }, view);
    expect(nothing).toMatchObject({ ok: false, error: { message: expect.stringMatching(/nothing has sounded/) } });
  });
});
