import { pyComment } from './quote';

/** Python source, line by line, with the indentation of the block being written. */
export class PythonWriter {
  readonly lines: string[] = [];
  private depth = 0;

  line(text = ''): void {
    this.lines.push(text === '' ? '' : `${'    '.repeat(this.depth)}${text}`);
  }

  /** Write the lines of a block one level deeper. */
  block(write: () => void): void {
    this.depth++;
    const before = this.lines.length;
    write();
    if (!this.lines.slice(before).some(isStatement)) this.line('pass');
    this.depth--;
  }

  /** Put `# comment` after the first line written since `from` (or on a line of its own if none was); `comment` is user text. */
  comment(from: number, text: string): void {
    const comment = pyComment(text);
    if (from < this.lines.length) this.lines[from] += `  ${comment}`;
    else this.line(comment);
  }

  /** A blank line, unless the last line is blank already (or there is none). */
  gap(): void {
    const last = this.lines[this.lines.length - 1];
    if (last !== undefined && last !== '') this.lines.push('');
  }

  /** End with `count` blank lines (none at the very start). */
  blankLines(count: number): void {
    if (this.lines.length === 0) return;
    let blank = 0;
    while (blank < this.lines.length && this.lines[this.lines.length - 1 - blank] === '') blank++;
    for (; blank < count; blank++) this.lines.push('');
  }

  /** How many levels deep the next line is indented. */
  get indent(): number {
    return this.depth;
  }

    get size(): number {
    return this.lines.length;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** A line that does something (not blank, not only a comment). */
export function isStatement(line: string): boolean {
  const text = line.trim();
  return text !== '' && !text.startsWith('#');
}

/** Seconds as a Python number, exactly as the script wrote them: 350_000_000 ns is `0.35`, 2 s is `2`. */
export function pySeconds(ns: number): string {
  const whole = Math.floor(ns / 1e9);
  const fraction = ns - whole * 1e9;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`;
}
