/**
 * A lesson's story in the editor pane: its title, seed and story (why it
 * sounds the way it does), shown above the editor while the lesson's buffer
 * is the one shown. The script itself is a buffer of the code editor.
 */
import type { Example } from '../../protocol';

/** The source name an edited example plays under: `countdown.txt` → `countdown (edited).txt`. */
export function editedName(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${file.slice(0, dot)} (edited)${file.slice(dot)}` : `${file} (edited)`;
}

export class StoryPanel {
  private readonly lessons = new Map<string, Example>();
  private current: Example | null = null;
  private readonly about: HTMLElement;
  private readonly title: HTMLElement;
  private readonly story: HTMLElement;
  private readonly seed: HTMLElement;

  constructor(readonly root: HTMLElement) {
    const $ = <T extends HTMLElement>(selector: string) => {
      const el = root.querySelector<T>(selector);
      if (!el) throw new Error(`story panel: missing ${selector}`);
      return el;
    };
    this.about = $('#story-about');
    this.title = $('#story-title');
    this.story = $('#story-text');
    this.seed = $('#story-seed');
  }

  /** The lesson shown last. */
  get example(): Example | null {
    return this.current;
  }

  /** Remember a lesson (its story is shown when its buffer is). */
  remember(example: Example): void {
    this.lessons.set(example.file, example);
  }

  /** Remember a lesson and show its story. */
  show(example: Example): void {
    this.lessons.set(example.file, example);
    this.current = example;
    this.showFor(example.file);
  }

  /** Show the story of the lesson whose buffer is shown, or none for another buffer. */
  showFor(file: string | null): void {
    const example = file === null ? undefined : this.lessons.get(file);
    this.about.hidden = example === undefined;
    if (!example) return;
    this.title.textContent = example.title;
    this.story.textContent = example.story;
    this.seed.textContent = `${example.file}${example.seed ? ` · seed ${example.seed}` : ''}`;
  }
}
