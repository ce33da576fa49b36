/**
 * The lessons as a panel: the Examples menu, and the story beside the
 * timeline (examples/panel.ts) with the lesson's script, which the user may
 * edit and play again.
 */
import type { Example } from '../../protocol';
import { StoryPanel } from '../examples/panel';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import { playScript } from '../scripts';

export class LessonsPanel implements Panel {
  readonly story: StoryPanel;
  private readonly select = byId<HTMLSelectElement>('examples');
  private readonly toggle = byId<HTMLButtonElement>('story-toggle');
  private listed = false;

  constructor(private readonly page: Page) {
    this.story = new StoryPanel(byId('story'), {
      playExample: (example) => void this.openExample(example.file),
      playEdited: (name, text) => void playScript(page, name, text),
      stop: (sources) => {
        for (const source of sources) void page.api.stopSource({ source });
      },
      toggled: (open) => {
        document.querySelector('.panes')?.classList.toggle('with-story', open);
        this.toggle.classList.toggle('on', open);
      },
    });
    this.select.addEventListener('change', () => {
      if (this.select.value !== '') void this.openExample(this.select.value);
    });
    this.toggle.addEventListener('click', () => this.story.toggle());
    // Done editing: typing goes back to the terminal (the read-only script takes none)
    byId('story-edit').addEventListener('click', () => {
      if (!this.story.editing) page.terminal.focus();
    });
    page.keys.on('toggle-story', () => this.story.toggle());
    page.keys.place('story editor', byId('story-script'));
    page.keys.on('play-story', () => this.story.play());
  }

  /** True once the Examples menu has been filled from the host. */
  get ready(): boolean {
    return this.listed;
  }

  onSnapshot({ joining, example }: Joined): void {
    if (joining === 'page-start' && example) this.show(example);
  }

  onHostNote(note: HostNote): void {
    if (note.type === 'example') this.show(note.example);
  }

  /** Fill the Examples menu from the host (once per connection). */
  async listExamples(): Promise<void> {
    const reply = await this.page.api.listExamples();
    if (!reply.ok) return;
    this.select.replaceChildren(new Option('Examples…', ''));
    reply.value.examples.forEach((e, i) => {
      const option = new Option(`${i + 1}. ${e.title}`, e.file);
      option.title = e.story;
      this.select.append(option);
    });
    this.select.hidden = reply.value.examples.length === 0;
    this.listed = true;
    if (this.story.example) this.select.value = this.story.example.file;
  }

  /** Play an example lesson; its story opens beside the timeline. */
  async openExample(file: string): Promise<void> {
    const reply = await this.page.api.loadExample({ file });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) this.page.terminal.diagnostic(d);
      this.page.terminal.notice(reply.error.message, true);
      return;
    }
    this.show(reply.value.example);
  }

  private show(example: Example): void {
    const fresh = this.story.example?.file !== example.file || !this.story.isOpen;
    this.page.terminal.setSourceText(example.file, example.text);
    this.story.show(example);
    this.select.value = example.file;
    this.toggle.disabled = false;
    if (fresh) this.page.terminal.info(`example: ${example.title} (${example.file}); its story is beside the timeline`);
  }
}
