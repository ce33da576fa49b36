/**
 * The app host's samples (src/node/app-session/samples.ts), as a page uses
 * them through requests: a script's files decoded before it plays, web mode's
 * rules refusing with a located error, a dropped file played by its name from
 * the terminal, the page's player fetching PCM, and each file decoded once.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { AppSession } from '../../../src/node/app-session/app-session';
import type { SessionEvent } from '../../../src/protocol';

const FIXTURES = join(import.meta.dirname, '../samples/fixtures');

/** A web-mode host serving `dir` (samples only under it), on the virtual clock. */
function host(dir: string) {
  const sessions: Session[] = [];
  const events: SessionEvent[] = [];
  const app = new AppSession({
    createEngine: () => {
      const session = new Session();
      sessions.push(session);
      session.subscribe((e) => events.push(e));
      const s = session.scheduler;
      return { session, clock: { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos } };
    },
    samples: { base: dir, root: dir },
  });
  const run = () => sessions.at(-1)!.scheduler.runUntilIdle();
  const voices = () => events.flatMap((e) => (e.type === 'notes' ? (e.voices ?? []) : []));
  const diagnostics = () => events.flatMap((e) => (e.type === 'diagnostic' ? [e.diagnostic] : []));
  return { app, run, voices, diagnostics, sessions };
}

function served() {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-app-samples-'));
  mkdirSync(join(dir, 'songs'));
  copyFileSync(join(FIXTURES, 'a4.wav'), join(dir, 'songs', 'a4.wav'));
  return dir;
}

describe('the app host and `sample`', () => {
  it('decodes a script\'s samples before it plays it, so its first line sounds the file', async () => {
    const h = host(served());
    const reply = await h.app.handle({ id: 1, type: 'load-script', name: 'songs/tune.txt', text: 'sample a4.wav\nwait 1' }, null);
    expect(reply.ok).toBe(true);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(h.voices().map((v) => v.sample?.id)).toContain('songs/a4.wav');
  });

  it('a script opened from a file (the desktop app\'s Open, played by its bare name) reads from the file\'s folder', async () => {
    const dir = served();
    const h = host(dir);
    await h.app.openScript('tune.txt', 'sample a4.wav\nwait 1', 'opened', join(dir, 'songs'));
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(h.voices().map((v) => v.sample?.id)).toContain('songs/a4.wav');
  });

  it('in web mode, a path out of its folder is a located error of the line, and the script plays on', async () => {
    const h = host(served());
    await h.app.handle({ id: 1, type: 'load-script', name: 'songs/tune.txt', text: 'beep C5 0.1\nsample ../../etc/passwd\nsample /etc/passwd\nbeep D5 0.1' }, null);
    h.run();
    expect(h.diagnostics().map((d) => [d.line, d.col, d.found, d.expected])).toEqual([
      [2, 1, '../../etc/passwd', 'a path under the folder web mode serves, without ".."'],
      [3, 1, '/etc/passwd', 'a path relative to the script, under the folder web mode serves'],
    ]);
    expect(h.diagnostics()[0].message).toBe('web mode reads no path with "..": ../../etc/passwd would leave the script\'s folder');
  });

  it('a dropped file plays by its name from the terminal; the page fetches its PCM; it was decoded once', async () => {
    const h = host(served());
    const data = readFileSync(join(FIXTURES, 'a4.flac')).toString('base64');
    const added = await h.app.handle({ id: 1, type: 'add-sample', name: 'drop.flac', data }, null);
    expect(added).toMatchObject({ ok: true, value: { id: 'dropped/drop.flac' } });
    expect(added.ok && (added.value as { seconds: number }).seconds).toBeCloseTo(0.25, 2);
    await h.app.handle({ id: 2, type: 'submit-line', line: 'sample drop.flac; sample drop.flac rate=2' }, null);
    // the line waits for its samples (none to decode here: the dropped file is held), then runs
    await new Promise((r) => setTimeout(r, 50));
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(h.voices().filter((v) => v.sample?.id === 'dropped/drop.flac')).toHaveLength(2);
    const pcm = await h.app.handle({ id: 3, type: 'get-sample', sample: 'dropped/drop.flac', from: 0 }, null);
    expect(pcm.ok).toBe(true);
    const value = pcm.ok ? (pcm.value as { sampleRate: number; frames: number; data: string }) : null;
    expect(value!.sampleRate).toBe(11025);
    expect(Buffer.from(value!.data, 'base64').length).toBe(value!.frames * 4);
  });

  it('a file dropped again under the same name replaces the first for `sample NAME`', async () => {
    const h = host(served());
    const flac = readFileSync(join(FIXTURES, 'a4.flac')).toString('base64');
    const mp3 = readFileSync(join(FIXTURES, 'silence.mp3')).toString('base64');
    await h.app.handle({ id: 1, type: 'add-sample', name: 'x', data: flac }, null);
    const again = await h.app.handle({ id: 2, type: 'add-sample', name: 'x', data: mp3 }, null);
    expect(again).toMatchObject({ ok: true, value: { id: 'dropped/x#1' } });
    await h.app.handle({ id: 3, type: 'submit-line', line: 'sample x' }, null);
    await new Promise((r) => setTimeout(r, 50));
    h.run();
    expect(h.voices().map((v) => v.sample?.id)).toEqual(['dropped/x#1']);
  });

  it('refuses a dropped file that is no audio, saying why; an unknown sample id is an error', async () => {
    const h = host(served());
    const reply = await h.app.handle({ id: 1, type: 'add-sample', name: 'notes.txt', data: Buffer.from('hello').toString('base64') }, null);
    expect(reply.ok ? null : reply.error.message).toMatch(/^cannot decode notes\.txt: /);
    const missing = await h.app.handle({ id: 2, type: 'get-sample', sample: 'nope', from: 0 }, null);
    expect(missing.ok ? null : missing.error.message).toBe('no sample nope in this session');
  });
});
