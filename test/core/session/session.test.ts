import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/language';
import { RealTimeDriver } from '../../../src/core/scheduler';
import { Session, type SessionConfig, type SessionEvent } from '../../../src/core/session';
import { harness } from '../../support/core/session';

const setup = (options: SessionConfig = {}) => harness(options);

function script(session: Session, name: string, lines: string[]) {
  return session.loadScript(name, lines.join('\n'));
}

describe('errors while running', () => {
  it('fails the bad line\'s task with a located diagnostic and goes on with the next line', () => {
    const { session, run, of, taskNamed, endOf, notes } = setup();
    const stdin = session.openSource('stdin');
    stdin.pushLine('add 60');
    stdin.pushLine('chrod 1 64');
    stdin.pushLine('beep 62 1');
    stdin.end();
    run();
    const [diagnostic] = of('diagnostic');
    const bad = taskNamed('chrod 1 64')!;
    expect(diagnostic).toMatchObject({ taskId: bad.id, diagnostic: { source: 'stdin', line: 2, col: 1, hint: 'did you mean "chord"?' } });
    expect(formatDiagnostic(diagnostic.diagnostic)).toMatch(/^stdin:2:1: error: unknown command "chrod"\n {2}hint: did you mean "chord"\?$/);
    expect(endOf(bad.id)).toMatchObject({ type: 'task-failed' });
    expect(bad).toMatchObject({ kind: 'line', pos: { source: 'stdin', line: 2, col: 1 } });
    // The source ended at 1 s (end of input): the note its add held stops there.
    expect(notes()).toEqual(['0:60,62', '1:']);
    expect(of('task-unhandled')).toEqual([]);
    expect(of('source-ended')).toMatchObject([{ source: 'stdin', reason: 'eof' }]);
    expect(session.errorCount).toBe(1);
  });

  it('reports a loaded script\'s errors at load, all at once, before anything plays, and still runs the good lines', () => {
    const { session, run, of, events, taskNamed, endOf } = setup();
    const result = script(session, 'song.txt', ['beep 60 1', 'wait x', 'chord 1 300', 'beep 62 1']);
    expect(result.diagnostics.map((d) => `${d.line}:${d.col}`)).toEqual(['2:6', '3:9']);
    expect(of('diagnostic').map((e) => [e.t, e.taskId, e.diagnostic.line])).toEqual([[0, null, 2], [0, null, 3]]);
    const firstNotes = events.findIndex((e) => e.type === 'notes');
    expect(firstNotes).toBe(-1);
    run();
    expect(of('notes').map((e) => `${e.t}:${e.notes.join(',')}`)).toEqual(['0:60', '1:62', '2:']);
    expect(of('diagnostic')).toHaveLength(2); // not reported again when the bad lines' turn comes
    expect(endOf(taskNamed('wait x')!.id)).toMatchObject({ type: 'task-failed', t: 1 });
  });

  it('checks a script without running it', () => {
    const { session, run, events } = setup();
    const found = session.check('song.txt', 'add 60\nwait -1\nadd 999\n');
    run();
    expect(found.map((d) => `${d.line}:${d.col}`)).toEqual(['2:6', '3:5']);
    expect(events).toEqual([]);
  });

  it('strict: a source stops at its first error', () => {
    const { session, run, of, notes } = setup({ strict: true });
    const stdin = session.openSource('stdin');
    for (const line of ['beep 60 1', 'wait -1', 'beep 62 1']) stdin.pushLine(line);
    run();
    stdin.pushLine('beep 64 1');
    run();
    expect(notes()).toEqual(['0:60', '1:']);
    expect(of('diagnostic')).toHaveLength(1);
    expect(of('source-ended')).toMatchObject([{ source: 'stdin', reason: 'error', t: 1 }]);
  });

  it('strict: a loaded script with errors plays nothing', () => {
    const { session, run, of } = setup({ strict: true });
    const result = script(session, 'song.txt', ['beep 60 1', 'beep 600 1', 'chrod']);
    run();
    expect(result.diagnostics).toHaveLength(2);
    expect(of('notes')).toEqual([]);
    expect(of('source-ended')).toMatchObject([{ source: 'song.txt', reason: 'error' }]);
  });

  it('reports unreadable input as located errors and goes on (NUL, invalid UTF-8 across chunks, long lines)', () => {
    const { session, run, of, notes } = setup();
    const stdin = session.openSource('stdin');
    const enc = new TextEncoder();
    stdin.pushBytes(enc.encode('\ufeffadd 60\r\nbeep 62'));
    stdin.pushBytes(Uint8Array.from([0x20, 0xc3])); // 'beep 62 ' + the first half of a 2-byte sequence
    stdin.pushBytes(enc.encode('\n# comment\nwa\0it\n'));
    stdin.pushBytes(enc.encode(`${'x'.repeat(5000)}\nbeep F#4 1\r\n`));
    stdin.end();
    run();
    expect(of('diagnostic').map((e) => `${e.diagnostic.line}:${e.diagnostic.col} ${e.diagnostic.message}`)).toEqual([
      '2:9 invalid UTF-8: expected UTF-8 text, found byte 0xC3',
      '4:3 expected text, found a NUL byte',
      '5:4097 line too long: expected at most 4096 characters, found 5000 characters',
    ]);
    expect(notes()).toEqual(['0:54,60', '1:']);
    for (const d of of('diagnostic')) expect(d.taskId).not.toBeNull();
  });
});

describe('cancellation', () => {
  it('a cancelled chord releases its notes at the logical time of the cancel, and its source goes on', () => {
    const { session, run, notes, taskNamed, endOf } = setup();
    script(session, 'song.txt', ['add 48', 'chord 10 60 64 67', 'beep 72 1']);
    run(2.25);
    const chord = taskNamed('chord 10 60 64 67')!;
    expect(session.cancelTask(chord.id)).toBe(true);
    run();
    expect(endOf(chord.id)).toMatchObject({ type: 'task-cancelled', t: 2.25 });
    // At 3.25 s the script ends, and with it the note its add held.
    expect(notes()).toEqual(['0:48,60,64,67', '2.25:48,72', '3.25:']);
    expect(session.cancelTask(chord.id)).toBe(false);
  });

  it('stopSource cancels the source, its running line and what it spawned; other sources go on', () => {
    const { session, run, notes, of } = setup();
    script(session, 'a', ['chord 5 60', 'beep 61 1']);
    script(session, 'b', ['wait 1', 'beep 70 3']);
    run(2);
    expect(session.stopSource('a')).toBe(true);
    run();
    expect(notes()).toEqual(['0:60', '1:60,70', '2:70', '4:']);
    expect(of('source-ended').map((e) => [e.source, e.reason, e.t])).toEqual([['a', 'stopped', 2], ['b', 'eof', 4]]);
    expect(session.stopSource('a')).toBe(false);
  });

  it('interruptSource stops what a source runs and what it queued, and the source keeps reading', () => {
    const { session, run, notes, of } = setup();
    const stdin = session.openSource('stdin');
    stdin.pushLine('chord 10 60');
    stdin.pushLine('beep 61');
    run(1);
    expect(session.interruptSource('stdin')).toBe(true);
    run();
    expect(session.interruptSource('stdin')).toBe(false);
    stdin.pushLine('beep 62');
    run();
    expect(notes()).toEqual(['0:60', '1:', '1:62', '1.5:']);
    expect(of('source-ended')).toEqual([]);
  });

  it('panic cancels everything and silences notes that were added, at once', () => {
    const { session, run, notes, of } = setup();
    script(session, 'a', ['add 50', 'eval add 51; chord 9 60 64']);
    const stdin = session.openSource('stdin');
    run(1);
    session.panic();
    expect(session.stream.notes).toEqual([]);
    run();
    expect(notes()).toEqual(['0:50,51,60,64', '1:']);
    expect(of('source-ended').map((e) => e.reason)).toEqual(['stopped', 'stopped']);
    expect(session.snapshot().tasks).toEqual([]);
    // The session goes on.
    stdin.pushLine('beep 60');
    const again = session.openSource('again');
    again.pushLine('beep 62');
    run();
    expect(notes().slice(2)).toEqual(['1:62', '1.5:']);
  });

  it('quit in one source ends every source and the session', () => {
    const { session, run, of, events } = setup();
    script(session, 'long', ['chord 60 40']);
    script(session, 'short', ['wait 1', 'exit', 'beep 70']);
    run();
    expect(session.ended).toBe(true);
    expect(of('source-ended').map((e) => [e.source, e.reason, e.t])).toEqual([['long', 'quit', 1], ['short', 'quit', 1]]);
    const types = events.map((e) => e.type);
    expect(types.indexOf('stream-end')).toBeLessThan(types.indexOf('session-ended'));
    expect(of('notes').map((e) => [e.t, e.notes])).toEqual([[0, [40]], [1, []]]);
    expect(session.scheduler.now).toBe(1);
    // After the end nothing more runs.
    session.openSource('late').pushLine('beep 60');
    expect(session.loadScript('late', 'beep 60').taskId).toBeNull();
    run();
    expect(of('notes')).toHaveLength(2);
  });
});

describe('sources and tasks', () => {
  it('runs two sources concurrently, each line after line', () => {
    const { session, run, notes } = setup();
    script(session, 'melody', ['beep 60 1', 'beep 62 1', 'beep 64 1']);
    script(session, 'bass', ['beep 36 1.5', 'beep 38 1.5']);
    run();
    expect(notes()).toEqual(['0:36,60', '1:36,62', '1.5:38,62', '2:38,64', '3:']);
  });

  it('makes lines children of their source and eval\'s parts children of the line, named by their text', () => {
    const { session, run, of } = setup();
    script(session, 'song.txt', ['# intro', '  eval add 60; wait 0.5 ;remove 60']);
    run();
    const created = of('task-created');
    const [source, line, ...parts] = created;
    expect(source).toMatchObject({ kind: 'source', name: 'song.txt', parent: null, source: 'song.txt' });
    expect(line).toMatchObject({ kind: 'line', name: 'eval add 60; wait 0.5 ;remove 60', parent: source.id, pos: { line: 2, col: 3 } });
    expect(parts.map((p) => [p.kind, p.name, p.parent, p.pos?.col])).toEqual([
      ['command', 'add 60', line.id, 8],
      ['command', 'wait 0.5', line.id, 16],
      ['command', 'remove 60', line.id, 26],
    ]);
    expect(of('notes').map((e) => [e.t, e.notes])).toEqual([[0, [60]], [0.5, []]]);
  });

  it('reads lines that arrive over time, waiting for each without a timer', () => {
    const { session, run, notes, of } = setup();
    const stdin = session.openSource('stdin');
    run();
    expect(session.scheduler.idle).toBe(true);
    stdin.pushLine('beep 60 1');
    run();
    stdin.pushLine('add 64');
    stdin.pushLine('beep 67 0.5');
    run();
    // The line typed at 1 s starts at 1 s: a new instant after the one that ended the beep.
    expect(notes()).toEqual(['0:60', '1:', '1:64,67', '1.5:64']);
    expect(of('source-ended')).toEqual([]);
    stdin.end();
    run();
    expect(of('source-ended')).toMatchObject([{ source: 'stdin', reason: 'eof' }]);
  });

  it('prints help as an output event of the line\'s task', () => {
    const { session, run, of, taskNamed } = setup();
    const stdin = session.openSource('term');
    stdin.pushLine('help');
    stdin.pushLine('help beep');
    run();
    const outputs = of('output');
    expect(outputs).toHaveLength(2);
    expect(outputs[0]).toMatchObject({ source: 'term', taskId: taskNamed('help')!.id });
    for (const name of ['add N', 'remove N', 'chord S N1 N2 ...', 'beep N [S]', 'wait S', 'eval A; B; C', 'quit', 'help [CMD]']) {
      expect(outputs[0].text).toContain(name);
    }
    expect(outputs[1].text).toMatch(/^beep N \[S\] {2}sound note N for S beats/);
  });

  it('snapshots the current notes, the live tasks with their states, and a bounded ring of recent events', () => {
    const { session, run, events } = setup({ recentEvents: 5 });
    script(session, 'song.txt', ['add 50', 'chord 4 60 64']);
    run(1);
    const snap = session.snapshot();
    expect(snap.t).toBe(1);
    expect(snap.notes).toEqual([50, 60, 64]);
    expect(snap.tasks.map((t) => [t.kind, t.name, t.state])).toEqual([
      ['source', 'song.txt', 'waiting'],
      ['line', 'chord 4 60 64', 'sleeping'],
    ]);
    expect(events.length).toBeGreaterThan(5);
    expect(snap.recent).toEqual(events.slice(-5));
  });

  it('builds no events while nobody listens', () => {
    const session = new Session();
    session.loadScript('a', 'beep 60\nchrod');
    expect(session.scheduler.listening).toBe(false);
    session.scheduler.runUntilIdle();
    expect(session.snapshot().recent).toEqual([]);
    expect(session.errorCount).toBe(1);
    const events: SessionEvent[] = [];
    const unsubscribe = session.subscribe((e) => events.push(e));
    expect(session.scheduler.listening).toBe(true);
    unsubscribe();
    expect(session.scheduler.listening).toBe(false);
  });
});

describe('on the real clock', () => {
  it('plays a script at the same logical times as on the virtual clock', async () => {
    const lines = ['beep 60 0.05', 'chord 0.03 64 67', 'eval wait 0.02; beep 72 0.01', 'quit'];
    const virtual = setup();
    script(virtual.session, 's', lines);
    virtual.run();

    const real = setup();
    const driver = new RealTimeDriver(real.session.scheduler);
    const ended = new Promise<void>((resolve) => real.session.subscribe((e) => e.type === 'session-ended' && resolve()));
    driver.start();
    script(real.session, 's', lines);
    await ended;
    driver.stop();
    // The script starts when it is loaded, a little after the clock; from there on the times are the same.
    const real0 = real.of('notes')[0].ns;
    expect(real.of('notes').map((e) => [e.ns - real0, e.notes])).toEqual(virtual.of('notes').map((e) => [e.ns, e.notes]));
  });

  it('cancels at the present from outside, and the source goes on from there on exact times', async () => {
    const real = setup();
    let nowMs = 0;
    let timers: { at: number; fn: () => void }[] = [];
    const driver = new RealTimeDriver(real.session.scheduler, {
      timers: {
        nowMs: () => nowMs,
        setTimeout: (fn, ms) => {
          const timer = { at: nowMs + ms, fn };
          timers.push(timer);
          return timer;
        },
        clearTimeout: (handle) => {
          timers = timers.filter((t) => t !== handle);
        },
      },
    });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    /** Moves the fake wall clock to `ms`, firing host timers when due (each a little late, as real ones are). */
    const advance = async (ms: number) => {
      for (;;) {
        await settle();
        const due = timers.filter((t) => t.at <= ms).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        timers = timers.filter((t) => t !== due);
        nowMs = Math.max(nowMs, due.at + 3);
        due.fn();
      }
      nowMs = ms;
      await settle();
    };
    script(real.session, 's', ['chord 10 60', 'beep 62 0.5', 'beep 64 0.25']);
    driver.start();
    await advance(1250);
    const chord = real.taskNamed('chord 10 60')!;
    expect(real.session.cancelTask(chord.id)).toBe(true);
    await advance(5000);
    driver.stop();
    expect(real.endOf(chord.id)).toMatchObject({ type: 'task-cancelled', t: 1.25 });
    expect(real.of('notes').map((e) => [e.ns, e.notes])).toEqual([
      [0, [60]],
      [1_250_000_000, [62]],
      [1_750_000_000, [64]],
      [2_000_000_000, []],
    ]);
  });

  it('acts on panic at the present, not at the last resumption', async () => {
    const real = setup();
    let nowMs = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const driver = new RealTimeDriver(real.session.scheduler, {
      timers: { nowMs: () => nowMs, setTimeout: (fn, ms) => timers.push({ at: nowMs + ms, fn }), clearTimeout: () => {} },
    });
    driver.start();
    real.session.openSource('s').pushLine('add 60');
    await Promise.resolve();
    await Promise.resolve();
    nowMs = 3000;
    real.session.panic();
    expect(real.of('notes').map((e) => [e.t, e.notes])).toEqual([[0, [60]], [3, []]]);
    driver.stop();
  });
});

describe('robustness', () => {
  it('never throws, whatever lines come in', () => {
    const word = fc.oneof(
      fc.constantFrom('add', 'remove', 'chord', 'beep', 'wait', 'eval', 'help', 'quit', ';', '#', 'F#4', '60', '0.5', '0', '-1', '1e6', 'inf', '999'),
      fc.constantFrom('amp', 'env', 'synth', 'sawtooth', 'panic', 'stop', 'cancel', 't1', 's/t1', 'amp=0.3', 'env=0.1,0,1,0.1', 'synth=fm', 'amp=x', 'fx', 'lpf', 'delay', '800', 'fx=reverb:0.5', 'fx=delay:0.1:0.9'),
      fc.string({ maxLength: 5 }),
    );
    const line = fc.oneof(fc.array(word, { maxLength: 7 }).map((w) => w.join(' ')), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.uint8Array({ maxLength: 60 }), fc.boolean(), (lines, bytes, strict) => {
        const session = new Session({ strict });
        const events: SessionEvent[] = [];
        session.subscribe((e) => events.push(e));
        const a = session.openSource('a');
        for (const l of lines) a.pushLine(l);
        const b = session.openSource('b');
        b.pushBytes(bytes);
        b.end();
        session.loadScript('c', lines.join('\n'));
        session.scheduler.runUntilIdle();
        a.end();
        session.scheduler.runUntilIdle();
        session.snapshot();
        for (const e of events) if (e.type === 'diagnostic') expect(e.diagnostic.col).toBeGreaterThanOrEqual(1);
        expect(events.some((e) => e.type === 'task-unhandled')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a line with ; at the top level', () => {
  it('runs its commands one after another, as eval does (as the demo reads every line)', () => {
    const { session, run, notes, diagnostics } = setup();
    script(session, 'demo.txt', ['beep C5 0.2; beep E5 0.2', 'beep G5 0.2']);
    run();
    expect(diagnostics()).toEqual([]);
    expect(notes()).toEqual(['0:60', '0.2:64', '0.4:67', '0.6:']);
  });
});
