/**
 * What stands above a Python tab (issue 12, "Show as Python"): the
 * translator's warnings, each at its place in the script (source:line:col),
 * and a link that downloads the .py file. The code itself is the tab's
 * (a read-only buffer of the code editor).
 */
import type { Diagnostic } from '../../core/language/diagnostics';

/** `countdown.txt` → `countdown.py`; a name without `.txt` keeps it whole. */
export function pythonName(bufferName: string): string {
  return `${bufferName.replace(/\.txt$/i, '')}.py`;
}

/** A warning as the terminal and the CLI say it. */
export function warningLine(d: Diagnostic): string {
  return `${d.source}:${d.line}:${d.col}: ${d.message}`;
}

export class PythonView {
  private url: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly warnings: HTMLElement,
    private readonly download: HTMLAnchorElement,
  ) {}

  /** Show a translation's warnings and its download, or hide them (null). */
  show(file: { name: string; code: string; warnings: readonly Diagnostic[] } | null): void {
    if (this.url !== null) URL.revokeObjectURL(this.url);
    this.url = null;
    this.root.hidden = file === null;
    if (file === null) return;
    this.url = URL.createObjectURL(new Blob([file.code], { type: 'text/x-python' }));
    this.download.href = this.url;
    this.download.download = file.name;
    this.download.textContent = `Download ${file.name}`;
    const count = file.warnings.length;
    const head = document.createElement('li');
    head.className = 'python-summary';
    head.textContent = count === 0 ? 'Every line has an asyncio form.' : `${count} line${count === 1 ? '' : 's'} written as # NOT EXPORTED:`;
    this.warnings.replaceChildren(
      head,
      ...file.warnings.map((d) => {
        const item = document.createElement('li');
        item.className = 'python-warning';
        item.textContent = warningLine(d);
        return item;
      }),
    );
  }
}
