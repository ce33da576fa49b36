/**
 * A score as MIDI sees it: tracks with a channel each, notes on ticks, note
 * numbers and velocities. What any MIDI file writer then encodes.
 *
 * - corotone's note N is MIDI's N + 12 (corotone's 60 is C5, 523 Hz, which
 *   MIDI numbers 72); a note above 115 has no MIDI number and is left out (and
 *   listed, so the caller can say so).
 * - Velocity follows the level on a 40 dB scale: level 1 is 127, the default
 *   0.1 (-20 dB) is 64, MIDI's own default; 0.01 (-40 dB) and below are 1.
 * - One channel per track, in order, skipping channel 10 (index 9), which is
 *   the drums' (General MIDI): a track's drum voices go on a track of their own there.
 * - Two voices of one pitch on one track overlap (a gather of two beeps of 60):
 *   MIDI cannot hold one key twice on a channel, so the note is struck again
 *   when the second starts (on the same tick, the two are one note) and ends
 *   when the last of them ends.
 * - A note shorter than half a tick would start and end on one tick, which a
 *   reader may drop: it lasts one tick.
 */
import type { SourcePosition } from '../scheduler/events';
import type { Player } from './players';
import type { Score, ScoreNote } from './score';
import { TempoMap, TICKS_PER_BEAT, type TickTempo } from './tempo-map';

/** MIDI's number for corotone's note N is N + MIDI_OFFSET. */
export const MIDI_OFFSET = 12;
export const HIGHEST_MIDI_NOTE = 127;
/** Channel 10, counted from 0. */
export const DRUM_CHANNEL = 9;
const CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];
/** The level that is velocity 1; 127 is level 1; in between, by decibels. */
const VELOCITY_RANGE_DB = 40;

export interface MidiNote {
  midi: number;
  ticks: number;
  durationTicks: number;
  /** 1..127. */
  velocity: number;
}

export interface MidiTrack {
  name: string;
  /** 0..15 (9 is channel 10, the drums). */
  channel: number;
  notes: MidiNote[];
}

/** A note with no MIDI number (corotone's 116..127). */
export interface LeftOutNote {
  note: number;
  startNs: number;
  track: string;
  pos: SourcePosition | null;
}

export interface MidiScore {
  ticksPerBeat: number;
  tempos: TickTempo[];
  tracks: MidiTrack[];
  leftOut: LeftOutNote[];
}

/** Velocity 1..127 of a level 0..1 (see above). */
export function velocityOf(level: number): number {
  if (!(level > 0)) return 1;
  const db = 20 * Math.log10(Math.min(1, level));
  return Math.max(1, Math.min(127, Math.round(127 * (1 + db / VELOCITY_RANGE_DB))));
}

export function midiScore(score: Score): MidiScore {
  const map = new TempoMap(score.tempos);
  const nameOf = trackNamer(score.players);
  const leftOut: LeftOutNote[] = [];
  const groups = new Map<string, { name: string; drums: boolean; notes: ScoreNote[] }>();
  for (const note of score.notes) {
    const drums = note.drum !== null;
    const name = nameOf(note.player) + (drums ? ' drums' : '');
    if (!drums && note.note + MIDI_OFFSET > HIGHEST_MIDI_NOTE) {
      leftOut.push({ note: note.note, startNs: note.startNs, track: name, pos: note.pos });
      continue;
    }
    const key = `${name}\u0000${drums}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { name, drums, notes: [] }));
    group.notes.push(note);
  }
  let next = 0;
  const tracks: MidiTrack[] = [...groups.values()].map((group) => ({
    name: group.name,
    channel: group.drums ? DRUM_CHANNEL : CHANNELS[next++ % CHANNELS.length],
    notes: trackNotes(group.notes, map),
  }));
  return { ticksPerBeat: TICKS_PER_BEAT, tempos: map.tempos(), tracks, leftOut };
}

/**
 * A track is named after its player: a source by its name, a live loop or a
 * named task by its own (melody, t1), as SOURCE/NAME when several sources play.
 */
export function trackNamer(players: readonly Player[]): (player: Player) => string {
  const sources = new Set(players.map((p) => p.source));
  return (p) => (p.kind === 'source' || sources.size === 1 ? p.name : `${p.source}/${p.name}`);
}

interface Edge {
  ns: number;
  start: boolean;
  midi: number;
  velocity: number;
}

/** The notes of one track on ticks, one pitch never overlapping itself (see above). */
function trackNotes(notes: readonly ScoreNote[], map: TempoMap): MidiNote[] {
  const edges: Edge[] = [];
  for (const n of notes) {
    const midi = n.drum ?? n.note + MIDI_OFFSET;
    const velocity = velocityOf(n.level);
    edges.push({ ns: n.startNs, start: true, midi, velocity }, { ns: n.endNs, start: false, midi, velocity });
  }
  // In time order; at one instant the ends first (a note ending as another of its pitch starts is struck again).
  edges.sort((a, b) => a.ns - b.ns || Number(a.start) - Number(b.start));
  const sounding = new Map<number, { note: MidiNote; holders: number }>();
  const last = new Map<number, MidiNote>();
  const out: MidiNote[] = [];
  const close = (held: { note: MidiNote }, tick: number): void => {
    held.note.durationTicks = Math.max(1, tick - held.note.ticks);
  };
  for (const edge of edges) {
    const tick = map.tickAt(edge.ns);
    const held = sounding.get(edge.midi);
    if (!edge.start) {
      if (held === undefined) continue;
      if (--held.holders === 0) {
        close(held, tick);
        sounding.delete(edge.midi);
      }
      continue;
    }
    // Struck on the tick this pitch was last struck (sounding still, or a note shorter than a tick): the same note.
    const again = held?.note ?? last.get(edge.midi);
    if (again !== undefined && again.ticks >= tick) {
      again.velocity = Math.max(again.velocity, edge.velocity);
      if (held !== undefined) held.holders++;
      else sounding.set(edge.midi, { note: again, holders: 1 });
      continue;
    }
    if (held !== undefined) close(held, tick);
    const note: MidiNote = { midi: edge.midi, ticks: tick, durationTicks: 1, velocity: edge.velocity };
    out.push(note);
    last.set(edge.midi, note);
    sounding.set(edge.midi, { note, holders: (held?.holders ?? 0) + 1 });
  }
  return out;
}
