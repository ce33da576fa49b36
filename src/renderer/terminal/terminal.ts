/**
 * The terminal pane: xterm.js for drawing, the LineEditor for editing, history
 * kept in localStorage, and printing of output and located errors in colour.
 * Output that arrives while the user types is printed above the prompt line,
 * which is then drawn again with what was being typed. The prompt and line may
 * wrap over several rows (PromptDisplay draws them).
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { builtinCommands } from '../../core/commands';
import type { Diagnostic } from '../../core/session/api';
import { LineEditor, PROMPT, type HistoryStore } from './line-editor';
import { PromptDisplay } from './prompt-display';
import { SessionPhrases } from './phrases';
import { escapeControl } from '../../core/text';
import { formatDiagnostic, formatHelp, isHelpText, wrapWords } from './format';

/** Command names for tab completion: the engine's own table (core), so a new command completes at once. */
export const COMMAND_NAMES: readonly string[] = builtinCommands.names();

const HISTORY_KEY = 'corotone.history';

export const localHistory: HistoryStore = {
  load() {
    try {
      const raw = localStorage.getItem(HISTORY_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  },
  save(lines) {
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(lines));
    } catch {
      // storage full or blocked: history lasts for this page only
    }
  },
};

const C = {
  reset: '\x1b[0m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  grey: '\x1b[90m',
};

export class TerminalPane {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  readonly editor: LineEditor;
  private readonly display = new PromptDisplay(PROMPT);
  /** While the width changes, the line is off screen (see resize) and is not drawn. */
  private resizing = false;
  private readonly names = [...COMMAND_NAMES];
  /** The session's phrases (def), completed like commands. */
  readonly phrases = new SessionPhrases();
  /** Lines of each source as far as we know them, to show the offending line under an error. */
  private readonly sourceLines = new Map<string, string[]>();
  onSubmit: ((line: string) => void) | null = null;
  onCancel: (() => void) | null = null;

  constructor(container: HTMLElement) {
    this.term = new Terminal({
      cursorBlink: true,
      convertEol: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: {
        background: '#0f1217',
        foreground: '#d7dde8',
        cursor: '#38d6b5',
        selectionBackground: '#2b3a55',
        black: '#1b1f27',
        red: '#ff6b6b',
        green: '#4caf73',
        yellow: '#f2c94c',
        blue: '#5c9df2',
        magenta: '#b26ad8',
        cyan: '#38d6b5',
        white: '#d7dde8',
        brightBlack: '#6b7587',
      },
    });
    this.term.loadAddon(this.fit);
    this.term.open(container);
    this.editor = new LineEditor(localHistory, () => [...this.names, ...this.phrases.names()]);
    this.term.onData((data) => this.input(data));
    new ResizeObserver(() => this.resize()).observe(container);
    this.fitNow();
    this.term.write(this.drawLine());
  }

  /**
   * Fit the terminal to its pane. A new width would make xterm reflow the
   * wrapped prompt line under the cursor, so the line is first erased at the
   * old width, the terminal resized once the erase has been written (writes
   * are queued; a resize is not), and the line drawn again at the new width.
   */
  resize(): void {
    const dims = this.proposed();
    if (!dims || this.resizing) return;
    if (dims.cols === this.term.cols) {
      this.fitNow();
      return;
    }
    this.resizing = true;
    this.term.write(this.display.erase(), () => {
      this.resizing = false;
      this.fitNow();
      this.term.write(this.drawLine());
    });
  }

  private proposed(): { cols: number; rows: number } | undefined {
    try {
      return this.fit.proposeDimensions();
    } catch {
      return undefined; // not laid out yet
    }
  }

  private fitNow(): void {
    try {
      this.fit.fit();
    } catch {
      // not laid out yet
    }
  }

  /** The prompt and the line being edited, drawn again where they were. */
  private drawLine(): string {
    return this.resizing ? '' : this.display.draw(this.editor.line, this.editor.cursorIndex, this.term.cols);
  }

  focus(): void {
    this.term.focus();
  }

  /** Feed input as if typed or pasted (the app's Open path and tests use it too). */
  input(data: string): void {
    const actions = this.editor.feed(data);
    for (const action of actions) {
      switch (action.type) {
        case 'submit':
          this.term.write(this.display.finish(action.line));
          // blank lines are not sent, so they get no line number on the host
          if (action.line.trim() !== '') this.remember('terminal', action.line);
          this.onSubmit?.(action.line);
          break;
        case 'cancel':
          this.term.write(this.display.finish(action.line, `${C.grey}^C${C.reset}`));
          this.onCancel?.();
          break;
        case 'clear':
          // clear() keeps the cursor's row as the first: erase the line first (in write order), so that row is blank
          this.term.write(this.display.erase(), () => this.term.clear());
          break;
        case 'candidates':
          this.term.write(`${this.display.finish(this.editor.line)}${C.cyan}${action.names.join('  ')}${C.reset}\r\n`);
          break;
      }
    }
    this.term.write(this.drawLine());
  }

  private remember(source: string, line: string): void {
    let lines = this.sourceLines.get(source);
    if (!lines) this.sourceLines.set(source, (lines = []));
    lines.push(line);
  }

  /** The text of line `line` (from 1) of `source`, if known. */
  lineOf(source: string, line: number): string | undefined {
    return this.sourceLines.get(source)?.[line - 1];
  }

  /**
   * What the host told about a line (a task's position and command text):
   * fills in a line this page did not see (typed before a reload), and makes
   * the next typed line take the number after it.
   */
  learnLine(source: string, line: number, text: string, col: number): void {
    let lines = this.sourceLines.get(source);
    if (!lines) this.sourceLines.set(source, (lines = []));
    if (lines[line - 1] === undefined) lines[line - 1] = ' '.repeat(Math.max(0, col - 1)) + text;
  }

  /** A new session numbers its lines afresh: forget the lines of the old one. */
  forgetSources(): void {
    this.sourceLines.clear();
  }

  /** Keep a script's text so its errors can show the line. */
  setSourceText(source: string, text: string): void {
    this.sourceLines.set(source, text.split(/\r\n|\r|\n/));
  }

  /** Print above the prompt line (erased first, however many rows it wraps over), then draw it again. */
  print(text: string, colour = ''): void {
    const body = text.replace(/\r?\n$/, '').replace(/\r?\n/g, '\r\n');
    this.term.write(`${this.display.erase()}${colour}${body}${colour ? C.reset : ''}\r\n${this.drawLine()}`);
  }

  output(text: string, source: string): void {
    const prefix = source === 'terminal' ? '' : `[${escapeControl(source, { singleLine: true })}] `;
    // help's table, laid out for this pane's width (the engine's text is the CLI's, for a wide terminal)
    const body = isHelpText(text) ? formatHelp(text, this.term.cols - prefix.length) : escapeControl(text);
    this.print((prefix === '' ? '' : `${C.grey}${prefix.slice(0, -1)}${C.reset} `) + body);
  }

  /** A located error: `source:line:col: message`, then found/expected/hint and the line with a caret, to the pane's width. */
  diagnostic(d: Diagnostic, label = 'error'): void {
    const text = this.sourceLines.get(d.source)?.[d.line - 1];
    this.print(formatDiagnostic(d, text, this.term.cols, label).join('\n'));
  }

  info(text: string): void {
    this.print(this.fitted(text), C.grey);
  }

  notice(text: string, error = false): void {
    this.print(this.fitted(text), error ? C.red : C.yellow);
  }

  success(text: string): void {
    this.print(this.fitted(text), C.green);
  }

  /** The app's own messages, broken between words at the pane's width. */
  private fitted(text: string): string {
    return text
      .split('\n')
      .flatMap((line) => wrapWords(line, Math.max(12, this.term.cols), '  '))
      .join('\n');
  }

  /** Everything on screen, as plain text (tests and copy). */
  screenText(): string {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buffer.length; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n').replace(/\n+$/, '');
  }
}
