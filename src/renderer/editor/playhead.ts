/** The playhead's marks in the editor: a line class for each line a live task executes (see live-lines.ts). */
import { RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import type { LineActivity } from './live-lines';

/** Show these lines (1-based) as executing; an empty map clears the playhead. */
export const setPlayhead = StateEffect.define<ReadonlyMap<number, LineActivity>>();

const marks: Record<LineActivity, Decoration> = {
  playing: Decoration.line({ class: 'cm-playhead cm-playhead-playing' }),
  waiting: Decoration.line({ class: 'cm-playhead cm-playhead-waiting' }),
};

const playheadField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    let next = set.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setPlayhead)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const { doc } = tr.state;
      for (const line of [...effect.value.keys()].sort((a, b) => a - b)) {
        if (line >= 1 && line <= doc.lines) builder.add(doc.line(line).from, doc.line(line).from, marks[effect.value.get(line)!]);
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function playhead(): Extension {
  return playheadField;
}

/** A stable key of a playhead, to send an effect only when it changes. */
export function playheadKey(lines: ReadonlyMap<number, LineActivity>): string {
  return [...lines].sort((a, b) => a[0] - b[0]).map(([l, a]) => `${l}${a[0]}`).join(',');
}
