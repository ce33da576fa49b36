/**
 * The lessons as a panel: the Examples menu, and each lesson opened as a
 * buffer of the code editor with its story above it (examples/panel.ts); the
 * user may edit it and run it again (see editor-panel.ts).
 */
import type { Example } from '../../protocol';
import { StoryPanel } from '../examples/panel';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import type { EditorPanel } from './editor-panel';

/** Lessons kept for a reload, at most (there are fewer lessons than this). */
const MAX_OPEN = 40;

export class LessonsPanel implements Panel {
  readonly story: StoryPanel;
  private readonly select = byId<HTMLSelectElement>('examples');
  private listed = false;

  constructor(
    private readonly page: Page,
    private readonly editor: EditorPanel,
  ) {
    this.story = new StoryPanel(byId('story'));
    editor.playLesson = (file) => void this.openExample(file);
    editor.onBufferShown = (buffer) => {
      this.story.showFor(buffer.kind === 'lesson' ? buffer.name : null);
      // an edit of a lesson is work: it is kept for a reload, as the scratch buffer is
      if (buffer.kind === 'lesson') lessonEdits.keep(buffer.name, editor.editor.edited(buffer) ? editor.editor.text : null);
    };
    this.select.addEventListener('change', () => {
      if (this.select.value !== '') void this.openExample(this.select.value);
    });
    this.reopenTabs();
  }

  /** The lessons open before a reload come back as tabs (the host tells only of the one it plays). */
  private reopenTabs(): void {
    const { editor } = this.editor;
    const shown = editor.active;
    for (const example of openLessons.load()) {
      this.page.terminal.setSourceText(example.file, example.text);
      this.story.remember(example);
      // read before the tab opens: showing it unedited would forget the edit
      const edit = lessonEdits.get(example.file);
      editor.open(example.file, 'lesson', example.text);
      if (edit !== null && edit !== example.text) editor.setText(edit);
    }
    editor.show(editor.find(shown.name) ?? shown);
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

  /** Play an example lesson; its script and story open in the editor. */
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
    const { editor } = this.editor;
    const fresh = editor.active.name !== example.file || !this.editor.isOpen;
    this.page.terminal.setSourceText(example.file, example.text);
    this.story.show(example);
    editor.open(example.file, 'lesson', example.text);
    openLessons.add(example);
    this.editor.setOpen(true);
    this.select.value = example.file;
    if (fresh) this.page.terminal.info(`example: ${example.title} (${example.file}); its script and story are in the editor beside the timeline`);
  }
}

/** A lesson's text as the user left it, if they edited it (sessionStorage, one key a lesson: a keystroke writes one). */
const lessonEdits = {
  key: (file: string) => `corotone.lesson-edit:${file}`,
  get(file: string): string | null {
    try {
      return sessionStorage.getItem(this.key(file));
    } catch {
      return null;
    }
  },
  keep(file: string, text: string | null): void {
    try {
      if (text === null) sessionStorage.removeItem(this.key(file));
      else sessionStorage.setItem(this.key(file), text);
    } catch {
      // storage full or off: the edit lasts for this page only
    }
  },
};

/** The lessons open in this tab, kept for a reload (sessionStorage: per tab, gone with it). */
const openLessons = {
  key: 'corotone.open-lessons',
  load(): Example[] {
    try {
      const parsed: unknown = JSON.parse(sessionStorage.getItem(this.key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((e): e is Example => typeof e?.file === 'string' && typeof e?.text === 'string') : [];
    } catch {
      return [];
    }
  },
  add(example: Example): void {
    const all = this.load();
    const at = all.findIndex((e) => e.file === example.file);
    // in the tabs' order: one opened again keeps its place
    if (at >= 0) all[at] = example;
    else all.push(example);
    try {
      sessionStorage.setItem(this.key, JSON.stringify(all.slice(-MAX_OPEN)));
    } catch {
      // storage full or off: the tabs last for this page only
    }
  },
};
