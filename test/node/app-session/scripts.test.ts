/**
 * Loading scripts into the host: a script is checked in slices while the host
 * answers other requests, its errors are capped with a count of the rest, and
 * what was checked is what plays (parsed once).
 */
import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { defineCommand } from '../../../src/core/language/command';
import { MAX_DIAGNOSTICS } from '../../../src/core/language/diagnostics';
import { eventsOf, setup } from '../../support/app-session/support';

/** A script of `n` lines that are each an error (an unknown command). */
const badLines = (n: number) => Array.from({ length: n }, (_, i) => `nosuchcommand${i} 1 2`).join('\n');

describe('loading a script', () => {
  it('with thousands of errors answers with the first of them and says how many more', async () => {
    const { app } = setup();
    const lines = 30_000;
    const reply = await app.request('load-script', { name: 'errors.txt', text: badLines(lines) });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('parse-error');
    expect(reply.error.diagnostics).toHaveLength(MAX_DIAGNOSTICS);
    expect(reply.error.diagnostics!.map((d) => d.line)).toEqual(Array.from({ length: MAX_DIAGNOSTICS }, (_, i) => i + 1));
    expect(reply.error.message).toContain(`${lines.toLocaleString('en-US')} errors to fix first`);
    expect(reply.error.message).toContain(`and ${(lines - MAX_DIAGNOSTICS).toLocaleString('en-US')} more`);
  });

  it('answers a request sent while a long script is being checked before the check ends', async () => {
    const { app, view } = setup();
    app.attach(view);
    const answered: string[] = [];
    const load = app.handle({ id: 1, type: 'load-script', name: 'errors.txt', text: badLines(30_000) }, view).then((r) => {
      answered.push('load-script');
      return r;
    });
    const line = app.handle({ id: 2, type: 'submit-line', line: 'add 60' }, view).then((r) => {
      answered.push('submit-line');
      return r;
    });
    const [loaded, typed] = await Promise.all([load, line]);
    expect(answered).toEqual(['submit-line', 'load-script']);
    expect(typed).toMatchObject({ ok: true });
    expect(loaded).toMatchObject({ ok: false, error: { code: 'parse-error' } });
  });

  it('checks four long scripts at once, and answers each with its own errors', async () => {
    const { app } = setup();
    const sizes = [20_000, 5_000, 30_000, 10_000];
    const replies = await Promise.all(sizes.map((n, i) => app.request('load-script', { name: `s${i}.txt`, text: badLines(n) })));
    replies.forEach((reply, i) => {
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.diagnostics!.every((d) => d.source === `s${i}.txt`)).toBe(true);
      expect(reply.error.message).toContain(`and ${(sizes[i] - MAX_DIAGNOSTICS).toLocaleString('en-US')} more`);
    });
  });

  it('parses each line once: what was checked is what plays', async () => {
    let parses = 0;
    const counted = defineCommand({
      name: 'counted',
      usage: 'counted',
      summary: 'counts how often it is parsed',
      parse(r) {
        parses++;
        r.end();
        return null;
      },
      *run() {},
    });
    const { app, run } = setup({ commands: builtinCommands.with(counted) });
    const reply = await app.request('load-script', { name: 'once.txt', text: 'counted\nwait 0.1\n' });
    expect(reply).toMatchObject({ ok: true, value: { started: true } });
    run();
    expect(parses).toBe(1);
  });

  it('plays the phrases a script defines, for lines typed after it too (as good.txt/riff), and a refused script defines none', async () => {
    const { app, received, view, run, timers } = setup();
    app.attach(view);
    expect(await app.request('load-script', { name: 'bad.txt', text: 'def oops beep 60 0.1\nnosuch\n' })).toMatchObject({ ok: false });
    expect(await app.request('load-script', { name: 'good.txt', text: 'def riff beep 64 0.1\nriff\n' })).toMatchObject({ ok: true });
    run();
    app.submitLine('good.txt/riff');
    app.submitLine('bad.txt/oops');
    run();
    timers.fire();
    const events = eventsOf(received);
    expect(events.filter((e) => e.type === 'notes' && e.notes.length > 0).map((e) => e.type === 'notes' && e.notes)).toEqual([[64], [64]]);
    const errors = events.filter((e) => e.type === 'diagnostic');
    expect(errors.map((e) => e.type === 'diagnostic' && [e.diagnostic.source, e.diagnostic.found])).toEqual([['terminal', 'bad.txt/oops']]);
  });

  it('checked while the session ends (quit) and a new one starts, plays in the new one', async () => {
    const { app, run, sessions } = setup();
    // Long enough to be checked in several slices; comments, so that playing it
    // does not meet the limit on tasks created within one second.
    const text = `${'# a line the check reads and the engine skips\n'.repeat(60_000)}beep 60 0.1\n`;
    const load = app.request('load-script', { name: 'late.txt', text });
    app.submitLine('quit');
    run();
    const reply = await load;
    expect(sessions).toHaveLength(2);
    expect(reply).toMatchObject({ ok: true, value: { source: 'late.txt', started: true } });
    const notes: number[][] = [];
    sessions[1].subscribe((e) => {
      if (e.type === 'notes') notes.push(e.notes);
    });
    sessions[1].scheduler.runUntilIdle();
    expect(notes).toEqual([[60], []]);
  });
});
