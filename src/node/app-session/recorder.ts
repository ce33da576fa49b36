/**
 * Remembers what was typed into one source (the renderer's terminal) and when,
 * to save it as a script that replays it: the lines in order with a `wait`
 * wherever the user paused. Lines of a source run one after another, so the
 * pause before a line is the time from the end of the previous line's task to
 * the moment the line was submitted (zero if it was typed while the previous
 * one still ran). Line tasks are recognised from the session's events: the
 * tasks the source's own task spawns, in order.
 *
 * The script is what was played: waits are absolute (`1250ms`), as a `bpm`
 * typed in the session would otherwise stretch them on replay, and a line that
 * failed without playing (a typo) is kept as a comment with its error, so one
 * typo does not keep the rest from being saved or exported.
 */
import type { Diagnostic } from '../../core/language/diagnostics';
import type { SessionEvent } from '../../core/session/api';

interface Entry {
  text: string;
  /** Logical time (s) the line was submitted. */
  submitted: number;
  taskId: number | null;
  /** Logical time (s) its task was created (it began). */
  began: number | null;
  ended: number | null;
  /** The first error reported for its task. */
  error: string | null;
  /** It failed the moment it began, so it played nothing: saved as a comment. */
  unplayed: boolean;
}

export class SessionRecorder {
  private readonly entries: Entry[] = [];
  private sourceTaskId: number | null = null;
  /** Index of the next entry waiting for its task. */
  private nextUnmatched = 0;
  private readonly byTask = new Map<number, Entry>();

  constructor(private readonly source: string) {}

  /** A line was submitted at logical time `t` (seconds). Blank lines run nothing and are skipped. */
  submitted(text: string, t: number): void {
    if (text.trim() === '') return;
    this.entries.push({ text: text.trim(), submitted: t, taskId: null, began: null, ended: null, error: null, unplayed: false });
  }

  observe(event: SessionEvent): void {
    switch (event.type) {
      case 'source-opened':
        if (event.source !== this.source) return;
        this.sourceTaskId = event.taskId;
        // Lines still waiting their turn in the old source were discarded with it (stopped): they never played.
        this.entries.splice(this.nextUnmatched);
        return;
      case 'task-created':
        if (event.source !== this.source || this.sourceTaskId === null || event.parent !== this.sourceTaskId) return;
        if (this.nextUnmatched < this.entries.length) {
          const entry = this.entries[this.nextUnmatched++];
          entry.taskId = event.id;
          entry.began = event.t;
          this.byTask.set(event.id, entry);
        }
        return;
      case 'diagnostic': {
        const entry = event.taskId === null ? undefined : this.byTask.get(event.taskId);
        if (entry && entry.error === null) entry.error = describe(event.diagnostic);
        return;
      }
      case 'task-done':
      case 'task-failed':
      case 'task-cancelled': {
        const entry = this.byTask.get(event.id);
        if (entry) {
          entry.ended = event.t;
          if (event.type === 'task-failed' && event.t === entry.began) {
            entry.unplayed = true;
            entry.error ??= event.error.message;
          }
          this.byTask.delete(event.id);
        }
        return;
      }
      default:
    }
  }

  get lineCount(): number {
    return this.entries.length;
  }

  /** The replayable script: lines with `wait Nms` between them, and the lines that failed unplayed as comments. */
  script(): string {
    const out: string[] = [];
    let previous: Entry | null = null;
    for (const entry of this.entries) {
      if (previous !== null) {
        const end = previous.ended;
        const gap = end === null ? 0 : entry.submitted - end;
        const ms = Math.round(gap * 1000);
        if (ms > 0) out.push(`wait ${ms}ms`);
      }
      if (entry.unplayed) out.push(`# error: ${entry.error ?? 'it failed'}`, `# ${entry.text}`);
      else out.push(entry.text);
      previous = entry;
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}

/** A diagnostic as the comment above its line says it (no place: the line is the next one). */
function describe(d: Diagnostic): string {
  return d.hint === undefined ? d.message : `${d.message} (${d.hint})`;
}
