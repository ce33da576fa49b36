/**
 * Note-change scheduling, the pure half of the audio engine (no DOM, no Web
 * Audio): it turns the stream's change events, stamped with logical time, into
 * changes on the audio clock.
 *
 * Two clocks ("A Tale of Two Clocks"): events cross IPC with jitter, so they are
 * not played when they arrive but at their place on the AudioContext's clock.
 * The mapping is fixed at the first event (`t` plays at `ctx.currentTime +
 * lookahead`), so every later note keeps its exact distance from the first one.
 * An event that arrives after its audio time has passed plays at once and is
 * counted as late.
 *
 * When the host plays logical time slower (speed 1/2: one logical second lasts
 * two real ones), audio time runs 1/speed per logical second. A speed change at
 * logical time `t` re-anchors there: the mapping is piecewise linear, continuous
 * at each change, so notes on either side keep their exact relative timing.
 *
 * A typed line is an instrument: the user hears the delay from the key. When
 * the renderer has just sent one (expectInput) and its first note starts sound
 * after a rest, the mapping is fixed from that note's arrival with the shorter
 * input lookahead; script phrases keep the full one (see schedule()).
 */
import { noteFrequency } from '../../core/stream/notes';
import type { NotesEvent, StreamEvent } from '../../core/stream/stream';
import type { Effect } from '../../core/stream/fx';
import { DEFAULT_ENVELOPE, DEFAULT_LEVEL, isHit, type DrumName, type Envelope, type SamplePlay, type Timbre, type VoiceInfo } from '../../core/stream/voice';

export const DEFAULT_LOOKAHEAD = 0.05;
/**
 * An event later than this (seconds) means the clocks lost each other (the
 * machine slept, the page was frozen): the event plays at once and the offset
 * is fixed again from it, so later notes do not all arrive late.
 */
export const DEFAULT_REANCHOR_AFTER = 0.5;
/**
 * Seconds of silence after which the next event may fix the mapping afresh
 * (see NoteScheduler.schedule): no note sounds then, so no distance to an
 * earlier note is kept or lost, and the new phrase gets the full lookahead
 * from its own arrival rather than whatever the first event of the session had.
 */
export const DEFAULT_QUIET_REANCHOR = 0.25;
/**
 * Seconds between a typed line's first note arriving after a rest and its
 * sound: enough for the line's later events to come back no slower than the
 * first by more than this. The host sends a typed line's notes without the
 * batch interval (at most 4 ms apart, batcher.ts), so this covers the host's
 * timer and the trip's jitter: a few ms on a quiet machine, and in a browser
 * that holds the page's messages until the frame after a key (Chromium's
 * DeferRendererTasksAfterInput; the Electron shell turns it off) the first
 * note waits for that frame too, which leaves the later ones more room.
 */
export const DEFAULT_INPUT_LOOKAHEAD = 0.015;
/** Audio seconds after a line was sent during which its first note counts as input. */
export const INPUT_WINDOW = 1;

/** One change of what sounds, placed on the audio clock. */
export interface VoiceChange {
  /** AudioContext time at which the change takes effect. */
  at: number;
  /** Logical time of the event, seconds (and exact ns). */
  t: number;
  ns: number;
  notes: number[];
  freqs: number[];
  /**
   * The voices that sound from `at` on, oldest first: each at its own level,
   * envelope and timbre (null: the app's waveform menu). Optional so that
   * changes built elsewhere still type; missing means one default voice per note.
   */
  voices?: PlayedVoice[];
  /** The audio clock's time when the event arrived (absent for changes the engine made itself: panic, resync). */
  arrived?: number;
  /**
   * The event arrived after its audio time: it plays at `at` = the audio clock's now, or, under a
   * typed line's mapping, one lookahead on, where the mapping moves to (see schedule).
   */
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
  /** Seconds between a typed line's first note (after a rest) and its sound; capped by `lookahead`. */
  inputLookahead: number;
}

/** From logical time `t` on (until the next anchor), audio time is `at + (t' - t) * rate`. */
export interface ClockAnchor {
  t: number;
  at: number;
  /** Audio seconds per logical second: 1 / speed. */
  rate: number;
}

/** Anchors kept: events older than the oldest one kept are placed by it. */
const MAX_ANCHORS = 32;

export class NoteScheduler {
  /** The mapping's pieces, in logical-time order; empty until the first event. */
  private anchors: ClockAnchor[] = [];
  private speedFactor = 1;
  private late = 0;
  /** Audio and logical time from which nothing sounds (the last change scheduled ended every note); null while notes sound. */
  private quietFrom: number | null = null;
  private quietT = 0;
  /** Audio time until which a note starting sound is a typed line's (null: none expected). */
  private inputUntil: number | null = null;
  /** The mapping in force was fixed for a typed line (with the input lookahead). */
  private inputAnchor = false;
  lookahead: number;
  reanchorAfter: number;
  inputLookahead: number;

  constructor(settings: Partial<SchedulerSettings> = {}) {
    this.lookahead = settings.lookahead ?? DEFAULT_LOOKAHEAD;
    this.reanchorAfter = settings.reanchorAfter ?? DEFAULT_REANCHOR_AFTER;
    this.inputLookahead = settings.inputLookahead ?? DEFAULT_INPUT_LOOKAHEAD;
  }

  /** A line was just sent to the host at audio time `audioNow`: its first note is input (see schedule). */
  expectInput(audioNow: number): void {
    this.inputUntil = audioNow + INPUT_WINDOW;
  }

  /** audio time − logical time of the piece in force (at speed 1, the whole mapping), once the first event has fixed it. */
  get offset(): number | null {
    const a = this.anchors[this.anchors.length - 1];
    return a === undefined ? null : a.at - a.t;
  }

  /** The pieces of the mapping, oldest first (for tests and diagnosis). */
  get clockAnchors(): readonly ClockAnchor[] {
    return this.anchors;
  }

  /** Logical seconds per real second the host plays now. */
  get speed(): number {
    return this.speedFactor;
  }

  /**
   * The host changed speed at logical time `t`: from `t` on, a logical second
   * lasts 1/speed of audio time. The mapping is re-anchored at `t` (where the
   * old speed had put it), so nothing before or after `t` moves.
   */
  setSpeed(t: number, speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) return;
    this.speedFactor = speed;
    if (this.anchors.length === 0) return;
    const anchor = { t, at: this.toAudio(t)!, rate: 1 / speed };
    let i = this.anchors.length;
    while (i > 0 && this.anchors[i - 1].t >= t) i--;
    // A later anchor (a re-anchor after lateness) is superseded by the change before it.
    this.anchors.splice(i, this.anchors.length - i, anchor);
    if (this.anchors.length > MAX_ANCHORS) this.anchors.shift();
  }

  /** Events that arrived after their audio time. */
  get lateCount(): number {
    return this.late;
  }

  /** Forget the clock mapping (a new session, a reconnect, audio restarted); the next event fixes it again. */
  resetClock(): void {
    this.anchors = [];
    this.quietFrom = null;
  }

  resetLateCount(): void {
    this.late = 0;
  }

  /** Fix the mapping explicitly (offline rendering). */
  setOffset(offset: number): void {
    this.anchors = [{ t: 0, at: offset, rate: 1 / this.speedFactor }];
  }

  /** Audio time of logical time `t`, or null before the mapping exists. */
  toAudio(t: number): number | null {
    const a = this.pieceAt(t, 't');
    return a === null ? null : a.at + (t - a.t) * a.rate;
  }

  /** Logical time at audio time `at`, or null before the mapping exists. */
  toLogical(at: number): number | null {
    const a = this.pieceAt(at, 'at');
    return a === null ? null : a.t + (at - a.at) / a.rate;
  }

  /** The piece in force at `value` (a logical or an audio time): the last anchor at or before it, else the first. */
  private pieceAt(value: number, key: 't' | 'at'): ClockAnchor | null {
    const list = this.anchors;
    if (list.length === 0) return null;
    for (let i = list.length - 1; i > 0; i--) if (list[i][key] <= value) return list[i];
    return list[0];
  }

  private anchorAt(t: number, at: number, input = false): void {
    this.anchors = [{ t, at, rate: 1 / this.speedFactor }];
    this.inputAnchor = input;
  }

  /** `event` starts a typed line's sound: it has notes and a line was sent shortly before. */
  private isInput(event: StreamEvent, audioNow: number): boolean {
    return event.type === 'notes' && sounds(event) && this.inputUntil !== null && audioNow <= this.inputUntil;
  }

  /**
   * Fix the mapping afresh from an event that starts sound from silence (the
   * first event, or one after a rest; see schedule). A typed line's first note
   * gets the input lookahead, always; a script's phrase the full lookahead,
   * when the old mapping was a typed line's or would leave less than half the
   * lookahead or more than twice it (else it keeps its rests exact).
   */
  private reanchorFromRest(event: StreamEvent, audioNow: number): void {
    const input = this.isInput(event, audioNow);
    if (input) this.inputUntil = null;
    const lead = input ? Math.min(this.inputLookahead, this.lookahead) : this.lookahead;
    if (this.anchors.length === 0 || this.quietFrom === null) {
      this.anchorAt(event.t, audioNow + lead, input);
      return;
    }
    const slack = this.toAudio(event.t)! - audioNow;
    if (input || this.inputAnchor || slack < this.lookahead / 2 || slack > this.lookahead * 2) {
      // never before the rest began (the rest may shrink, the order of the notes stays)
      this.anchorAt(event.t, Math.max(audioNow + lead, this.quietFrom + DEFAULT_QUIET_REANCHOR / 2), input);
    }
  }

  /**
   * Place one stream event on the audio clock, `audioNow` being the
   * AudioContext's currentTime when it arrived.
   */
  schedule(event: StreamEvent, audioNow: number): VoiceChange {
    if (this.anchors.length === 0) this.reanchorFromRest(event, audioNow);
    else if (this.quietFrom !== null && (this.isInput(event, audioNow) || (event.t - this.quietT) / this.speedFactor >= DEFAULT_QUIET_REANCHOR)) {
      // After a rest the mapping is free: the first event fixed it with its own transit time, so a
      // later phrase would play late whenever its trip is longer by more than the lookahead (or
      // forever that much later if the first trip was slow). A script's rest must be long enough
      // not to be part of its rhythm; a typed line's rhythm is the typing, so any rest will do.
      this.reanchorFromRest(event, audioNow);
    }
    let due = this.toAudio(event.t)!;
    const lateBy = due < audioNow ? audioNow - due : 0;
    if (lateBy > 0) this.late++;
    if (lateBy > 0 && this.inputAnchor) {
      // A typed line's short lead is for its own events: one that comes late under it (a script
      // started while the line sounds, a slower trip) moves the mapping to the full lookahead and
      // plays there, so what follows keeps its distances from it and is not late too.
      this.anchorAt(event.t, audioNow + this.lookahead);
      due = audioNow + this.lookahead;
    } else if (lateBy > this.reanchorAfter) this.anchorAt(event.t, audioNow + this.lookahead);
    const notes = event.type === 'notes' ? event.notes : [];
    const freqs = event.type === 'notes' ? event.freqs : [];
    const voices = event.type === 'notes' ? playedVoices(notes, event.voices) : [];
    const at = Math.max(due, audioNow);
    // a drum hit is sound too, though it is not a note
    if (voices.length > 0) this.quietFrom = null;
    else if (this.quietFrom === null) {
      this.quietFrom = at;
      this.quietT = event.t;
    }
    return {
      at,
      arrived: audioNow,
      t: event.t,
      ns: event.ns,
      notes,
      freqs,
      voices,
      late: lateBy > 0,
      lateBy,
      end: event.type === 'stream-end',
    };
  }
}

/** A notes event that starts or keeps sound: a note, or a voice that is not one (a drum hit). */
function sounds(event: NotesEvent): boolean {
  return event.notes.length > 0 || (event.voices?.length ?? 0) > 0;
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

/** One voice as the app plays it: the stream's voice with its defaults filled in. */
export interface PlayedVoice {
  /** The stream's voice id (negative: a note of a sender that gave no voices). */
  id: number;
  note: number;
  freq: number;
  level: number;
  envelope: Envelope;
  /** null: the app's waveform menu decides. */
  timbre: Timbre | null;
  /** -1 (left) .. 1 (right). */
  pan: number;
  /** A drum hit (its own sound and length), at `rate`. */
  drum?: DrumName;
  rate?: number;
  /** An audio file's play (`sample PATH`): its own sound and length, at `rate`. */
  sample?: SamplePlay;
  /** The effects it goes through (fx.ts), if any. */
  fx?: readonly Effect[];
}

/** The default edges (s): a re-articulated note's release is cut to this, as in the core synth. */
export const DEFAULT_EDGE_S = DEFAULT_ENVELOPE.release;

/** The voices of a notes event; without voices (an older sender, a snapshot), one default voice per note. */
export function playedVoices(notes: readonly number[], voices: readonly VoiceInfo[] | undefined): PlayedVoice[] {
  if (voices === undefined) {
    return notes.map((note) => ({ id: -(note + 1), note, freq: noteFrequency(note), level: DEFAULT_LEVEL, envelope: DEFAULT_ENVELOPE, timbre: null, pan: 0 }));
  }
  return voices.map((v) => {
    const played: PlayedVoice = {
      id: v.id,
      note: v.note,
      freq: noteFrequency(v.note),
      level: v.level,
      envelope: v.envelope ?? DEFAULT_ENVELOPE,
      timbre: v.timbre ?? null,
      pan: v.pan ?? 0,
    };
    if (v.drum !== undefined) {
      played.drum = v.drum;
      played.rate = v.rate ?? 1;
    }
    if (v.sample !== undefined) {
      played.sample = v.sample;
      played.rate = v.rate ?? 1;
    }
    if (v.fx !== undefined) played.fx = v.fx;
    return played;
  });
}

/**
 * What a voice player does at a change, per voice: which voices start (and at
 * what audio time their attack begins) and which release (from when, over how
 * long). The rule is the core synth's: a voice of a pitch that also releases at
 * this change (a re-articulation) releases within DEFAULT_EDGE_S and the new
 * attack begins after it, so the level dips to silence between the two notes.
 */
export interface VoiceIdDiff {
  start: { voice: PlayedVoice; at: number }[];
  release: { id: number; at: number; seconds: number }[];
}

export function diffVoiceIds(before: readonly PlayedVoice[], after: readonly PlayedVoice[], at: number, edge = DEFAULT_EDGE_S): VoiceIdDiff {
  const next = new Set(after.map((v) => v.id));
  const was = new Set(before.map((v) => v.id));
  // A drum hit is cut within the default edge, and is never a pitch that a new note waits for.
  const release = before.filter((v) => !next.has(v.id)).map((v) => ({ id: v.id, at, seconds: !isHit(v) ? v.envelope.release : edge, freq: !isHit(v) ? v.freq : NaN }));
  const start = after
    .filter((v) => !was.has(v.id))
    .map((voice) => {
      const old = !isHit(voice) ? release.find((r) => r.freq === voice.freq) : undefined;
      if (old === undefined) return { voice, at };
      old.seconds = Math.min(old.seconds, edge);
      return { voice, at: at + old.seconds };
    });
  return { start, release: release.map(({ id, at: from, seconds }) => ({ id, at: from, seconds })) };
}
