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
import { Transcript, type TranscriptEntry } from './transcript';
import { layoutNames, layoutTable, readTable } from './table';
import { cssColour } from '../theme';
import type { ITheme } from '@xterm/xterm';

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
  /** What was printed, to lay it out again when the width changes. */
  private readonly transcript = new Transcript();
  /** Printed while a redraw is under way, after its text was laid out: written when it is done. */
  private held: string[] = [];
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
      theme: terminalTheme(),
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
   * Fit the terminal to its pane. A new width would make xterm reflow what it
   * holds, and text this pane broke at the old width (help's table, errors)
   * would be broken again and garbled; so once the prompt line is erased and
   * the terminal resized (writes are queued; a resize is not), the screen is
   * cleared and the transcript printed again, laid out for the new width.
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
      this.fitNow();
      this.term.reset();
      this.display.forget();
      this.held = [];
      this.term.write(this.transcript.render(this.term.cols), () => {
        this.resizing = false;
        this.term.write(this.held.join('') + this.drawLine());
        this.held = [];
        // The width changed again while redrawing: fit to the latest.
        this.resize();
      });
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

  /** Take the theme's colours again (its CSS variables changed). */
  applyTheme(): void {
    this.term.options.theme = terminalTheme();
  }

  /** Feed input as if typed or pasted (the app's Open path and tests use it too). */
  input(data: string): void {
    const actions = this.editor.feed(data);
    for (const action of actions) {
      switch (action.type) {
        case 'submit':
          this.term.write(this.display.finish(action.line));
          this.transcript.add(typed(action.line));
          // blank lines are not sent, so they get no line number on the host
          if (action.line.trim() !== '') this.remember('terminal', action.line);
          this.onSubmit?.(action.line);
          break;
        case 'cancel':
          this.term.write(this.display.finish(action.line, `${C.grey}^C${C.reset}`));
          this.transcript.add(typed(action.line, `${C.grey}^C${C.reset}`));
          this.onCancel?.();
          break;
        case 'clear':
          // clear() keeps the cursor's row as the first: erase the line first (in write order), so that row is blank
          this.term.write(this.display.erase(), () => this.term.clear());
          this.transcript.clear();
          break;
        case 'candidates':
          this.term.write(this.display.finish(this.editor.line));
          this.transcript.add(typed(this.editor.line));
          this.showCandidates(action.names);
          break;
      }
    }
    this.term.write(this.drawLine());
  }

  /** Tab's candidates in columns for the pane's width, broken between names (print() draws the line again after them). */
  private showCandidates(names: readonly string[]): void {
    const entry: TranscriptEntry = (columns) => `${C.cyan}${layoutNames(names, columns).join('\n')}${C.reset}`;
    this.transcript.add(entry);
    this.term.write(`${entry(this.term.cols).replace(/\n/g, '\r\n')}\r\n`);
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

  /**
   * Print above the prompt line (erased first, however many rows it wraps
   * over), then draw it again. `render` lays the text out for a width: it is
   * kept in the transcript, for a redraw at another width.
   */
  private print(render: TranscriptEntry, colour = ''): void {
    const entry: TranscriptEntry = (columns) => {
      const body = render(columns).replace(/\r?\n$/, '');
      return `${colour}${body}${colour ? C.reset : ''}`;
    };
    this.transcript.add(entry);
    const text = `${entry(this.term.cols).replace(/\r?\n/g, '\r\n')}\r\n`;
    if (this.resizing) this.held.push(text);
    else this.term.write(`${this.display.erase()}${text}${this.drawLine()}`);
  }

  output(text: string, source: string): void {
    const prefix = source === 'terminal' ? '' : `[${escapeControl(source, { singleLine: true })}] `;
    const label = prefix === '' ? '' : `${C.grey}${prefix.slice(0, -1)}${C.reset} `;
    // help's table, laid out for this pane's width (the engine's text is the CLI's, for a wide terminal)
    this.print((columns) => label + (isHelpText(text) ? formatHelp(text, columns - prefix.length) : laidOut(text, columns - prefix.length)));
  }

  /** A line typed before (on another page, or before a reload), shown as it was when typed. */
  typed(line: string): void {
    const entry = typed(escapeControl(line, { singleLine: true }));
    this.transcript.add(entry);
    const text = `${entry(this.term.cols)}\r\n`;
    if (this.resizing) this.held.push(text);
    else this.term.write(`${this.display.erase()}${text}${this.drawLine()}`);
  }

  /** A located error: `source:line:col: message`, then found/expected/hint and the line with a caret, to the pane's width. */
  diagnostic(d: Diagnostic, label = 'error'): void {
    const text = this.sourceLines.get(d.source)?.[d.line - 1];
    this.print((columns) => formatDiagnostic(d, text, columns, label).join('\n'));
  }

  /** The app's own message, broken between words; or, given a layout, the text it lays out for a width (a table). */
  info(text: string | TranscriptEntry): void {
    this.print(typeof text === 'string' ? (columns) => fitted(text, columns) : text, C.grey);
  }

  notice(text: string, error = false): void {
    this.print((columns) => fitted(text, columns), error ? C.red : C.yellow);
  }

  success(text: string): void {
    this.print((columns) => fitted(text, columns), C.green);
  }

  /** Everything on screen, as plain text (tests and copy). */
  screenText(): string {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buffer.length; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n').replace(/\n+$/, '');
  }
}

/** xterm's colours from the theme's CSS variables (--term-*), dark ones where they are not set. */
function terminalTheme(): ITheme {
  const c = (name: string, fallback: string) => cssColour(`--term-${name}`, fallback);
  return {
    background: c('bg', '#0f1217'),
    foreground: c('fg', '#d7dde8'),
    cursor: c('cursor', '#38d6b5'),
    selectionBackground: c('selection', '#2b3a55'),
    black: c('black', '#1b1f27'),
    red: c('red', '#ff6b6b'),
    green: c('green', '#4caf73'),
    yellow: c('yellow', '#f2c94c'),
    blue: c('blue', '#5c9df2'),
    magenta: c('magenta', '#b26ad8'),
    cyan: c('cyan', '#38d6b5'),
    white: c('white', '#d7dde8'),
    brightBlack: c('grey', '#8893a5'),
    // the bright ones (bold errors) are xterm's own on dark; the light theme sets them dark enough to read
    ...bright(['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']),
  };
}

function bright(names: string[]): ITheme {
  const theme: Record<string, string> = {};
  for (const name of names) {
    const value = cssColour(`--term-bright-${name}`, '');
    if (value !== '') theme[`bright${name[0].toUpperCase()}${name.slice(1)}`] = value;
  }
  return theme;
}

/** The app's own messages, broken between words at the pane's width. */
function fitted(text: string, columns: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapWords(line, Math.max(12, columns), '  '))
    .join('\n');
}

/**
 * The session's output for the pane's width, as xterm would never wrap it: a
 * table (`tasks`) in aligned columns, cut with `…`; other lines broken between
 * words, a continuation indented under its line.
 */
function laidOut(text: string, columns: number): string {
  const width = Math.max(12, columns);
  const table = readTable(text);
  if (table) return layoutTable(table, width).map((l) => escapeControl(l, { singleLine: true })).join('\n');
  return text
    .split('\n')
    .flatMap((line) => {
      const lead = /^ */.exec(line)![0];
      if (lead === '') return wrapWords(line, width, '  ');
      const lines = wrapWords(line.slice(lead.length), width, `${lead}  `, width - lead.length);
      return [lead + lines[0], ...lines.slice(1)];
    })
    .join('\n');
}

/** A line as it was typed, after the prompt (xterm wraps it, a single line, by itself). */
function typed(line: string, suffix = ''): TranscriptEntry {
  return () => `${PROMPT}${line}${suffix}`;
}
