/**
 * Help you can run: the Help tab of the editor pane lists every command with
 * its usage, what it does and its example (from core's command table, as
 * `help CMD` prints it), each example with a Run button that runs it as if
 * typed, and an Edit button that puts it in the scratch buffer.
 */
import { builtinCommands } from '../../core/commands';
import type { AnyCommand } from '../../core/language/command';
import { byId, type Page } from '../page';
import { SCRATCH, type EditorPanel } from './editor-panel';

export class HelpPanel {
  private readonly root = byId('story');
  private readonly list = byId('help-list');
  private readonly tab = byId<HTMLButtonElement>('help-tab');

  constructor(
    private readonly page: Page,
    private readonly editor: EditorPanel,
  ) {
    this.list.replaceChildren(...builtinCommands.commands.map((spec) => this.entry(spec)));
    this.tab.addEventListener('click', () => this.setShown(!this.shown));
    // A buffer's tab shows the editor again.
    byId('editor-tabs').addEventListener('click', () => this.setShown(false));
  }

  get shown(): boolean {
    return this.root.classList.contains('showing-help');
  }

  setShown(on: boolean): void {
    this.root.classList.toggle('showing-help', on);
    this.list.hidden = !on;
    this.tab.setAttribute('aria-selected', String(on));
    if (on) this.editor.setOpen(true);
  }

  /** Run an example as if it were typed in the terminal. */
  async run(example: string): Promise<void> {
    const { terminal, api } = this.page;
    terminal.info(`help: running ${example}`);
    const reply = await api.submitLine({ line: example });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) terminal.diagnostic(d);
      terminal.notice(reply.error.message, true);
    }
  }

  private entry(spec: AnyCommand): HTMLElement {
    const item = document.createElement('section');
    item.className = 'help-entry';
    item.dataset.command = spec.name;
    const usage = document.createElement('code');
    usage.className = 'help-usage';
    usage.textContent = spec.usage;
    const summary = document.createElement('div');
    summary.className = 'help-summary';
    summary.textContent = spec.summary + (spec.aliases?.length ? ` (also: ${spec.aliases.join(', ')})` : '');
    item.append(usage, summary);
    const example = spec.example;
    if (example !== undefined) {
      const row = document.createElement('div');
      row.className = 'help-example';
      const code = document.createElement('code');
      code.textContent = example;
      const run = document.createElement('button');
      run.className = 'help-run';
      run.textContent = '▶ Run';
      run.title = `Run "${example}" as if typed in the terminal`;
      run.addEventListener('click', () => void this.run(example));
      const edit = document.createElement('button');
      edit.className = 'help-edit';
      edit.textContent = 'Edit';
      edit.title = 'Put the example at the end of the scratch buffer';
      edit.addEventListener('click', () => this.toScratch(example));
      row.append(code, run, edit);
      item.append(row);
    }
    return item;
  }

  private toScratch(example: string): void {
    const { editor } = this.editor;
    const scratch = editor.find(SCRATCH);
    if (!scratch) return;
    this.setShown(false);
    editor.show(scratch);
    const text = editor.text;
    editor.setText(`${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${example}\n`);
    editor.goTo(editor.view.state.doc.lines - 1);
  }
}
