/**
 * What a session played, as a score: every voice from its start to its end
 * (exact logical ns), with the player it belongs to (players.ts: a source, a
 * live loop, a named task), and the tempo changes of the source the tempo map
 * follows. Built from the session's events alone (what `--events` prints), so
 * the CLI, an export and a test read the same facts.
 */
import type { SessionEvent } from '../session/api';
import type { SourcePosition } from '../scheduler/events';
import { VoiceChanges } from '../stream/voice-changes';
import type { DrumName, VoiceInfo } from '../stream/voice';
import { secondsToNs } from '../time';
import { Players, type Player } from './players';
import type { TempoChange } from './tempo-map';

/** One voice as it sounded. */
export interface ScoreNote {
  player: Player;
  /** corotone's note number (60 = C5). */
  note: number;
  level: number;
  startNs: number;
  endNs: number;
  /** A drum voice's General MIDI drum number (it goes to channel 10), or null. */
  drum: number | null;
  /** Where the command that played it is written, if known. */
  pos: SourcePosition | null;
}

export interface Score {
  /** The tempo changes of the source the tempo map follows, in the order they ran. */
  tempos: TempoChange[];
  /** Players in the order their first note started. */
  players: Player[];
  /** Every voice, in the order it started. */
  notes: ScoreNote[];
  /** When the stream ended (or the last change seen). */
  endNs: number;
}

/** A voice's General MIDI drum number, or null for a pitched voice: a `drum` hit goes to channel 10 as its GM key. */
export type DrumOf = (voice: Readonly<VoiceInfo>) => number | null;
export const noDrums: DrumOf = () => null;

/** General MIDI's percussion keys for corotone's drum machine (the toms as low, low-mid and high tom). */
const GM_DRUMS: Readonly<Record<DrumName, number>> = { bd: 36, rim: 37, sd: 38, cp: 39, hh: 42, lt: 45, oh: 46, mt: 47, ht: 50, cb: 56 };
export const gmDrums: DrumOf = (voice) => (voice.drum === undefined ? null : GM_DRUMS[voice.drum]);

export interface ScoreOptions {
  /** The source whose `bpm` the tempo map follows (default: the first source that opens). */
  tempoSource?: string;
  drumOf?: DrumOf;
}

export class ScoreRecorder {
  private readonly players = new Players();
  private readonly changes = new VoiceChanges();
  private readonly sounding = new Map<number, ScoreNote>();
  private readonly notes: ScoreNote[] = [];
  private readonly tempos: TempoChange[] = [];
  private tempoSource: string | undefined;
  private readonly drumOf: DrumOf;
  private endNs = 0;
  private ended = false;

  constructor(options: ScoreOptions = {}) {
    this.tempoSource = options.tempoSource;
    this.drumOf = options.drumOf ?? gmDrums;
  }

  /** Give it every event of the session, in order. */
  onEvent(event: SessionEvent): void {
    this.players.onEvent(event);
    if (event.type === 'source-opened') this.tempoSource ??= event.source;
    else if (event.type === 'tempo') {
      if (event.source === (this.tempoSource ??= event.source)) this.tempos.push({ ns: secondsToNs(event.t), bpm: event.bpm, pos: this.players.posOf(event.taskId) });
    } else if (event.type === 'notes' && !this.ended) {
      this.endNs = Math.max(this.endNs, event.ns);
      const { started, ended } = this.changes.update(event);
      for (const voice of ended) this.end(voice, event.ns);
      for (const voice of started) this.start(voice, event.ns);
    } else if (event.type === 'stream-end' && !this.ended) {
      this.endAll(event.ns);
      this.ended = true;
    }
  }

  /** The score so far; voices still sounding end at `endNs` (default: the last change seen). */
  finish(endNs?: number): Score {
    if (!this.ended) this.endAll(Math.max(endNs ?? this.endNs, this.endNs));
    const players = [...new Set(this.notes.map((n) => n.player))];
    return { tempos: [...this.tempos], players, notes: [...this.notes], endNs: this.endNs };
  }

  private start(voice: VoiceInfo, ns: number): void {
    // an audio file (`sample`) has no MIDI form: it is left out, not written as the pitch its voice carries
    if (voice.sample !== undefined) return;
    const note: ScoreNote = {
      player: this.players.of(voice.owner),
      note: voice.note,
      level: voice.level,
      startNs: ns,
      endNs: ns,
      drum: this.drumOf(voice),
      pos: this.players.posOf(voice.owner),
    };
    this.sounding.set(voice.id, note);
    this.notes.push(note);
  }

  private end(voice: VoiceInfo, ns: number): void {
    const note = this.sounding.get(voice.id);
    if (note === undefined) return;
    note.endNs = ns;
    this.sounding.delete(voice.id);
  }

  private endAll(ns: number): void {
    this.endNs = Math.max(this.endNs, ns);
    for (const voice of this.changes.endAll()) this.end(voice, ns);
  }
}
