/**
 * What a voice is: one note held by one owner (a task), at a level, with an
 * envelope and a timbre. The stream publishes voices; the synths (offline in
 * core, Tone.js in the app) sound them.
 */
import { chainError, type Effect } from './fx';

/** Tone.js's ADSR (Envelope): attack, decay and release in seconds, sustain a fraction 0..1 of the level. */
export interface Envelope {
  attack: number;
  decay: number;
  sustain: number;
  release: number;
}

/** The oscillator types Tone.js names (fm and am: Tone's FMOscillator/AMOscillator defaults). */
export const TIMBRES = ['sine', 'triangle', 'square', 'sawtooth', 'fm', 'am'] as const;
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

/** How a voice sounds; what is left out takes the default. */
export interface VoiceOptions {
  level?: number;
  envelope?: Envelope;
  timbre?: Timbre;
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
  if (options.fx !== undefined) return chainError(options.fx);
  return null;
}
