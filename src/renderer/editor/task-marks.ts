/**
 * The inspector's marks in the editor (issue 20): while the session is
 * paused, each task's current command is lit where it is written, with the
 * task's name beside it (`t5`), so several tasks at one line are several
 * marks, each named.
 */
import { StateEffect, StateField, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';

/** One task's command: where it begins (1-based line and column), its text as written, and the name to show. */
export interface TaskMark {
  line: number;
  col: number;
  command: string;
  label: string;
  /** The task runs next (the ready queue's head). */
  next: boolean;
}

/** Show these marks; an empty list clears them. */
export const setTaskMarks = StateEffect.define<readonly TaskMark[]>();

class LabelWidget extends WidgetType {
  constructor(readonly label: string, readonly next: boolean) {
    super();
  }
  override eq(other: LabelWidget): boolean {
    return other.label === this.label && other.next === this.next;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = this.next ? 'cm-task-label cm-task-next' : 'cm-task-label';
    span.textContent = this.label;
    return span;
  }
}

/** The command's span in the line: from its column, as long as its text if the line holds it there, else to the line's end. */
function spanOf(text: string, from: number, mark: TaskMark): [number, number] {
  const start = Math.min(Math.max(0, mark.col - 1), text.length);
  const written = text.startsWith(mark.command, start) ? mark.command.length : text.length - start;
  return [from + start, from + start + written];
}

function build(doc: EditorView['state']['doc'], marks: readonly TaskMark[]): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const mark of marks) {
    if (mark.line < 1 || mark.line > doc.lines) continue;
    const line = doc.line(mark.line);
    const [from, to] = spanOf(line.text, line.from, mark);
    if (to > from) ranges.push(Decoration.mark({ class: mark.next ? 'cm-task-mark cm-task-next' : 'cm-task-mark' }).range(from, to));
    ranges.push(Decoration.widget({ widget: new LabelWidget(mark.label, mark.next), side: 1 }).range(to));
  }
  return Decoration.set(ranges, true);
}

const taskMarksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    let next = set.map(tr.changes);
    for (const effect of tr.effects) if (effect.is(setTaskMarks)) next = build(tr.state.doc, effect.value);
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function taskMarks(): Extension {
  return taskMarksField;
}
