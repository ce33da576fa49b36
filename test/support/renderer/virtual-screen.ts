/**
 * A tiny terminal screen for tests: a grid of cells that applies printable
 * characters (with auto-wrap held at the last column, as xterm and VT100s do),
 * CR, LF, and the CSI sequences the prompt display emits: cursor up/down/
 * forward/back/column, erase in display and erase in line. Anything else
 * throws, so a test notices a sequence it does not understand. Rows that
 * scroll off the top go to `scrollback`.
 */
export class VirtualScreen {
  readonly cells: string[][];
  readonly scrollback: string[] = [];
  row = 0;
  /** `columns` means the cursor is held after the last column (the next character wraps first). */
  col = 0;

  constructor(
    public columns: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => this.blank());
  }

  private blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) this.row++;
    else {
      this.scrollback.push(this.cells.shift()!.join('').trimEnd());
      this.cells.push(this.blank());
    }
  }

  /** Cursor moves keep the cursor inside the screen and end a held wrap. */
  private clampCol(): void {
    this.col = Math.max(0, Math.min(this.columns - 1, this.col));
  }

  write(data: string): this {
    let i = 0;
    while (i < data.length) {
      const ch = data[i];
      if (ch === '\x1b') {
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(data.slice(i));
        if (!m) throw new Error(`unexpected escape sequence ${JSON.stringify(data.slice(i, i + 8))}`);
        this.csi(m[2], m[1] === '' ? undefined : Number(m[1]));
        i += m[0].length;
        continue;
      }
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') this.lineFeed();
      else if (ch < ' ') throw new Error(`unexpected control character ${JSON.stringify(ch)}`);
      else {
        if (this.col >= this.columns) {
          this.col = 0;
          this.lineFeed();
        }
        this.cells[this.row][this.col++] = ch;
      }
      i++;
    }
    return this;
  }

  private csi(final: string, param: number | undefined): void {
    const n = Math.max(1, param ?? 1);
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        this.clampCol();
        break;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        this.clampCol();
        break;
      case 'C':
        this.col += n;
        this.clampCol();
        break;
      case 'D':
        this.clampCol();
        this.col -= n;
        this.clampCol();
        break;
      case 'G':
        this.col = n - 1;
        this.clampCol();
        break;
      case 'J': {
        if ((param ?? 0) !== 0) throw new Error(`unexpected erase in display ${param}`);
        for (let c = this.col; c < this.columns; c++) this.cells[this.row][c] = ' ';
        for (let r = this.row + 1; r < this.rows; r++) this.cells[r] = this.blank();
        break;
      }
      case 'K': {
        const p = param ?? 0;
        const [from, to] = p === 0 ? [this.col, this.columns] : p === 1 ? [0, this.col + 1] : [0, this.columns];
        for (let c = from; c < Math.min(to, this.columns); c++) this.cells[this.row][c] = ' ';
        break;
      }
      default:
        throw new Error(`unexpected CSI ${param ?? ''}${final}`);
    }
  }

  /** A new width, without reflowing anything (what the pane does: it erases the prompt line first). */
  resize(columns: number): void {
    this.columns = columns;
    for (let r = 0; r < this.rows; r++) this.cells[r] = [...this.cells[r].slice(0, columns), ...Array<string>(Math.max(0, columns - this.cells[r].length)).fill(' ')];
    this.clampCol();
  }

  /** Rows scrolled off and rows on screen, as one list (trailing empty rows dropped). */
  allLines(): string[] {
    const out = [...this.scrollback, ...this.cells.map((r) => r.join('').trimEnd())];
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** The screen's rows, trailing blanks trimmed, trailing empty rows dropped. */
  lines(): string[] {
    const out = this.cells.map((r) => r.join('').trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  get cursor(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }
}
