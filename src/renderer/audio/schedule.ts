/**
 * Note-change scheduling, the pure half of the audio engine (no DOM, no Web
 * Audio): it turns the stream's change events, stamped with logical time, into
 * changes on the audio clock.
 *
 * Two clocks ("A Tale of Two Clocks"): events cross IPC with jitter, so they are
 * not played when they arrive but at `t + offset` on the AudioContext's clock.
 * The offset is fixed at the first event (`ctx.currentTime + lookahead - t`), so
 * every later note keeps its exact distance from the first one. An event that
 * arrives after its audio time has passed plays at once and is counted as late.
 */
import type { StreamEvent } from '../../core/stream/stream';

/** SPEC: the mix's peak amplitude, shared by the active notes (1/N each). */
export const MIX_AMPLITUDE = 0.8;
export const DEFAULT_LOOKAHEAD = 0.05;
/**
 * An event later than this (seconds) means the clocks lost each other (the
 * machine slept, the page was frozen): the event plays at once and the offset
 * is fixed again from it, so later notes do not all arrive late.
 */
export const DEFAULT_REANCHOR_AFTER = 0.5;

/** Gain of each of `count` sounding voices under SPEC's mixing: 0.8 * (1/N). */
export function voiceGain(count: number): number {
  return count > 0 ? MIX_AMPLITUDE / count : 0;
}

/** One change of what sounds, placed on the audio clock. */
export interface VoiceChange {
  /** AudioContext time at which the change takes effect. */
  at: number;
  /** Logical time of the event, seconds (and exact ns). */
  t: number;
  ns: number;
  notes: number[];
  freqs: number[];
  /** Gain of each sounding voice from `at` on. */
  gain: number;
  /** The event arrived after its audio time: it plays at `at` = the audio clock's now. */
  late: boolean;
  /** How late it was, seconds (0 when on time). */
  lateBy: number;
  /** The stream ended: silence from `at` on, for good. */
  end: boolean;
}

export interface SchedulerSettings {
  /** Seconds between an event's arrival and its earliest audio time. */
  lookahead: number;
  /** Lateness (seconds) beyond which the offset is fixed again. */
  reanchorAfter: number;
}

export class NoteScheduler {
  private offsetSeconds: number | null = null;
  private late = 0;
  lookahead: number;
  reanchorAfter: number;

  constructor(settings: Partial<SchedulerSettings> = {}) {
    this.lookahead = settings.lookahead ?? DEFAULT_LOOKAHEAD;
    this.reanchorAfter = settings.reanchorAfter ?? DEFAULT_REANCHOR_AFTER;
  }

  /** audio time − logical time, once the first event has fixed it. */
  get offset(): number | null {
    return this.offsetSeconds;
  }

  /** Events that arrived after their audio time. */
  get lateCount(): number {
    return this.late;
  }

  /** Forget the clock mapping (a new session, a reconnect, audio restarted); the next event fixes it again. */
  resetClock(): void {
    this.offsetSeconds = null;
  }

  resetLateCount(): void {
    this.late = 0;
  }

  /** Fix the mapping explicitly (offline rendering). */
  setOffset(offset: number): void {
    this.offsetSeconds = offset;
  }

  /** Audio time of logical time `t`, or null before the mapping exists. */
  toAudio(t: number): number | null {
    return this.offsetSeconds === null ? null : t + this.offsetSeconds;
  }

  /** Logical time at audio time `at`, or null before the mapping exists. */
  toLogical(at: number): number | null {
    return this.offsetSeconds === null ? null : at - this.offsetSeconds;
  }

  /**
   * Place one stream event on the audio clock, `audioNow` being the
   * AudioContext's currentTime when it arrived.
   */
  schedule(event: StreamEvent, audioNow: number): VoiceChange {
    if (this.offsetSeconds === null) this.offsetSeconds = audioNow + this.lookahead - event.t;
    const due = event.t + this.offsetSeconds;
    const lateBy = due < audioNow ? audioNow - due : 0;
    if (lateBy > 0) this.late++;
    if (lateBy > this.reanchorAfter) this.offsetSeconds = audioNow + this.lookahead - event.t;
    const notes = event.type === 'notes' ? event.notes : [];
    const freqs = event.type === 'notes' ? event.freqs : [];
    return {
      at: lateBy > 0 ? audioNow : due,
      t: event.t,
      ns: event.ns,
      notes,
      freqs,
      gain: voiceGain(notes.length),
      late: lateBy > 0,
      lateBy,
      end: event.type === 'stream-end',
    };
  }
}

/**
 * What sounds between changes, computed from a list of changes: for each change,
 * which frequencies start, which stop and which carry on. Both the live player
 * and the offline renderer apply changes through this diff.
 */
export interface VoiceDiff {
  start: number[];
  stop: number[];
  keep: number[];
}

export function diffVoices(before: readonly number[], after: readonly number[]): VoiceDiff {
  const now = new Set(after);
  const was = new Set(before);
  return {
    start: after.filter((f) => !was.has(f)),
    stop: before.filter((f) => !now.has(f)),
    keep: after.filter((f) => was.has(f)),
  };
}

/**
 * Rebase recorded changes for an offline render: the first change lands at
 * `lead` seconds, the rest keep their distance from it on the audio clock.
 */
export function rebaseChanges(changes: readonly VoiceChange[], lead: number): VoiceChange[] {
  if (changes.length === 0) return [];
  const shift = lead - changes[0].at;
  return changes.map((c) => ({ ...c, at: c.at + shift }));
}
