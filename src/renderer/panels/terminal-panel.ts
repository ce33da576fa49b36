/**
 * The terminal as a panel: it prints what the session says (output,
 * diagnostics, sources that start and end, notices), learns each line the
 * session runs (to show it under an error and complete its phrases), and sends
 * what is typed. Ctrl+C cancels the running line. `help keys` is answered
 * here, from the renderer's shortcut table, as Ctrl+/ is.
 */
import type { SessionEvent } from '../../core/session/api';
import type { SourcePosition } from '../../core/scheduler/events';
import type { Joined, HostNote, Panel } from '../panel';
import type { Page } from '../page';
import type { TaskRecord } from '../timeline/model';
import { asksForKeys, keysHelpFor } from '../keys/shortcuts';

/** What a line task tells the terminal (a task-created event and a snapshot's task both have it). */
interface LineTask {
  readonly kind: string;
  readonly name: string;
  readonly source: string;
  readonly pos: SourcePosition | null;
}

/** Messages of the session's history a (re)joining page prints again, at most. */
const REPLAYED_MESSAGES = 1000;

export class TerminalPanel implements Panel {
  constructor(private readonly page: Page) {
    const { terminal } = page;
    terminal.onSubmit = (line) => void this.submit(line);
    terminal.onCancel = () => void this.cancelRunningLine();
    terminal.info('corotone: type commands, e.g. add 60, chord 0.5 72 75 79, help\nTab completes · ↑/↓ history · Ctrl+C cancels · Ctrl+O or drop a .txt to play it · Ctrl+/ or help keys lists the keys');
    terminal.focus();
  }

  onEvent(event: SessionEvent): void {
    const { terminal } = this.page;
    switch (event.type) {
      case 'task-created':
        this.learn(event);
        break;
      case 'output':
      case 'diagnostic':
        this.say(event);
        break;
      case 'source-opened':
        if (event.source !== 'terminal') terminal.info(`▶ ${event.source} plays`);
        break;
      case 'source-ended':
        if (event.source !== 'terminal') terminal.info(`■ ${event.source} ended (${event.reason})`);
        break;
      case 'session-ended':
        terminal.notice('the session has ended (quit)');
        break;
    }
  }

  onSnapshot({ snapshot, sessionId, joining, unseen }: Joined): void {
    const { terminal } = this.page;
    if (joining === 'new-session') {
      // A new session numbers its lines afresh and knows none of the old one's phrases.
      terminal.forgetSources();
      terminal.phrases.forget();
    }
    for (const event of snapshot.recent) if (event.type === 'task-created') this.learn(event);
    for (const task of snapshot.tasks) this.learn(task);
    // Show what the session said that the page has not shown, then (on a fresh page) where it stands.
    // A long session's history holds more than the scrollback: the latest messages only.
    // The lines typed in the terminal come back too, each before what it caused.
    const said = unseen.filter((event) => event.type === 'output' || event.type === 'diagnostic' || typedLine(event) !== null);
    const shown = said.slice(-REPLAYED_MESSAGES);
    if (said.length > shown.length) terminal.info(`… ${said.length - shown.length} earlier messages of this session are not repeated here`);
    for (const event of shown) {
      const line = typedLine(event);
      if (line !== null) terminal.typed(line);
      else this.say(event);
    }
    if (joining !== 'same-session') {
      const live = snapshot.tasks.length;
      const notes = snapshot.notes.length > 0 ? `, sounding ${snapshot.notes.join(' ')}` : '';
      terminal.info(`connected to session ${sessionId.slice(0, 8)} at t=${snapshot.t.toFixed(3)}s: ${live} live task${live === 1 ? '' : 's'}${notes}`);
    }
  }

  onHostNote(note: HostNote): void {
    if (note.type === 'notice') this.page.terminal.notice(note.text, note.level === 'error');
  }

  async submit(line: string): Promise<void> {
    if (line.trim() === '') return;
    if (asksForKeys(line)) {
      this.page.terminal.info((columns) => keysHelpFor(this.page.desktop, columns));
      return;
    }
    const reply = await this.page.api.submitLine({ line });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) this.page.terminal.diagnostic(d);
      this.page.terminal.notice(reply.error.message, true);
    }
  }

  /** Ctrl+C: cancel the terminal's running line (the newest live line task). */
  async cancelRunningLine(): Promise<void> {
    const lane = this.page.feed.model.lanes.find((l) => l.name === 'terminal');
    let target: TaskRecord | null = null;
    if (lane) {
      for (let i = lane.tasks.length - 1; i >= 0; i--) {
        const t = lane.tasks[i];
        if (Number.isNaN(t.end) && t.kind !== 'source' && (target === null || t.depth < target.depth)) target = t;
      }
    }
    if (target === null) return;
    const reply = await this.page.api.cancelTask({ taskId: target.id });
    if (reply.ok && reply.value.cancelled) this.page.terminal.info(`cancelled: ${target.name}`);
  }

  /** A line the session runs: its text (for errors that point at it) and its phrases (for completion). */
  private learn(task: LineTask): void {
    if (task.kind !== 'line') return;
    const { terminal } = this.page;
    terminal.phrases.learnLine(task.name, task.source);
    if (task.pos) terminal.learnLine(task.pos.source, task.pos.line, task.name, task.pos.col);
  }

  private say(event: SessionEvent): void {
    if (event.type === 'output') this.page.terminal.output(event.text, event.source);
    else if (event.type === 'diagnostic') this.page.terminal.diagnostic(event.diagnostic);
  }
}

/** The line a terminal line task ran, as it was typed; null for any other event. */
function typedLine(event: SessionEvent): string | null {
  if (event.type !== 'task-created' || event.kind !== 'line' || event.pos?.source !== 'terminal') return null;
  return ' '.repeat(Math.max(0, event.pos.col - 1)) + event.name;
}
