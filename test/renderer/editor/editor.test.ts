/** The code editor's pure parts: what Ctrl+Enter runs, how words are coloured, and which lines the playhead marks when. */
import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { parseScript } from '../../../src/core/language/parser';
import type { SessionEvent } from '../../../src/core/session/api';
import { classifyLine } from '../../../src/renderer/editor/highlight';
import { liveLines } from '../../../src/renderer/editor/live-lines';
import { lineAround, runnablePart } from '../../../src/renderer/editor/run-text';
import { TimelineModel } from '../../../src/renderer/timeline/model';

describe('what Ctrl+Enter runs', () => {
  const text = 'beep C5 0.2\nwait 0.5\nchord 1 C4 E4 G4; beep A4\n';

  it('runs one line at its own line number, so its errors and its tasks point at the buffer', () => {
    const { from, to } = lineAround(text, text.indexOf('wait') + 2);
    const part = runnablePart(text, from, to);
    expect(part).toBe('\nwait 0.5');
    const parsed = parseScript(part, 'scratch', builtinCommands.fork());
    expect(parsed.lines.filter((l) => l.kind === 'command').map((l) => l.line)).toEqual([2]);
  });

  it('runs a selection from inside a line at its column', () => {
    const from = text.indexOf('beep A4');
    const part = runnablePart(text, from, from + 'beep A4'.length);
    const parsed = parseScript(part, 'scratch', builtinCommands.fork());
    const line = parsed.lines.find((l) => l.kind === 'command');
    expect(line && line.kind === 'command' ? line.pos : null).toEqual({ source: 'scratch', line: 3, col: from - text.indexOf('chord') + 1 });
  });
});

describe('the note language colours', () => {
  const isCommand = (w: string) => builtinCommands.get(w) !== undefined;
  const kinds = (line: string) => classifyLine(line, isCommand).map(({ token, kind }) => `${token.text}:${kind}`);

  it('tells commands, notes, numbers, separators and comments apart, as the tokenizer splits them', () => {
    expect(kinds('chord 0.5 C4 F#4 60; beep Eb5 .25 & # the end')).toEqual([
      'chord:command', '0.5:number', 'C4:note', 'F#4:note', '60:number', ';:separator', 'beep:command', 'Eb5:note', '.25:number', '&:separator', '# the end:comment',
    ]);
  });

  it('colours the name a def defines, and leaves unknown words plain', () => {
    expect(kinds('def riff beep C5|bogus')).toEqual(['def:command', 'riff:definition', 'beep:command', 'C5:note', '|:separator', 'bogus:word']);
  });
});

describe('the playhead of the code', () => {
  const source = 'song.txt';
  const e = (event: Record<string, unknown>) => ({ wall: 0, ...event }) as unknown as SessionEvent;
  const model = new TimelineModel();
  const events = [
    e({ type: 'task-created', t: 0, id: 1, parent: null, name: source, kind: 'source', source, pos: null }),
    e({ type: 'task-created', t: 0, id: 2, parent: 1, name: 'gather ...', kind: 'line', source, pos: { source, line: 3, col: 1 } }),
    e({ type: 'task-running', t: 0, id: 2 }),
    e({ type: 'task-waiting', t: 0, id: 2, on: { kind: 'tasks', ids: [3] } }),
    e({ type: 'task-created', t: 0, id: 3, parent: 2, name: 'beep C5 1', kind: 'command', source, pos: { source, line: 3, col: 8 } }),
    e({ type: 'task-running', t: 0, id: 3 }),
    e({ type: 'task-sleeping', t: 0, id: 3, until: 1 }),
    e({ type: 'task-running', t: 1, id: 3 }),
    e({ type: 'task-done', t: 1, id: 3 }),
    e({ type: 'task-running', t: 1, id: 2 }),
    e({ type: 'task-done', t: 1, id: 2 }),
    e({ type: 'task-created', t: 1, id: 4, parent: 1, name: 'wait 2', kind: 'line', source, pos: { source, line: 5, col: 1 } }),
    e({ type: 'task-running', t: 1, id: 4 }),
    e({ type: 'task-sleeping', t: 1, id: 4, until: 3 }),
  ];
  for (const event of events) model.apply(event);
  const lane = model.lanes.find((l) => l.name === source)!;

  it('marks the line a sleeping note is in as playing, even while its line task waits on it', () => {
    expect([...liveLines(lane, source, 0.5)]).toEqual([[3, 'playing']]);
  });

  it('moves to the next line when the first is done, at the time of the change (as heard, not as sent)', () => {
    expect([...liveLines(lane, source, 1.5)]).toEqual([[5, 'playing']]);
    expect([...liveLines(lane, source, 0.999)]).toEqual([[3, 'playing']]);
  });

  it('marks nothing before the source starts or for another source', () => {
    expect(liveLines(lane, source, -1).size).toBe(0);
    expect(liveLines(lane, 'other.txt', 0.5).size).toBe(0);
  });
});
