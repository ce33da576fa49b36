/**
 * The story panel beside the timeline: an example lesson's title, its story
 * (why it sounds the way it does) and its script, which the user may edit and
 * play again. It only shows and edits; what playing means is the app's.
 */
import type { Example } from '../../protocol';

export interface StoryPanelActions {
  /** Play the example as it is (its own file). */
  playExample(example: Example): void;
  /** Play the user's edit of it as a script named `name`. */
  playEdited(name: string, text: string): void;
  /** Stop what the example's sources still play. */
  stop(sources: string[]): void;
  /** The panel opened or closed (the page's layout changes). */
  toggled(open: boolean): void;
}

/** The source name an edited example plays under: `countdown.txt` → `countdown (edited).txt`. */
export function editedName(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${file.slice(0, dot)} (edited)${file.slice(dot)}` : `${file} (edited)`;
}

export class StoryPanel {
  private current: Example | null = null;
  private readonly title: HTMLElement;
  private readonly story: HTMLElement;
  private readonly seed: HTMLElement;
  private readonly script: HTMLTextAreaElement;
  private readonly edit: HTMLButtonElement;
  private readonly reset: HTMLButtonElement;

  constructor(
    readonly root: HTMLElement,
    private readonly actions: StoryPanelActions,
  ) {
    const $ = <T extends HTMLElement>(selector: string) => {
      const el = root.querySelector<T>(selector);
      if (!el) throw new Error(`story panel: missing ${selector}`);
      return el;
    };
    this.title = $('#story-title');
    this.story = $('#story-text');
    this.seed = $('#story-seed');
    this.script = $<HTMLTextAreaElement>('#story-script');
    this.edit = $<HTMLButtonElement>('#story-edit');
    this.reset = $<HTMLButtonElement>('#story-reset');
    $('#story-close').addEventListener('click', () => this.setOpen(false));
    $('#story-play').addEventListener('click', () => this.play());
    $('#story-stop').addEventListener('click', () => {
      if (this.current) this.actions.stop([this.current.file, editedName(this.current.file)]);
    });
    this.edit.addEventListener('click', () => this.setEditing(this.script.readOnly));
    this.reset.addEventListener('click', () => {
      if (!this.current) return;
      this.script.value = this.current.text;
      this.showEdited();
    });
    this.script.addEventListener('input', () => this.showEdited());
    // Its keys are the editor's (Ctrl+Enter plays it: see keys/shortcuts.ts), not the page's.
    this.script.addEventListener('keydown', (e) => e.stopPropagation());
  }

  get example(): Example | null {
    return this.current;
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** The script as it stands in the editor. */
  get text(): string {
    return this.script.value;
  }

  /** True when the user changed the script. */
  get edited(): boolean {
    return this.current !== null && this.script.value !== this.current.text;
  }

  /** Show an example (its story and script, not yet editable) and open the panel. */
  show(example: Example): void {
    const same = this.current !== null && this.current.file === example.file && this.current.text === example.text;
    this.current = example;
    this.title.textContent = example.title;
    this.story.textContent = example.story;
    this.seed.textContent = `${example.file}${example.seed ? ` · seed ${example.seed}` : ''}`;
    if (!same) {
      this.script.value = example.text;
      this.setEditing(false);
      this.script.scrollTop = 0;
    }
    this.showEdited();
    this.setOpen(true);
  }

  setOpen(open: boolean): void {
    if (open && this.current === null) return;
    if (this.root.hidden === !open) return;
    this.root.hidden = !open;
    this.actions.toggled(open);
  }

  toggle(): void {
    this.setOpen(!this.isOpen);
  }

  /** True while the script is being edited. */
  get editing(): boolean {
    return !this.script.readOnly;
  }

  /** Make the script editable (and focus it) or read-only again. */
  setEditing(on: boolean): void {
    this.script.readOnly = !on;
    this.root.classList.toggle('editing', on);
    this.edit.textContent = on ? 'Done' : 'Edit';
    this.edit.title = on ? 'Stop editing (the edit is kept)' : 'Edit the script, then Play it (Ctrl+Enter)';
    if (on) this.script.focus();
  }

  /** Play the editor's script: the example itself when unchanged, else the edit under its own name. */
  play(): void {
    const example = this.current;
    if (!example) return;
    if (this.edited) this.actions.playEdited(editedName(example.file), this.script.value);
    else this.actions.playExample(example);
  }

  private showEdited(): void {
    this.reset.hidden = !this.edited;
    this.root.classList.toggle('edited', this.edited);
  }
}
