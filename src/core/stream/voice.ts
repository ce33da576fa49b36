/**
 * What a voice is: one note held by one owner (a task), at a level, with an
 * envelope and a timbre. The stream publishes voices; the synths (offline in
 * core, Tone.js in the app) sound them.
 */
import { chainError, type Effect } from './fx';

import { secondsToNs } from '../time';

/** Tone.js's ADSR (Envelope): attack, decay and release in seconds, sustain a fraction 0..1 of the level. */
export interface Envelope {
  attack: number;
  decay: number;
  sustain: number;
  release: number;
}

/**
 * The oscillator types Tone.js names (fm and am: Tone's FMOscillator/AMOscillator
 * defaults), and white noise (seeded, src/core/synth/drum-kit.ts: the note is not heard).
 */
export const TIMBRES = ['sine', 'triangle', 'square', 'sawtooth', 'fm', 'am', 'noise'] as const;
export type Timbre = (typeof TIMBRES)[number];

/**
 * The default level of a voice, as a fraction of full scale: eight voices at
 * it peak at 0.8, the demo's headroom, so they never clip; and a held note
 * keeps its level whoever joins (no 1/N mixing).
 */
export const DEFAULT_LEVEL = 0.1;

/** Edges of 3 ms (today's declick, heard as instant) and full sustain: a held note is a steady sine. */
export const DEFAULT_ENVELOPE: Readonly<Envelope> = Object.freeze({ attack: 0.003, decay: 0, sustain: 1, release: 0.003 });

export const DEFAULT_TIMBRE: Timbre = 'sine';

/** The longest attack, decay or release accepted, in seconds. */
export const MAX_ENVELOPE_SECONDS = 60;

/**
 * A drum machine's voices (`drum NAME`): each a hit of its own length, made by
 * src/core/synth/drum-kit.ts for the WAV renders and the app alike.
 */
export const DRUMS = ['bd', 'sd', 'hh', 'oh', 'cp', 'lt', 'mt', 'ht', 'rim', 'cb'] as const;
export type DrumName = (typeof DRUMS)[number];

/** What each drum is, for help and the README. */
export const DRUM_NAMES: Readonly<Record<DrumName, string>> = {
  bd: 'bass drum (kick)',
  sd: 'snare drum',
  hh: 'closed hi-hat',
  oh: 'open hi-hat',
  cp: 'hand clap',
  lt: 'low tom',
  mt: 'mid tom',
  ht: 'high tom',
  rim: 'rim shot',
  cb: 'cowbell',
};

/** A hit's length in seconds at rate 1 (at rate R it lasts this / R). */
export const DRUM_SECONDS: Readonly<Record<DrumName, number>> = {
  bd: 0.6,
  sd: 0.35,
  hh: 0.12,
  oh: 0.6,
  cp: 0.4,
  lt: 0.55,
  mt: 0.45,
  ht: 0.4,
  rim: 0.08,
  cb: 0.4,
};

/**
 * The note a drum's voice carries: General MIDI's percussion key in corotone's
 * numbering (MIDI + 12), so a piano roll or a MIDI file can place it. A drum
 * is not a pitch: it is never among a notes event's `notes`.
 */
export const DRUM_KEYS: Readonly<Record<DrumName, number>> = {
  bd: 48,
  sd: 50,
  hh: 54,
  oh: 58,
  cp: 51,
  lt: 57,
  mt: 59,
  ht: 62,
  rim: 49,
  cb: 68,
};

/** The slowest and fastest `rate=` of a drum (its pitch and speed: 2 is an octave up and half as long). */
export const MIN_DRUM_RATE = 0.25;
export const MAX_DRUM_RATE = 4;

/** A drum hit's length in ns at `rate`. */
export function drumLengthNs(drum: DrumName, rate = 1): number {
  return secondsToNs(DRUM_SECONDS[drum] / rate);
}

/**
 * An audio file played as a voice (`sample PATH`): which of the session's
 * decoded samples (src/core/synth/sample-bank.ts), from `start` to `end`
 * (fractions 0..1 of it), and whether it loops there until its task ends.
 */
export interface SamplePlay {
  id: string;
  start: number;
  end: number;
  loop?: true;
  /** How long it sounds, in seconds (a view draws its bar so long); absent for a loop. */
  seconds?: number;
}

/** The note a sample's voice carries: not a pitch (never among a notes event's `notes`), as a drum's key is not. */
export const SAMPLE_KEY = 60;

/** A voice that is a hit of its own sound (a drum, a sample), not a note of a pitch. */
export function isHit(v: { drum?: DrumName; sample?: SamplePlay }): boolean {
  return v.drum !== undefined || v.sample !== undefined;
}

/** How a voice sounds; what is left out takes the default. */
export interface VoiceOptions {
  level?: number;
  envelope?: Envelope;
  timbre?: Timbre;
  /** -1 (left) .. 1 (right); 0, the default, is the centre. */
  pan?: number;
  /** A drum hit instead of a tone: it sounds for its own length, whatever the envelope and timbre. */
  drum?: DrumName;
  /** A drum's or a sample's speed and pitch (default 1). */
  rate?: number;
  /** An audio file instead of a tone, and how long it sounds (ns; Infinity: a loop, until its task ends). */
  sample?: SamplePlay & { ns: number };
  /** The effects it goes through, in order (empty: none, and no task's chain either). */
  fx?: readonly Effect[];
}

/** One held voice, as the stream publishes it. */
export interface VoiceInfo {
  /** Unique for the stream's life: a re-articulated note is a new voice with a new id. */
  id: number;
  /** The task that holds it, or null for a voice started without an owner (the demo's shared set). */
  owner: number | null;
  note: number;
  /** Fraction of full scale, 0..1. */
  level: number;
  /** Logical time the voice began, ns. */
  onset: number;
  /** Present only when not the default. */
  envelope?: Envelope;
  timbre?: Timbre;
  /** -1..1, present only when not the centre. */
  pan?: number;
  /** A drum hit (its `note` is the drum's key, not a pitch), with its rate when not 1. */
  drum?: DrumName;
  rate?: number;
  /** An audio file's play (its `note` is SAMPLE_KEY, not a pitch), with its rate when not 1. */
  sample?: SamplePlay;
  /** The effects it goes through, in order; present only when there are some (src/core/stream/fx.ts). */
  fx?: Effect[];
}

/** A RangeError message if `options` is not a valid voice, else null. */
export function voiceOptionsError(options: VoiceOptions): string | null {
  if (options.level !== undefined && !(options.level >= 0 && options.level <= 1)) return `a level is 0..1, not ${options.level}`;
  const e = options.envelope;
  if (e !== undefined) {
    for (const key of ['attack', 'decay', 'release'] as const) {
      if (!(e[key] >= 0 && e[key] <= MAX_ENVELOPE_SECONDS)) return `${key} is 0..${MAX_ENVELOPE_SECONDS} seconds, not ${e[key]}`;
    }
    if (!(e.sustain >= 0 && e.sustain <= 1)) return `sustain is 0..1, not ${e.sustain}`;
  }
  if (options.timbre !== undefined && !TIMBRES.includes(options.timbre)) return `a timbre is one of ${TIMBRES.join('|')}, not ${String(options.timbre)}`;
  if (options.pan !== undefined && !(options.pan >= -1 && options.pan <= 1)) return `a pan is -1..1, not ${options.pan}`;
  if (options.drum !== undefined && !DRUMS.includes(options.drum)) return `a drum is one of ${DRUMS.join('|')}, not ${String(options.drum)}`;
  if (options.rate !== undefined && !(options.rate >= MIN_DRUM_RATE && options.rate <= MAX_DRUM_RATE)) return `a drum's rate is ${MIN_DRUM_RATE}..${MAX_DRUM_RATE}, not ${options.rate}`;
  const sample = options.sample;
  if (sample !== undefined && !(sample.start >= 0 && sample.start < sample.end && sample.end <= 1 && sample.ns > 0)) return `a sample plays a part start..end of 0..1, not ${sample.start}..${sample.end}`;
  if (options.fx !== undefined) return chainError(options.fx);
  return null;
}
