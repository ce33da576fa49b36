/**
 * Files in and out as a panel: Open… (and Ctrl+O), a .txt dropped on the
 * window (an audio file dropped there is kept for `sample NAME`), Export (a menu asks what: the terminal session, one script, or
 * everything that played; and as what: a WAV or a MIDI file) and Save session, whose files Electron saves or
 * this page offers as downloads (web mode).
 */
import type { CorotoneApi } from '../../protocol';
import type { HostNote, Panel } from '../panel';
import { byId, type Page } from '../page';
import { playScript } from '../scripts';
import { addSample, AUDIO_FILE } from '../audio/drop-sample';

type FileReply = Awaited<ReturnType<CorotoneApi['saveSession']>>;
type ExportChoice = Omit<NonNullable<Parameters<CorotoneApi['exportAudio']>[0]>, 'text' | 'sampleRate'>;
type ExportFormat = NonNullable<ExportChoice['format']>;
const FORMATS: { format: ExportFormat; label: string; name: string }[] = [
  { format: 'wav', label: 'WAV', name: 'WAV' },
  { format: 'midi', label: 'MIDI file', name: 'MIDI' },
];

function describeChoice(choice: ExportChoice): string {
  if (choice.what === 'terminal') return 'the terminal session';
  if (choice.what === 'script') return `the script ${choice.name ?? ''}`.trimEnd();
  if (choice.what === 'all') return 'everything that played';
  return 'the current script';
}

export class FilesPanel implements Panel {
  private readonly input = byId<HTMLInputElement>('file-input');
  /** Ends the window's drag and drop listeners. */
  private readonly listening = new AbortController();

  constructor(private readonly page: Page) {
    const open = () => this.input.click();
    byId('open').addEventListener('click', open);
    page.keys.on('open-script', open);
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      if (file) void this.loadFile(file);
      this.input.value = '';
    });
    byId('export-audio').addEventListener('click', () => this.toggleExportMenu());
    page.keys.on('export-audio', () => this.toggleExportMenu());
    // Esc closes the menu (as well as whatever else it closes): a listener of its own, as the keyboard has one handler per key.
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Escape' || this.menu === null) return;
        this.closeExportMenu();
        this.page.terminal.focus();
      },
      { capture: true, signal: this.listening.signal },
    );
    byId('save-session').addEventListener('click', () => void this.saveSession());
    page.keys.on('save-session', () => void this.saveSession());
    this.wireDrop();
  }

  /** The desktop menu's Export Audio… opens the same chooser as the button. */
  onHostNote(note: HostNote): void {
    if (note.type === 'menu' && note.action === 'export-audio' && this.menu === null) this.toggleExportMenu();
  }

  dispose(): void {
    this.listening.abort();
    this.closeExportMenu();
  }

  async loadFile(file: File): Promise<void> {
    if (AUDIO_FILE.test(file.name) || file.type.startsWith('audio/')) {
      await addSample(this.page, file);
      return;
    }
    if (!/\.txt$/i.test(file.name) && file.type !== 'text/plain') {
      this.page.terminal.notice(`${file.name}: not a .txt script, nor an audio file (WAV, FLAC, OGG, MP3)`, true);
      return;
    }
    await playScript(this.page, file.name, await file.text());
  }

  private menu: HTMLElement | null = null;

  /** The exports this page asked for that have not been answered: their id, and what they render. */
  private readonly exporting = new Map<string, string>();
  private exportCount = 0;
  /** What the chooser writes: the last format picked in it. */
  private format: ExportFormat = 'wav';

  /** Render `choice` to WAV or MIDI, as it says (without one: the current script, or else what was typed, to WAV). */
  async exportAudio(choice: ExportChoice = {}): Promise<void> {
    const what = describeChoice(choice);
    const exportId = `export-${++this.exportCount}`;
    this.exporting.set(exportId, what);
    this.showExporting();
    const as = FORMATS.find((f) => f.format === (choice.format ?? 'wav'))!.name;
    this.page.terminal.info(`rendering ${what} to ${as}… (to stop it: Export, then Cancel)`);
    try {
      const reply = await this.page.api.exportAudio({ ...choice, exportId });
      if (reply.ok && reply.value.kind === 'cancelled') this.page.terminal.info(`export of ${what} cancelled`);
      else this.deliver(reply);
    } finally {
      this.exporting.delete(exportId);
      this.showExporting();
    }
  }

  /** The Export button says how many exports run (the chooser lists them, each with Cancel). */
  private showExporting(): void {
    const button = byId('export-audio');
    const n = this.exporting.size;
    if (n === 0) delete button.dataset.exporting;
    else button.dataset.exporting = String(n);
  }

  /** The chooser's list of exports under way, each with a Cancel button that stops it (its worker ends at once). */
  private addRunningExports(menu: HTMLElement): void {
    if (this.exporting.size === 0) return;
    const heading = document.createElement('div');
    heading.className = 'hint running-heading';
    heading.textContent = `Rendering now (${this.exporting.size})`;
    menu.append(heading);
    for (const [exportId, what] of this.exporting) {
      const row = document.createElement('div');
      row.className = 'running-export';
      const label = document.createElement('span');
      label.textContent = what;
      const cancel = document.createElement('button');
      cancel.className = 'cancel-export';
      cancel.setAttribute('role', 'menuitem');
      cancel.dataset.cancel = exportId;
      cancel.textContent = 'Cancel';
      cancel.setAttribute('aria-label', `Cancel rendering ${what}`);
      cancel.addEventListener('click', () => {
        this.closeExportMenu();
        this.page.terminal.focus();
        void this.page.api.cancelExport({ exportId });
      });
      row.append(label, cancel);
      menu.append(row);
    }
  }

  /** The menu of what to export, under the Export button: the terminal session, each script that played, everything. */
  toggleExportMenu(): void {
    if (this.menu !== null) {
      this.closeExportMenu();
      return;
    }
    const anchor = byId('export-audio');
    const menu = document.createElement('div');
    menu.className = 'export-menu';
    menu.id = 'export-menu';
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', 'Export what');
    const item = (label: string, choice: ExportChoice) => {
      const button = document.createElement('button');
      button.setAttribute('role', 'menuitem');
      button.textContent = label;
      button.dataset.what = choice.what ?? '';
      if (choice.name !== undefined) button.dataset.name = choice.name;
      button.addEventListener('click', () => {
        this.closeExportMenu();
        this.page.terminal.focus();
        void this.exportAudio({ ...choice, format: this.format });
      });
      menu.append(button);
    };
    this.addFormatChoice(menu);
    item('The terminal session (what was typed)', { what: 'terminal' });
    for (const lane of this.page.feed.model.lanes) {
      if (lane.name !== 'terminal') item(`The script ${lane.name}`, { what: 'script', name: lane.name });
    }
    item('Everything that played', { what: 'all' });
    this.addRunningExports(menu);
    const hint = document.createElement('div');
    hint.className = 'hint';
    hint.textContent = 'Esc closes';
    menu.append(hint);
    const box = anchor.getBoundingClientRect();
    menu.style.left = `${Math.max(4, Math.min(box.left, window.innerWidth - 280))}px`;
    menu.style.top = `${box.bottom + 4}px`;
    document.body.append(menu);
    this.menu = menu;
    menu.querySelector('button')?.focus();
    menu.addEventListener('keydown', (e) => {
      const items = [...menu.querySelectorAll('button')];
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      }
    });
    // a click elsewhere closes it
    setTimeout(() => window.addEventListener('pointerdown', this.closeOnOutside, { signal: this.listening.signal }), 0);
  }

  /** The chooser's first row: write a WAV or a MIDI file (radio buttons, so the list of what to export stays its buttons). */
  private addFormatChoice(menu: HTMLElement): void {
    const row = document.createElement('div');
    row.className = 'export-format';
    row.setAttribute('role', 'radiogroup');
    row.setAttribute('aria-label', 'Export as');
    row.append('As: ');
    for (const { format, label } of FORMATS) {
      const option = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'export-format';
      radio.value = format;
      radio.checked = this.format === format;
      radio.addEventListener('change', () => {
        if (radio.checked) this.format = format;
      });
      option.append(radio, ` ${label}`);
      row.append(option);
    }
    menu.append(row);
  }

  closeExportMenu(): void {
    window.removeEventListener('pointerdown', this.closeOnOutside);
    this.menu?.remove();
    this.menu = null;
  }

  private readonly closeOnOutside = (e: Event): void => {
    if (this.menu !== null && !this.menu.contains(e.target as Node) && (e.target as Element).id !== 'export-audio') this.closeExportMenu();
  };

  async saveSession(): Promise<void> {
    this.deliver(await this.page.api.saveSession());
  }

  /** Where a file the host made went: saved by Electron, or offered here as a download (web mode). */
  private deliver(reply: FileReply): void {
    const { terminal } = this.page;
    if (!reply.ok) {
      terminal.notice(reply.error.message, true);
      return;
    }
    const file = reply.value;
    if (file.kind === 'saved') terminal.success(`saved to ${file.path}`);
    else if (file.kind === 'download') {
      const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0)) : new TextEncoder().encode(file.data);
      const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
      download(url, file.fileName);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      terminal.success(`downloaded ${file.fileName}`);
    } else if (file.kind === 'link') {
      // Web mode's exported audio: the browser fetches it from the host (same origin, token cookie) as a download.
      download(file.url, file.fileName);
      terminal.success(`downloading ${file.fileName} (${(file.size / 1e6).toFixed(1)} MB)`);
    }
  }

  private wireDrop(): void {
    const overlay = byId('drop-overlay');
    let depth = 0;
    const { signal } = this.listening;
    window.addEventListener(
      'dragenter',
      (e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        depth++;
        overlay.hidden = false;
      },
      { signal },
    );
    window.addEventListener(
      'dragleave',
      () => {
        depth = Math.max(0, depth - 1);
        if (depth === 0) overlay.hidden = true;
      },
      { signal },
    );
    window.addEventListener('dragover', (e) => e.preventDefault(), { signal });
    window.addEventListener(
      'drop',
      (e) => {
        e.preventDefault();
        depth = 0;
        overlay.hidden = true;
        for (const file of Array.from(e.dataTransfer?.files ?? [])) void this.loadFile(file);
      },
      { signal },
    );
  }
}

/** Have the browser download `href` as `fileName`. */
export function download(href: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.click();
}
