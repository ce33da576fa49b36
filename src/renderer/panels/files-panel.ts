/**
 * Files in and out as a panel: Open… (and Ctrl+O), a .txt dropped on the
 * window, Export WAV and Save session, whose files Electron saves or this page
 * offers as downloads (web mode).
 */
import type { CorotoneApi } from '../../protocol';
import type { Panel } from '../panel';
import { byId, type Page } from '../page';
import { playScript } from '../scripts';

type FileReply = Awaited<ReturnType<CorotoneApi['saveSession']>>;

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
    byId('export-audio').addEventListener('click', () => void this.exportAudio());
    page.keys.on('export-audio', () => void this.exportAudio());
    byId('save-session').addEventListener('click', () => void this.saveSession());
    page.keys.on('save-session', () => void this.saveSession());
    this.wireDrop();
  }

  dispose(): void {
    this.listening.abort();
  }

  async loadFile(file: File): Promise<void> {
    if (!/\.txt$/i.test(file.name) && file.type !== 'text/plain') {
      this.page.terminal.notice(`${file.name}: not a .txt script`, true);
      return;
    }
    await playScript(this.page, file.name, await file.text());
  }

  async exportAudio(): Promise<void> {
    this.page.terminal.info('rendering the WAV…');
    this.deliver(await this.page.api.exportAudio());
  }

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

function download(href: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.click();
}
