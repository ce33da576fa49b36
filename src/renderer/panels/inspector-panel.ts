/**
 * The inspector, while the session is paused (issue 20): a strip under the
 * timeline's lanes with Step, Step to the next instant and Step line (and
 * their keys S, N, L), and three lists: the ready queue, the timers and the
 * await tree (debug/inspector-view.ts). The host sends it after every pause
 * and step; it is hidden while the clock runs. Clicking a task in any list
 * selects it in the timeline and makes it the task Step line follows (a bar
 * clicked in the timeline does too); each task's current command is lit in
 * the editor, named.
 */
import type { Inspector, StepKind } from '../../protocol';
import { InspectorView } from '../debug/inspector-view';
import type { ActionId } from '../keys/shortcuts';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import type { EditorPanel } from './editor-panel';
import { typesText } from './pause-panel';
import { onBarClick } from './timeline-panel';

const STEP_KEYS: [ActionId, StepKind][] = [
  ['step', 'step'],
  ['step-instant', 'next-instant'],
  ['step-line', 'line'],
];

export class InspectorPanel implements Panel {
  private readonly root = byId('inspector');
  private readonly time = byId('inspector-t');
  private readonly said = byId('inspector-said');
  private readonly view: InspectorView;
  private inspector: Inspector | null = null;
  /** The task Step line follows (clicked here or in the timeline), while it is alive. */
  private chosen: number | null = null;
  private stepping = false;

  constructor(
    private readonly page: Page,
    private readonly editor: EditorPanel,
  ) {
    this.view = new InspectorView(
      { ready: byId('inspector-ready'), timers: byId('inspector-timers'), tree: byId('inspector-tree') },
      (id) => this.choose(id, true),
    );
    for (const [action, kind] of STEP_KEYS) {
      byId(`${action}`).addEventListener('click', () => void this.step(kind));
      // A key of the page, as Space is: typed into a text field it stays a letter.
      page.keys.on(action, (e) => (this.inspector === null || typesText(e.target) ? false : void this.step(kind)));
    }
    onBarClick(page, (task) => this.choose(task.id, false));
  }

  onSnapshot({ clock }: Joined): void {
    // A page that joins a paused session asks for the inspector; one that joins a running one has none.
    if (clock.paused === true) void this.page.api.inspect().then((r) => r.ok && this.show(r.value));
    else this.show(null);
  }

  onHostNote(note: HostNote): void {
    if (note.type === 'inspector') this.show(note.inspector);
  }

  /** What the inspector shows now (null: hidden, the clock runs). */
  get shown(): Inspector | null {
    return this.inspector;
  }

  /** Ask the host for one step of `kind` (Step line follows the chosen task, else the next to run). */
  async step(kind: StepKind): Promise<void> {
    if (this.stepping) return; // one at a time: a held key does not queue steps behind the host
    this.stepping = true;
    try {
      const taskId = kind === 'line' && this.chosen !== null ? this.chosen : undefined;
      const reply = await this.page.api.step(taskId === undefined ? { kind } : { kind, taskId });
      if (!reply.ok) {
        this.page.terminal.notice(`step: ${reply.error.message}`, true);
        return;
      }
      const { count, stop, ran } = reply.value;
      // What ran, in words: `1 resumption: #5 beep 60 1` (the first it ran, named as the lists name it).
      const first = ran.length > 0 ? this.nameOf(ran[0]) : '';
      this.said.textContent = stop === 'idle' && count === 0 ? 'nothing is left to run' : `${count} resumption${count === 1 ? '' : 's'}${first && `: ${first}`}`;
      this.said.title = this.said.textContent;
    } finally {
      this.stepping = false;
    }
  }

  /** `#5 beep 60 1`, as the timeline's record names the task. */
  private nameOf(taskId: number): string {
    const record = this.page.feed.model.task(taskId);
    return record ? `#${taskId} ${record.name}` : `#${taskId}`;
  }

  private show(inspector: Inspector | null): void {
    const was = this.root.hidden;
    this.inspector = inspector;
    this.root.hidden = inspector === null;
    if (inspector === null) {
      this.said.textContent = '';
      this.editor.markTasks([]);
    } else {
      if (this.chosen !== null && !inspector.tree.some((r) => r.task.id === this.chosen)) this.chosen = null;
      this.time.textContent = `${Number(inspector.t.toFixed(3))} s`;
      this.view.show(inspector, this.chosen);
      this.markCommands(inspector);
    }
    // The strip takes room from the lanes: the timeline lays out again.
    if (was !== this.root.hidden) this.page.feed.resize();
  }

  /** Each task's current command, lit in the editor: the tasks that await no other task (they are at a command of their own). */
  private markCommands(inspector: Inspector): void {
    const next = inspector.ready[0]?.id;
    const marks = inspector.tree
      .filter(({ task, awaits }) => task.line !== null && awaits.kind !== 'tasks')
      .map(({ task }) => ({ source: task.source, line: task.line!, col: task.col ?? 1, command: task.name, label: `#${task.id}`, next: task.id === next }));
    this.editor.markTasks(marks);
  }

  /** A task chosen here (or a bar clicked in the timeline): Step line follows it, and a row clicked here selects its bar. */
  private choose(taskId: number, select: boolean): void {
    this.chosen = taskId;
    if (this.inspector !== null) this.view.show(this.inspector, taskId);
    if (!select) return;
    const record = this.page.feed.model.task(taskId);
    if (record) this.page.timeline.select(record);
  }
}
