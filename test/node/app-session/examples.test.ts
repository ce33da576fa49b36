/** The example lessons a host session lists and opens (resources/examples). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptHeader } from '../../../src/node/app-session/examples';
import { parseHostMessage, type HostMessage } from '../../../src/protocol';
import { EXAMPLES, eventsOf, setup } from '../../support/app-session/support';

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
