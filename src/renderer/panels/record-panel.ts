/**
 * Rec as a panel: the toolbar's Record button (and its key) records what is
 * heard, the live mix, and saves it as a WAV download when pressed again.
 */
import type { Panel } from '../panel';
import { byId, type Page } from '../page';
import { LiveMixRecorder, MAX_RECORD_SECONDS } from '../record/live-mix';
import { download } from './files-panel';

export class RecordPanel implements Panel {
  private readonly button = byId<HTMLButtonElement>('record');
  private recorder: LiveMixRecorder | null = null;
  private busy = false;

  constructor(private readonly page: Page) {
    this.button.addEventListener('click', () => void this.toggle());
    page.keys.on('record', () => void this.toggle());
  }

  get recording(): boolean {
    return this.recorder?.recording ?? false;
  }

  async toggle(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.recording) await this.stop();
      else await this.start();
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    void this.recorder?.stop();
  }

  private async start(): Promise<void> {
    const { audio, terminal } = this.page;
    const context = audio.context.rawContext as unknown as AudioContext;
    this.recorder ??= new LiveMixRecorder(context, (node) => audio.tap(node));
    this.recorder.onFull = () => {
      terminal.notice(`the recording reached ${MAX_RECORD_SECONDS / 60} minutes, the longest kept: saving it`);
      void this.toggle();
    };
    try {
      await this.recorder.start();
    } catch (error) {
      terminal.notice(`cannot record: ${error instanceof Error ? error.message : String(error)}`, true);
      return;
    }
    this.show(true);
    const note = audio.state === 'running' ? '' : ' (audio is off: click the page or press a key to hear and record it)';
    terminal.info(`● recording what you hear${note}; Record again (Ctrl+Alt+R) stops and saves it`);
  }

  private async stop(): Promise<void> {
    const recorder = this.recorder;
    if (recorder === null) return;
    const seconds = recorder.seconds;
    const wav = await recorder.stop();
    this.show(false);
    if (wav === null) return;
    const fileName = `corotone-recording-${new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '')}.wav`;
    const url = URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' }));
    download(url, fileName);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.page.terminal.success(`recorded ${seconds.toFixed(1)} s of what was heard: ${fileName}`);
  }

  private show(recording: boolean): void {
    this.button.classList.toggle('on', recording);
    this.button.setAttribute('aria-pressed', String(recording));
    this.button.innerHTML = recording ? '■<span class="wide-only"> Stop</span>' : '●<span class="wide-only"> Rec</span>';
  }
}
