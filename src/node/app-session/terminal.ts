/**
 * The renderer's terminal as a source of the engine session: opened by the
 * first typed line, forgotten when it is stopped or its task ends (so the next
 * line opens a fresh one at once), and recorded, so what was typed can be
 * saved as a script that replays it. One per engine session.
 */
import { TERMINAL_SOURCE } from '../../protocol';
import type { LineSourceHandle, SessionEvent } from '../../core/session/api';
import type { EngineSession } from './engine';
import { SessionRecorder } from './recorder';

export class TerminalSource {
  private handle: LineSourceHandle | null = null;
  /** The source's task, to notice when that source (and not a newer one) ends. */
  private taskId: number | null = null;
  private opening = false;
  private readonly recorder = new SessionRecorder(TERMINAL_SOURCE);

  constructor(private readonly engine: EngineSession) {}

  /** Queue a line typed at logical time `t` (seconds), opening the source if needed. */
  submit(line: string, t: number): void {
    if (this.handle === null) {
      this.opening = true;
      try {
        this.handle = this.engine.openSource(TERMINAL_SOURCE);
      } finally {
        this.opening = false;
      }
    }
    this.recorder.submitted(line, t);
    this.handle.pushLine(line);
  }

  /** Follow the session's events: the source's task, and the typed lines' tasks for the recording. */
  observe(event: SessionEvent): void {
    this.recorder.observe(event);
    if (event.type === 'source-opened' && event.source === TERMINAL_SOURCE && this.opening) {
      this.taskId = event.taskId;
    } else if (
      (event.type === 'task-done' || event.type === 'task-failed' || event.type === 'task-cancelled') &&
      event.id === this.taskId
    ) {
      this.forget();
    }
  }

  /**
   * Carry on typing into a source opened before this engine was swapped in
   * (replay from here): `handle` is its recorded handle, `taskId` its task
   * (null: the terminal is not open at the moment, the next line opens it).
   */
  adopt(handle: LineSourceHandle | null, taskId: number | null): void {
    this.handle = handle;
    this.taskId = taskId;
  }

  /**
   * The recording of what was typed up to the moment a rebuilt engine stands
   * at: the lines typed (each with its logical time, and how many of the
   * session's events came before it) and those events, in the order they came.
   */
  recordPast(lines: readonly { text: string; t: number; after: number }[], events: readonly SessionEvent[]): void {
    let next = 0;
    for (const line of lines) {
      while (next < Math.min(line.after, events.length)) this.recorder.observe(events[next++]);
      this.recorder.submitted(line.text, line.t);
    }
    while (next < events.length) this.recorder.observe(events[next++]);
  }

  /**
   * The source is being stopped: the next typed line opens a new one at once,
   * rather than going to the old one before its end is reported.
   */
  forget(): void {
    this.handle = null;
    this.taskId = null;
  }

  /** The typed lines, with the waits between them, as a replayable script. */
  script(): string {
    return this.recorder.script();
  }
}
