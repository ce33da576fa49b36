/**
 * Who plays a voice, as the ways out name it (a MIDI file's tracks, OSC's
 * `task` argument): from the voice's owner up, the innermost live loop (named
 * after the loop), else the innermost named task (t1 ...), else its source.
 * Known from the session's events alone (task-created, task-named).
 */
import type { SessionEvent } from '../session/api';
import type { SourcePosition, TaskInfo } from '../scheduler/events';

export type PlayerKind = 'source' | 'live' | 'task';

export interface Player {
  kind: PlayerKind;
  source: string;
  /** The source's name, the live loop's name or the task's name (t1). */
  name: string;
}

interface TaskRecord {
  parent: number | null;
  name: string;
  kind: TaskInfo['kind'];
  source: string;
  pos: SourcePosition | null;
  alias?: string;
  /** Its player, once a voice of it asked. */
  player?: Player;
}

/** A live loop's task is named after its `live NAME ...` line. */
const LIVE_LINE = /^live\s+([A-Za-z_][A-Za-z0-9_-]*)(\s|$)/;
/** The player of a voice with no owner (a sender that leaves owners out). */
const NOBODY = 'corotone';

export class Players {
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly players = new Map<string, Player>();

  /** Give it every event (it keeps the task events). */
  onEvent(event: SessionEvent): void {
    if (event.type === 'task-created') {
      this.tasks.set(event.id, { parent: event.parent, name: event.name, kind: event.kind, source: event.source, pos: event.pos });
    } else if (event.type === 'task-named') {
      const task = this.tasks.get(event.id);
      if (task !== undefined) task.alias = event.alias;
    }
  }

  /** Where the command of task `id` is written, if known. */
  posOf(id: number | null): SourcePosition | null {
    return id === null ? null : (this.tasks.get(id)?.pos ?? null);
  }

  /** The player of a voice `owner` holds (the same object for every voice of one player; cached per task). */
  of(owner: number | null): Player {
    if (owner === null) return this.player('source', NOBODY, NOBODY);
    const chain: TaskRecord[] = [];
    let found: Player | undefined;
    for (let id: number | null = owner; id !== null && found === undefined; ) {
      const task = this.tasks.get(id);
      if (task === undefined) break;
      found = task.player ?? this.ownPlayer(task);
      if (task.player === undefined) chain.push(task);
      id = task.parent;
    }
    const source = chain.at(-1)?.source ?? NOBODY;
    found ??= this.player('source', source, source);
    for (const task of chain) task.player = found;
    return found;
  }

  /** A task's own player: a live loop, a named task, a source; else none (it plays for its parent's). */
  private ownPlayer(task: TaskRecord): Player | undefined {
    const live = task.kind === 'spawned' ? LIVE_LINE.exec(task.name) : null;
    if (live !== null) return this.player('live', task.source, live[1]);
    if (task.alias !== undefined) return this.player('task', task.source, task.alias);
    if (task.kind === 'source' || task.parent === null) return this.player('source', task.source, task.source);
    return undefined;
  }

  private player(kind: PlayerKind, source: string, name: string): Player {
    const key = `${kind}\u0000${source}\u0000${kind === 'source' ? '' : name.toLowerCase()}`;
    let player = this.players.get(key);
    if (player === undefined) {
      player = { kind, source, name };
      this.players.set(key, player);
    }
    return player;
  }
}
