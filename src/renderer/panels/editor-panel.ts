/**
 * The code editor as a panel (editor/code-editor.ts): the pane beside the
 * timeline with its buffers (scratch, lessons, scripts played from this page),
 * Ctrl+Enter to run the line or the selection and Ctrl+Shift+Enter the whole
 * buffer (each as a script named after the buffer, through load-script), the
 * playhead of the code in time with the sound, and a click on a timeline bar
 * that goes to its line.
 */
import type { Text } from '@codemirror/state';
import { builtinCommands } from '../../core/commands';
import { toPython, type PythonExport } from '../../core/python';
import { CodeEditor, type Buffer } from '../editor/code-editor';
import type { TaskMark } from '../editor/task-marks';
import { liveLines, type LineActivity } from '../editor/live-lines';
import { pythonName, PythonView } from '../editor/python-view';
import { editedName } from '../examples/panel';
import type { Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import { onScriptPlayed } from '../scripts';
import { onBarClick } from './timeline-panel';

export const SCRATCH = 'scratch';
const SCRATCH_TEXT = '# scratch: Ctrl+Enter runs the line, Ctrl+Shift+Enter the whole buffer\nbeep C5 0.25; beep E5 0.25; beep G5 0.5\n';

export class EditorPanel implements Panel {
  readonly editor: CodeEditor;
  /** Plays a lesson as it is (its own file); the lessons panel sets it. */
  playLesson: ((file: string) => void) | null = null;
  /** Whenever the shown buffer changes (the lessons panel shows or hides the story). */
  onBufferShown: ((buffer: Buffer) => void) | null = null;
  private readonly root = byId('story');
  private readonly reset = byId<HTMLButtonElement>('story-reset');
  private readonly toggle = byId<HTMLButtonElement>('story-toggle');
  /** Every source name each buffer ran as, for its playhead. */
  private readonly ranAs = new Map<string, Set<string>>();
  private frame = 0;
  /** The phrases the shown buffer defines, for its colours (by document). */
  private definedIn: { doc: Text | string | null; names: Set<string> } = { doc: null, names: new Set() };
  private readonly offScripts: () => void;
  /** Each Python tab's translation (by the tab's name), for its warnings and download. */
  private readonly translations = new Map<string, PythonExport>();
  /** The paused tasks' current commands, by source (the inspector's marks: task-marks.ts). */
  private taskMarks: readonly (TaskMark & { source: string })[] = [];
  private readonly pythonView = new PythonView(byId('python-about'), byId('python-warnings'), byId<HTMLAnchorElement>('python-download'));

  constructor(private readonly page: Page) {
    this.editor = new CodeEditor(
      byId('editor-tabs'),
      byId('editor'),
      {
        check: (text, source) => page.terminal.phrases.check(text, source),
        isCommand: (word, buffer) => this.isCommand(word, buffer),
        sourceOf: (buffer) => this.sourceOf(buffer),
        changed: (buffer) => this.shown(buffer),
      },
      { name: SCRATCH, text: loadScratch() },
    );
    this.toggle.disabled = false;
    this.toggle.addEventListener('click', () => this.setOpen(!this.isOpen));
    byId('story-close').addEventListener('click', () => this.setOpen(false));
    byId('story-play').addEventListener('click', () => this.runBuffer());
    byId('editor-run-line').addEventListener('click', () => this.runLine());
    byId('story-stop').addEventListener('click', () => this.stop());
    byId('editor-python').addEventListener('click', () => this.showPython());
    const wrap = byId<HTMLButtonElement>('editor-wrap');
    wrap.addEventListener('click', () => {
      const on = wrap.getAttribute('aria-pressed') !== 'true';
      wrap.setAttribute('aria-pressed', String(on));
      wrap.classList.toggle('on', on);
      this.editor.setWrap(on);
    });
    this.reset.addEventListener('click', () => this.editor.reset());
    const { keys } = page;
    keys.place('editor', byId('editor'));
    keys.on('toggle-story', () => this.setOpen(!this.isOpen));
    keys.on('run-line', () => this.runLine());
    keys.on('run-buffer', () => this.runBuffer());
    keys.on('show-python', () => {
      this.showPython();
    });
    // The open editor shows a clicked bar's line; the focus stays on the timeline, whose keys go on working.
    onBarClick(page, (task) => {
      if (task.pos && this.isOpen) this.goTo(task.pos.source, task.pos.line, task.pos.col, false);
    });
    // A script played from the page (Open, drop) becomes a buffer; the pane opens only when asked.
    this.offScripts = onScriptPlayed((name, text) => {
      const shown = this.editor.active;
      const buffer = this.editor.open(name, 'script', text);
      this.ran(buffer, name);
      if (!this.isOpen && shown !== buffer) this.editor.show(shown);
    });
    this.shown(this.editor.active);
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  setOpen(open: boolean): void {
    if (this.root.hidden === !open) return;
    this.root.hidden = !open;
    document.querySelector('.panes')?.classList.toggle('with-story', open);
    this.toggle.classList.toggle('on', open);
    this.page.feed.resize();
    if (open) this.startPlayhead();
    else this.stopPlayhead();
  }

  onSnapshot({ joining }: Joined): void {
    if (joining === 'new-session') this.ranAs.clear();
  }

  dispose(): void {
    this.stopPlayhead();
    this.offScripts();
  }

  /** A built-in, a phrase the session defined, or one the shown buffer defines (`def NAME ...`). */
  private isCommand(word: string, buffer: Buffer): boolean {
    if (builtinCommands.get(word) !== undefined) return true;
    const lower = word.toLowerCase();
    if (this.page.terminal.phrases.names().some((n) => n.toLowerCase() === lower)) return true;
    // the scratch buffer is coloured while the editor is being made, before it is this.editor
    const doc = this.editor ? this.editor.docOf(buffer) : buffer.original;
    if (doc !== this.definedIn.doc) this.definedIn = { doc, names: definedNames(doc.toString()) };
    return this.definedIn.names.has(lower);
  }

  /** The source a buffer runs as: its name, or for an edited lesson a name of its own. */
  sourceOf(buffer: Buffer): string {
    return buffer.kind === 'lesson' && this.editor.edited(buffer) ? editedName(buffer.name) : buffer.name;
  }

  /** Ctrl+Enter: run the selection, or the line the cursor is on. */
  runLine(): void {
    if (this.notRunnable()) return;
    const part = this.editor.currentPart();
    if (part !== null) void this.run(this.editor.active, part);
  }

  /** Ctrl+Shift+Enter: run the whole buffer (a lesson as it is plays as the lesson itself). */
  runBuffer(): void {
    if (this.notRunnable()) return;
    const buffer = this.editor.active;
    if (buffer.kind === 'lesson' && !this.editor.edited(buffer) && this.playLesson) {
      this.ran(buffer, buffer.name);
      this.playLesson(buffer.name);
      return;
    }
    void this.run(buffer, this.editor.text);
  }

  /**
   * Show the shown buffer's program (as it stands, edits and all) as Python
   * asyncio in a read-only tab NAME.py, with the translator's warnings and a
   * download. On a Python tab it translates that tab's buffer again.
   */
  showPython(): PythonExport {
    let buffer = this.editor.active;
    if (buffer.kind === 'python') buffer = this.editor.all.find((b) => b.kind !== 'python' && pythonName(b.name) === buffer.name) ?? buffer;
    const text = this.editor.docOf(buffer).toString();
    const translation = toPython(text, this.sourceOf(buffer));
    const name = pythonName(buffer.name);
    this.translations.set(name, translation);
    this.setOpen(true);
    this.editor.open(name, 'python', translation.code);
    return translation;
  }

  /** A Python tab is read, not run here: say so. */
  private notRunnable(): boolean {
    const buffer = this.editor.active;
    if (buffer.kind !== 'python') return false;
    this.page.terminal.notice(`${buffer.name}: a Python translation runs with python3, not here (download it above the code)`, true);
    return true;
  }

  /** Stop what the shown buffer still plays. */
  stop(): void {
    const buffer = this.editor.active;
    for (const source of this.sourcesOf(buffer)) void this.page.api.stopSource({ source });
  }

  /** The sources a buffer plays as: its own name and every name it ran under. */
  private sourcesOf(buffer: Buffer): Set<string> {
    return new Set([buffer.name, ...(this.ranAs.get(buffer.name) ?? [])]);
  }

  /** Show a source's line, if a buffer holds that source. */
  goTo(source: string, line: number, col: number, focus = true): boolean {
    const buffer = this.editor.all.find((b) => b.name === source || this.ranAs.get(b.name)?.has(source));
    if (!buffer) return false;
    this.setOpen(true);
    this.editor.show(buffer);
    this.editor.goTo(line, col, focus);
    return true;
  }

  /**
   * Run text of a buffer as a script named after it. Its errors are marked
   * at their lines already; one with errors is not sent.
   */
  private async run(buffer: Buffer, text: string): Promise<void> {
    const { terminal, api } = this.page;
    const source = this.sourceOf(buffer);
    const problems = terminal.phrases.check(text, source);
    if (problems.length > 0) {
      const first = problems[0];
      terminal.notice(`${source}: not run, ${problems.length} error${problems.length === 1 ? '' : 's'} marked in the editor (first at ${first.source}:${first.line}:${first.col}: ${first.message})`, true);
      return;
    }
    terminal.setSourceText(source, this.editor.text);
    this.ran(buffer, source);
    const reply = await api.loadScript({ name: source, text });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) terminal.diagnostic(d);
      terminal.notice(`${source}: ${reply.error.message}`, true);
      return;
    }
    if (reply.value.started) terminal.phrases.learnScript(text, reply.value.source);
    else terminal.notice(`${source}: not run`, true);
  }

  private ran(buffer: Buffer, source: string): void {
    const names = this.ranAs.get(buffer.name) ?? new Set<string>();
    names.add(source);
    this.ranAs.set(buffer.name, names);
  }

  private shown(buffer: Buffer): void {
    if (buffer.kind === 'scratch' && this.editor) saveScratch(this.editor.text);
    this.reset.hidden = buffer.kind === 'scratch' || !this.editor.edited(buffer);
    this.root.classList.toggle('edited', this.editor.edited(buffer));
    const python = buffer.kind === 'python';
    this.root.classList.toggle('showing-python', python);
    const translation = python ? this.translations.get(buffer.name) : undefined;
    this.pythonView.show(translation ? { name: buffer.name, code: this.editor.text, warnings: translation.warnings } : null);
    if (this.editor) this.showTaskMarks();
    this.onBufferShown?.(buffer);
  }

  /** Light these tasks' current commands in whichever buffer holds their source (none: clear them). */
  markTasks(marks: readonly (TaskMark & { source: string })[]): void {
    this.taskMarks = marks;
    this.showTaskMarks();
  }

  private showTaskMarks(): void {
    const sources = this.sourcesOf(this.editor.active);
    this.editor.showTaskMarks(this.editor.active.kind === 'python' ? [] : this.taskMarks.filter((m) => sources.has(m.source)));
  }

  /** The lines the shown buffer's live tasks execute, now as heard. */
  liveLinesNow(): Map<number, LineActivity> {
    return this.linesAt(this.page.clock.timelineNow());
  }

  /** The lines the shown buffer's live tasks execute at `now` (timeline time). */
  linesAt(now: number): Map<number, LineActivity> {
    const buffer = this.editor.active;
    const sources = this.sourcesOf(buffer);
    const lines = new Map<number, LineActivity>();
    for (const lane of this.page.feed.model.lanes) {
      if (!sources.has(lane.name)) continue;
      for (const [line, activity] of liveLines(lane, lane.name, now)) {
        if (activity === 'playing' || !lines.has(line)) lines.set(line, activity);
      }
    }
    return lines;
  }

  private startPlayhead(): void {
    if (this.frame !== 0) return;
    const tick = () => {
      this.editor.showPlayhead(this.liveLinesNow());
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private stopPlayhead(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** The names `def` lines of a text define, in lower case. */
function definedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^\s*def\s+(\S+)/gim)) names.add(match[1].toLowerCase());
  return names;
}

const SCRATCH_KEY = 'corotone.scratch';

/** The scratch buffer as it was left (kept across reloads), or its first text. */
function loadScratch(): string {
  try {
    return localStorage.getItem(SCRATCH_KEY) ?? SCRATCH_TEXT;
  } catch {
    return SCRATCH_TEXT;
  }
}

function saveScratch(text: string): void {
  try {
    localStorage.setItem(SCRATCH_KEY, text);
  } catch {
    // storage full or off: the buffer still works, it is just not kept
  }
}
