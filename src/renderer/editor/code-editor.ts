/**
 * The code editor pane's editor: CodeMirror 6 with line numbers, the note
 * language's colours, errors at their line as you type and the playhead of
 * the code, holding several buffers (the scratch buffer, the lessons and the
 * scripts played from this page) as tabs. It only edits and shows; what
 * running means is the panel's (panels/editor-panel.ts).
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching } from '@codemirror/language';
import { EditorSelection, EditorState, type Extension, type StateEffect, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, tooltips } from '@codemirror/view';
import type { Diagnostic } from '../../core/language/diagnostics';
import { noteHighlighting } from './highlight';
import type { LineActivity } from './live-lines';
import { noteLinter } from './lint';
import { playhead, playheadKey, setPlayhead } from './playhead';
import { setTaskMarks, taskMarks, type TaskMark } from './task-marks';
import { lineAround, runnablePart } from './run-text';

/** What a buffer holds: typed freely, an example lesson, a script played from this page, or a buffer's program as Python (read-only). */
export type BufferKind = 'scratch' | 'lesson' | 'script' | 'python';

export interface Buffer {
  /** Its name, shown on its tab; it runs as a source of this name (see sourceOf). */
  readonly name: string;
  readonly kind: BufferKind;
  state: EditorState;
  /** The text it was opened with (a lesson's own script), to tell an edit and to reset to. */
  original: string;
}

export interface CodeEditorHooks {
  /** The located problems in a buffer's text, read as the session would (source = the buffer's source name). */
  check(text: string, source: string): readonly Diagnostic[];
  /** Whether a word is a command (coloured as one) in a buffer. */
  isCommand(word: string, buffer: Buffer): boolean;
  /** The source a buffer runs as (a lesson edited runs under a name of its own). */
  sourceOf(buffer: Buffer): string;
  /** The shown buffer changed (another tab, or an edit). */
  changed(buffer: Buffer): void;
}

export class CodeEditor {
  readonly view: EditorView;
  private readonly buffers: Buffer[] = [];
  private current: Buffer;
  private shownPlayhead = '';

  constructor(
    private readonly tabs: HTMLElement,
    private readonly host: HTMLElement,
    private readonly hooks: CodeEditorHooks,
    scratch: { name: string; text: string },
  ) {
    this.current = this.make(scratch.name, 'scratch', scratch.text);
    this.buffers.push(this.current);
    this.view = new EditorView({ state: this.current.state, parent: host });
    this.drawTabs();
  }

  /** Wrap long lines at the pane's edge (true), or let them run on to the right, scrolled. */
  setWrap(wrap: boolean): void {
    this.host.classList.toggle('no-wrap', !wrap);
    this.view.requestMeasure();
  }

  get active(): Buffer {
    return this.current;
  }

  get all(): readonly Buffer[] {
    return this.buffers;
  }

  /** The shown buffer's text. */
  get text(): string {
    return this.view.state.doc.toString();
  }

  /** True when the buffer differs from what it was opened with. */
  edited(buffer: Buffer = this.current): boolean {
    const text = buffer === this.current ? this.text : buffer.state.doc.toString();
    return text !== buffer.original;
  }

  /** A buffer's document as it stands (its text as opened while its state is being made). */
  docOf(buffer: Buffer): Text | string {
    if (buffer === this.current && this.view) return this.view.state.doc;
    return buffer.state?.doc ?? buffer.original;
  }

  find(name: string): Buffer | undefined {
    return this.buffers.find((b) => b.name === name);
  }

  /**
   * Open a buffer (or bring one of that name back, with `text` if it was not
   * edited) and show it.
   */
  open(name: string, kind: BufferKind, text: string): Buffer {
    let buffer = this.find(name);
    if (!buffer) {
      buffer = this.make(name, kind, text);
      this.buffers.push(buffer);
    } else if (buffer.original !== text) {
      const unedited = !this.edited(buffer);
      buffer.original = text;
      if (unedited) {
        buffer.state = this.stateFor(buffer, text);
        if (buffer === this.current) this.view.setState(buffer.state);
      }
    }
    this.show(buffer);
    return buffer;
  }

  /** Show a buffer in the editor. */
  show(buffer: Buffer): void {
    if (buffer !== this.current) {
      this.current.state = this.view.state;
      this.current = buffer;
      this.shownPlayhead = '';
      this.view.setState(buffer.state);
    }
    this.drawTabs();
    this.hooks.changed(buffer);
  }

  /** Put the buffer back as it was opened. */
  reset(): void {
    const { doc } = this.view.state;
    this.view.dispatch({ changes: { from: 0, to: doc.length, insert: this.current.original } });
  }

  /** Replace the shown buffer's text (as a user's edit: undo brings it back). */
  setText(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** What Ctrl+Enter runs: the selection, or else the cursor's line, with its lines in place. Null if blank. */
  currentPart(): string | null {
    const text = this.text;
    const { main } = this.view.state.selection;
    const { from, to } = main.empty ? lineAround(text, main.head) : main;
    const part = runnablePart(text, from, to);
    return part.trim() === '' ? null : part;
  }

  /** Go to a line (1-based) and column, and show it; `focus` to type there next. */
  goTo(line: number, col = 1, focus = true): void {
    const { doc } = this.view.state;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    const at = Math.min(l.from + Math.max(0, col - 1), l.to);
    this.view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
    if (focus) this.view.focus();
  }

  /** Mark the lines live tasks execute (only when they change). */
  showPlayhead(lines: ReadonlyMap<number, LineActivity>): void {
    const key = playheadKey(lines);
    if (key === this.shownPlayhead) return;
    this.shownPlayhead = key;
    const effects: StateEffect<unknown>[] = [setPlayhead.of(lines)];
    // The lit line stays in sight while nobody types here (a lesson longer than the pane).
    const first = [...lines].filter(([, a]) => a === 'playing').map(([l]) => l).sort((a, b) => a - b)[0];
    const { doc } = this.view.state;
    if (first !== undefined && first <= doc.lines && !this.view.hasFocus) {
      const at = doc.line(first).from;
      const { from, to } = this.view.viewport;
      const rect = this.view.scrollDOM.getBoundingClientRect();
      const block = at >= from && at <= to ? this.view.lineBlockAt(at) : null;
      const top = block ? block.top - this.view.scrollDOM.scrollTop : -1;
      if (!block || top < 0 || top + block.height > rect.height) effects.push(EditorView.scrollIntoView(at, { y: 'center' }));
    }
    this.view.dispatch({ effects });
  }

  focus(): void {
    this.view.focus();
  }

  /** Light the paused tasks' current commands (an empty list clears them): see task-marks.ts. */
  showTaskMarks(marks: readonly TaskMark[]): void {
    this.view.dispatch({ effects: setTaskMarks.of(marks) });
  }

  private make(name: string, kind: BufferKind, text: string): Buffer {
    const buffer: Buffer = { name, kind, original: text, state: null as unknown as EditorState };
    buffer.state = this.stateFor(buffer, text);
    return buffer;
  }

  private stateFor(buffer: Buffer, text: string): EditorState {
    return EditorState.create({ doc: text, extensions: this.extensions(buffer) });
  }

  private extensions(buffer: Buffer): Extension {
    if (buffer.kind === 'python') return this.readOnlyExtensions(buffer);
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      bracketMatching(),
      noteHighlighting((word) => this.hooks.isCommand(word, buffer)),
      noteLinter((text) => this.hooks.check(text, this.hooks.sourceOf(buffer))),
      playhead(),
      taskMarks(),
      // long lines (a lesson's def) wrap; the pane's Wrap button turns that off (a class on the host, see setWrap)
      EditorView.lineWrapping,
      // tooltips (a lint message) stay inside the code, off the Run bar above it
      tooltips({ position: 'absolute', parent: this.host, tooltipSpace: (view) => view.scrollDOM.getBoundingClientRect() }),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      EditorView.contentAttributes.of({ 'aria-label': `Script ${buffer.name}`, spellcheck: 'false' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && buffer === this.current) this.hooks.changed(buffer);
      }),
    ];
  }

  /** A Python translation: shown and selectable, not edited, not read as the note language. */
  private readOnlyExtensions(buffer: Buffer): Extension {
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      EditorState.readOnly.of(true),
      // long docstrings and comments wrap: the pane is narrow and nothing here is edited
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': `Python ${buffer.name} (read-only)`, spellcheck: 'false' }),
    ];
  }

  private drawTabs(): void {
    this.tabs.replaceChildren(
      ...this.buffers.map((buffer) => {
        const tab = document.createElement('button');
        tab.className = 'editor-tab';
        tab.setAttribute('role', 'tab');
        tab.setAttribute('aria-selected', String(buffer === this.current));
        tab.dataset.buffer = buffer.name;
        tab.textContent = buffer.name;
        tab.title = `${TAB_TITLES[buffer.kind]} ${buffer.name}`;
        tab.addEventListener('click', () => this.show(buffer));
        return tab;
      }),
    );
    // a strip wider than the pane scrolls: the shown buffer's tab is kept in view
    this.tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

const TAB_TITLES: Record<BufferKind, string> = { scratch: 'Scratch buffer', lesson: 'Lesson', script: 'Script', python: 'Python translation (read-only)' };
