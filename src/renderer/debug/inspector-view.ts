/**
 * The inspector's three lists as DOM (issue 20): the ready queue in the order
 * the next steps run it, the timers in the order they wake, and the await
 * tree as `asyncio pstree` draws it. Every row names one task and is a button:
 * a click chooses that task (the panel selects it in the timeline).
 */
import { describeAwait } from '../../core/debug/inspect';
import type { DebugTask, Inspector } from '../../protocol';

/** `beep 64 0.5 :2`: a task in a row, short, as the pane is narrow (its source is in the row's tooltip). */
export function taskLabel(task: DebugTask): string {
  return task.line === null ? task.name : `${task.name} :${task.line}`;
}

/** `steps.txt:2`: where a task's command is written. */
function whereOf(task: DebugTask): string {
  return task.line === null ? task.source : `${task.source}:${task.line}`;
}

export class InspectorView {
  constructor(
    private readonly lists: { ready: HTMLElement; timers: HTMLElement; tree: HTMLElement },
    private readonly choose: (taskId: number) => void,
  ) {}

  show(inspector: Inspector, chosen: number | null): void {
    const { ready, timers, tree, more } = inspector;
    this.fill(
      this.lists.ready,
      ready.map((task, i) => this.row(task, chosen, `${i + 1}.`, taskLabel(task))),
      more.ready,
      'nothing is ready: a step moves the clock to the next timer',
    );
    this.fill(
      this.lists.timers,
      timers.map(({ at, task }) => this.row(task, chosen, `${at.toFixed(3)} s`, taskLabel(task))),
      more.timers,
      'no task sleeps',
    );
    this.fill(
      this.lists.tree,
      tree.map(({ task, awaits, depth }, i) => this.row(task, chosen, treePrefix(tree, i, depth), `${taskLabel(task)}: ${describeAwait(awaits)}`)),
      more.tree,
      'no task is alive',
    );
  }

  private fill(list: HTMLElement, rows: HTMLElement[], more: number, empty: string): void {
    if (rows.length === 0) {
      const li = document.createElement('li');
      li.className = 'inspector-empty';
      li.textContent = empty;
      rows.push(li);
    }
    if (more > 0) {
      const li = document.createElement('li');
      li.className = 'inspector-empty';
      li.textContent = `… and ${more} more`;
      rows.push(li);
    }
    list.replaceChildren(...rows);
  }

  private row(task: DebugTask, chosen: number | null, lead: string, text: string): HTMLElement {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.className = 'inspector-task';
    button.dataset.task = String(task.id);
    button.setAttribute('aria-pressed', String(task.id === chosen));
    button.title = `task ${task.id} "${task.name}" (${whereOf(task)}): click to select it in the timeline (Step line then follows it)`;
    const lead_ = document.createElement('span');
    lead_.className = 'inspector-lead';
    lead_.textContent = lead;
    const id = document.createElement('b');
    id.textContent = `#${task.id}`;
    button.append(lead_, id, ` ${text}`);
    button.addEventListener('click', () => this.choose(task.id));
    li.append(button);
    return li;
  }
}

/** The tree's lines before a row, as pstree draws them: │ under an open parent, ├── or └── before the row. */
export function treePrefix(rows: Inspector['tree'], index: number, depth: number): string {
  let prefix = '';
  for (let level = 0; level <= depth; level++) {
    const last = isLastAt(rows, index, level);
    if (level < depth) prefix += last ? '    ' : '│   ';
    else prefix += last ? '└── ' : '├── ';
  }
  return prefix;
}

/** No later sibling at `level` follows the ancestor (at that level) of row `index`. */
function isLastAt(rows: Inspector['tree'], index: number, level: number): boolean {
  // Roots are each a tree of their own, as pstree prints each task nobody awaits.
  if (level === 0) return true;
  for (let i = index + 1; i < rows.length; i++) {
    if (rows[i].depth < level) return true;
    if (rows[i].depth === level) return false;
  }
  return true;
}
