/**
 * The terminal's line editor, without the terminal: it reads the bytes xterm.js
 * hands over (keys, escape sequences, pasted text) and keeps the line, the
 * cursor and the history. It answers with what the user did (submit a line,
 * cancel, clear); drawing is PromptDisplay's. Pure, so the editing is tested in
 * Node. Characters are code points, so astral characters move as one.
 */

export const PROMPT = '> ';
export const HISTORY_LIMIT = 500;

export interface HistoryStore {
  load(): string[];
  save(lines: readonly string[]): void;
}

export const memoryHistory = (initial: string[] = []): HistoryStore => {
  let lines = [...initial];
  return { load: () => [...lines], save: (l) => void (lines = [...l]) };
};

export type EditorAction =
  | { type: 'submit'; line: string }
  /** Ctrl+C: cancel the running line; the typed text (`line`, left on screen) is dropped. */
  | { type: 'cancel'; line: string }
  /** Ctrl+L */
  | { type: 'clear' }
  /** Tab found several names: show them. */
  | { type: 'candidates'; names: string[] };

const ESC = '\x1b';
const KEYS: Record<string, string> = {
  [`${ESC}[D`]: 'left',
  [`${ESC}OD`]: 'left',
  [`${ESC}[C`]: 'right',
  [`${ESC}OC`]: 'right',
  [`${ESC}[A`]: 'up',
  [`${ESC}OA`]: 'up',
  [`${ESC}[B`]: 'down',
  [`${ESC}OB`]: 'down',
  [`${ESC}[H`]: 'home',
  [`${ESC}OH`]: 'home',
  [`${ESC}[1~`]: 'home',
  [`${ESC}[F`]: 'end',
  [`${ESC}OF`]: 'end',
  [`${ESC}[4~`]: 'end',
  [`${ESC}[3~`]: 'delete',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x03': 'cancel',
  '\x01': 'home',
  '\x05': 'end',
  '\x0c': 'clear',
  '\x15': 'kill',
  '\r': 'enter',
  '\n': 'enter',
};

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private history: string[];
  /** Position while browsing history (history.length = the line being typed). */
  private browse: number;
  private draft: string[] = [];

  constructor(
    private readonly store: HistoryStore = memoryHistory(),
    private readonly completions: () => readonly string[] = () => [],
  ) {
    this.history = store.load().slice(-HISTORY_LIMIT);
    this.browse = this.history.length;
  }

  get line(): string {
    return this.chars.join('');
  }

  get cursorIndex(): number {
    return this.cursor;
  }

  get historyLines(): readonly string[] {
    return this.history;
  }

  /** Feed what the terminal sent; returns the actions in order. */
  feed(data: string): EditorAction[] {
    const actions: EditorAction[] = [];
    const key = KEYS[data];
    if (key !== undefined) {
      this.key(key, actions);
      return actions;
    }
    // Pasted text, or typed characters: split into lines, each one submitted in order.
    let i = 0;
    while (i < data.length) {
      const ch = data[i];
      if (ch === ESC) {
        // an unknown escape sequence: skip it whole
        const seq = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(data.slice(i));
        const known = seq ? KEYS[seq[0]] : undefined;
        if (known !== undefined) this.key(known, actions);
        i += seq ? seq[0].length : 1;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && data[i + 1] === '\n') i++;
        this.key('enter', actions);
        i++;
        continue;
      }
      const single = KEYS[ch];
      if (single !== undefined && single !== 'tab') {
        this.key(single, actions);
        i++;
        continue;
      }
      const code = data.codePointAt(i)!;
      const text = String.fromCodePoint(code);
      if (ch === '\t') this.insert(' ');
      else if (code >= 0x20) this.insert(text);
      i += text.length;
    }
    return actions;
  }

  private insert(text: string): void {
    this.chars.splice(this.cursor, 0, text);
    this.cursor++;
  }

  private key(key: string, actions: EditorAction[]): void {
    switch (key) {
      case 'left':
        if (this.cursor > 0) this.cursor--;
        break;
      case 'right':
        if (this.cursor < this.chars.length) this.cursor++;
        break;
      case 'home':
        this.cursor = 0;
        break;
      case 'end':
        this.cursor = this.chars.length;
        break;
      case 'backspace':
        if (this.cursor > 0) this.chars.splice(--this.cursor, 1);
        break;
      case 'delete':
        if (this.cursor < this.chars.length) this.chars.splice(this.cursor, 1);
        break;
      case 'kill':
        this.chars.splice(0, this.cursor);
        this.cursor = 0;
        break;
      case 'up':
        this.recall(this.browse - 1);
        break;
      case 'down':
        this.recall(this.browse + 1);
        break;
      case 'tab':
        this.complete(actions);
        break;
      case 'cancel': {
        const line = this.line;
        this.chars = [];
        this.cursor = 0;
        this.browse = this.history.length;
        actions.push({ type: 'cancel', line });
        break;
      }
      case 'clear':
        actions.push({ type: 'clear' });
        break;
      case 'enter': {
        const line = this.line;
        this.chars = [];
        this.cursor = 0;
        if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
          this.history.push(line);
          if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
          this.store.save(this.history);
        }
        this.browse = this.history.length;
        this.draft = [];
        actions.push({ type: 'submit', line });
        break;
      }
    }
  }

  private recall(index: number): void {
    if (index < 0 || index > this.history.length) return;
    if (this.browse === this.history.length) this.draft = [...this.chars];
    this.browse = index;
    this.chars = index === this.history.length ? [...this.draft] : [...this.history[index]];
    this.cursor = this.chars.length;
  }

  /**
   * Complete the command or phrase name under the cursor: the first word, or
   * where a command begins inside another (after `;` or `|`, after eval,
   * spawn or loop, after `repeat N`, `timeout S` or `def NAME`). Names match
   * whatever their case, as the engine reads them.
   */
  private complete(actions: EditorAction[]): void {
    const before = this.chars.slice(0, this.cursor).join('');
    const m = /(^|[;|]|\b(?:eval|spawn|loop)\s+|\b(?:repeat|timeout|def)\s+\S+\s+)\s*((?:[A-Za-z_][\w-]*)?)$/i.exec(before);
    if (!m) return;
    const prefix = m[2].toLowerCase();
    const names = [...new Set(this.completions())].filter((n) => n.toLowerCase().startsWith(prefix)).sort();
    if (names.length === 0) return;
    if (names.length === 1) {
      const rest = names[0].slice(prefix.length) + ' ';
      for (const ch of rest) this.insert(ch);
      return;
    }
    const common = commonPrefix(names);
    if (common.length > prefix.length) {
      for (const ch of common.slice(prefix.length)) this.insert(ch);
      return;
    }
    actions.push({ type: 'candidates', names });
  }
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}
