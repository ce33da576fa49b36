import { describe, expect, it } from 'vitest';
import { LineEditor, memoryHistory, type EditorAction } from '../../../src/renderer/terminal/line-editor';

const LEFT = '\x1b[D', RIGHT = '\x1b[C', UP = '\x1b[A', DOWN = '\x1b[B', HOME = '\x1b[H', END = '\x1b[F', DEL = '\x1b[3~', BS = '\x7f';
const NAMES = ['add', 'remove', 'chord', 'beep', 'wait', 'eval', 'quit', 'exit', 'help'];

function type(editor: LineEditor, ...keys: string[]): EditorAction[] {
  const actions: EditorAction[] = [];
  for (const k of keys) {
    // typed text arrives one key at a time; escape sequences whole
    if (k.startsWith('\x1b') || k.length === 1) actions.push(...editor.feed(k));
    else for (const ch of k) actions.push(...editor.feed(ch));
  }
  return actions;
}
const submitted = (actions: EditorAction[]) => actions.flatMap((a) => (a.type === 'submit' ? [a.line] : []));

describe('line editing', () => {
  it('inserts where the cursor is and deletes either side of it', () => {
    const e = new LineEditor();
    type(e, 'ad 6', LEFT, LEFT, 'd', END, '0');
    expect(e.line).toBe('add 60');
    type(e, HOME, DEL, 'A', RIGHT, RIGHT, BS);
    expect(e.line).toBe('Ad 60');
    expect(e.cursorIndex).toBe(2);
  });

  it('submits on Enter and starts an empty line', () => {
    const e = new LineEditor();
    expect(submitted(type(e, 'wait 2', '\r'))).toEqual(['wait 2']);
    expect(e.line).toBe('');
  });

  it('submits each line of a paste in order, keeping an unfinished last line', () => {
    const e = new LineEditor();
    const actions = e.feed('add 60\r\nwait 2\nchord 0.5 72 75 79\rbeep 6');
    expect(submitted(actions)).toEqual(['add 60', 'wait 2', 'chord 0.5 72 75 79']);
    expect(e.line).toBe('beep 6');
  });

  it('Ctrl+C cancels and drops what was typed', () => {
    const e = new LineEditor();
    const actions = type(e, 'chord 1 60', '\x03');
    expect(actions).toEqual([{ type: 'cancel', line: 'chord 1 60' }]);
    expect(e.line).toBe('');
  });
});

describe('history', () => {
  it('walks back and forth with the arrows and keeps the line being typed', () => {
    const e = new LineEditor();
    type(e, 'add 60', '\r', 'wait 2', '\r', 'rem');
    type(e, UP);
    expect(e.line).toBe('wait 2');
    type(e, UP, UP);
    expect(e.line).toBe('add 60');
    type(e, DOWN, DOWN);
    expect(e.line).toBe('rem');
  });

  it('survives a restart through its store, without repeats', () => {
    const store = memoryHistory();
    const a = new LineEditor(store);
    type(a, 'add 60', '\r', 'add 60', '\r', 'wait 1', '\r', '   ', '\r');
    const b = new LineEditor(store);
    expect(b.historyLines).toEqual(['add 60', 'wait 1']);
    type(b, UP);
    expect(b.line).toBe('wait 1');
  });
});

describe('tab completion', () => {
  const editor = () => new LineEditor(memoryHistory(), () => NAMES);

  it('completes a unique command name', () => {
    const e = editor();
    type(e, 'ch', '\t');
    expect(e.line).toBe('chord ');
  });

  it('extends to the common prefix, then lists the candidates', () => {
    const e = editor();
    expect(type(e, 'e', '\t')).toEqual([{ type: 'candidates', names: ['eval', 'exit'] }]);
    const f = editor();
    type(f, 'r', '\t');
    expect(f.line).toBe('remove ');
  });

  it('completes a command inside eval after a semicolon', () => {
    const e = editor();
    type(e, 'eval add 60; wa', '\t');
    expect(e.line).toBe('eval add 60; wait ');
  });

  it('does nothing for an argument', () => {
    const e = editor();
    type(e, 'add 6', '\t');
    expect(e.line).toBe('add 6');
  });
});
