/**
 * Reading a MIDI file back (with @tonejs/midi's parser) and holding it to the
 * events `--events` printed for the same run: every voice a note of the file,
 * on the tick of its exact logical time (within half a tick), pitch N + 12,
 * and the tempo changes on their ticks. The exact ticks are worked out here
 * from the events alone (960 a beat, each `tempo` fact of the first source
 * from its time on), in BigInt, not by the code that wrote the file.
 */
import * as tonejsMidi from '@tonejs/midi';

type MidiModule = typeof tonejsMidi;
const { Midi } = ((tonejsMidi as Partial<MidiModule>).Midi !== undefined ? tonejsMidi : (tonejsMidi as unknown as { default: MidiModule }).default) as MidiModule;

export interface EventLine {
  type: string;
  t: number;
  ns?: number;
  source?: string;
  bpm?: number;
  voices?: { id: number; note: number; level: number; owner: number | null; drum?: string; sample?: { id: string } }[];
}

export interface Voice {
  id: number;
  note: number;
  /** A drum hit's name: it is written on channel 10 as General MIDI's key for it. */
  drum?: string;
  startNs: number;
  endNs: number;
}

export interface ReadNote {
  track: string;
  channel: number;
  midi: number;
  ticks: number;
  endTicks: number;
  velocity: number;
}

export interface ReadBack {
  ppq: number;
  tempos: { ticks: number; bpm: number }[];
  tracks: { name: string; channel: number }[];
  notes: ReadNote[];
}

/** midi-file reads a text event's bytes as Latin-1; corotone writes names in UTF-8. */
const utf8 = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');

export function readMidi(bytes: Uint8Array): ReadBack {
  const midi = new Midi(bytes);
  return {
    ppq: midi.header.ppq,
    tempos: midi.header.tempos.map((t) => ({ ticks: t.ticks, bpm: t.bpm })),
    tracks: midi.tracks.map((t) => ({ name: utf8(t.name), channel: t.channel })),
    notes: midi.tracks.flatMap((t) =>
      t.notes.map((n) => ({ track: utf8(t.name), channel: t.channel, midi: n.midi, ticks: n.ticks, endTicks: n.ticks + n.durationTicks, velocity: Math.round(n.velocity * 127) })),
    ),
  };
}

/** Every voice of the run, from the `notes` event it first shows in to the one it is gone from (or the stream's end). */
export function voicesOf(events: readonly EventLine[]): Voice[] {
  const open = new Map<number, Voice>();
  const all: Voice[] = [];
  for (const e of events) {
    if (e.type === 'notes') {
      const now = new Set<number>();
      for (const v of e.voices ?? []) {
        // a sample (an audio file) has no MIDI form: a MIDI file leaves it out
        if (v.sample !== undefined) continue;
        now.add(v.id);
        if (open.has(v.id)) continue;
        const voice: Voice = { id: v.id, note: v.note, startNs: e.ns!, endNs: e.ns!, ...(v.drum !== undefined ? { drum: v.drum } : {}) };
        open.set(v.id, voice);
        all.push(voice);
      }
      for (const [id, voice] of open) if (!now.has(id)) (voice.endNs = e.ns!), open.delete(id);
    } else if (e.type === 'stream-end') {
      for (const voice of open.values()) voice.endNs = e.ns!;
      open.clear();
    }
  }
  return all;
}

const D = 62_500_000_000_000_000n; // ns × bpm-billionths per tick (60 s × 1e9 × 1e9 / 960)

/**
 * The exact tick of a logical time, from the first source's tempo facts (`at`),
 * and the tempo map they make (`changes`: a change to the tempo already in force
 * is none; two at one time, the later).
 */
export function exactTicksOf(events: readonly EventLine[]): { at: (ns: number) => number; changes: { bpm: number; exact: number }[] } {
  const first = events.find((e) => e.type === 'source-opened')?.source;
  const facts = events.filter((e) => e.type === 'tempo' && e.source === first).map((e) => ({ ns: Math.round(e.t * 1e9), bpm: e.bpm! }));
  const segments: { ns: number; units: bigint; at: bigint; bpm: number }[] = [{ ns: 0, units: 60_000_000_000n, at: 0n, bpm: 60 }];
  for (const f of facts) {
    const last = segments.at(-1)!;
    const units = BigInt(Math.round(f.bpm * 1e9));
    if (f.ns === last.ns) Object.assign(last, { units, bpm: f.bpm });
    else if (units !== last.units) segments.push({ ns: f.ns, units, at: last.at + BigInt(f.ns - last.ns) * last.units, bpm: f.bpm });
  }
  const scaled = (ns: number): bigint => {
    let s = segments[0];
    for (const x of segments) if (x.ns <= ns) s = x;
    return s.at + BigInt(ns - s.ns) * s.units;
  };
  const toNumber = (v: bigint): number => Number(v / D) + Number(v % D) / Number(D);
  return { at: (ns) => toNumber(scaled(ns)), changes: segments.map((s) => ({ bpm: s.bpm, exact: toNumber(s.at) })) };
}

/**
 * What in `file` does not match the run's events (empty: all is well):
 * - each voice has a note of pitch N + 12 starting within half a tick of its exact start;
 * - it ends within half a tick of its exact end, unless another voice of its pitch
 *   still sounds then (MIDI holds one key once on a channel) or it is shorter than
 *   a tick (it lasts one tick);
 * - no note of the file is a voice's that is not in the run;
 * - the tempo map is 960 ticks a beat, with each change of the first source on its tick.
 */
/** General MIDI's percussion keys, as the README lists them for corotone's drums (channel 10, 9 counted from 0). */
const GM_DRUMS: Record<string, number> = { bd: 36, rim: 37, sd: 38, cp: 39, hh: 42, lt: 45, oh: 46, mt: 47, ht: 50, cb: 56 };
const DRUM_CHANNEL = 9;

export function mismatches(file: ReadBack, events: readonly EventLine[]): string[] {
  const problems: string[] = [];
  const ticks = exactTicksOf(events);
  if (file.ppq !== 960) problems.push(`ppq ${file.ppq}, not 960`);
  const voices = voicesOf(events);
  const byPitch = new Map<number, ReadNote[]>();
  for (const n of file.notes) byPitch.set(n.midi, [...(byPitch.get(n.midi) ?? []), n]);
  const used = new Set<ReadNote>();
  for (const v of voices) {
    const start = ticks.at(v.startNs);
    const end = ticks.at(v.endNs);
    const key = v.drum !== undefined ? GM_DRUMS[v.drum] : v.note + 12;
    const candidates = (byPitch.get(key) ?? []).filter((n) => Math.abs(n.ticks - start) <= 0.5 && (v.drum !== undefined) === (n.channel === DRUM_CHANNEL));
    if (candidates.length === 0) {
      problems.push(`voice ${v.id} (${v.drum ?? `note ${v.note}`} at ${v.startNs} ns, tick ${start.toFixed(3)}): no note ${key} starts within half a tick`);
      continue;
    }
    for (const c of candidates) used.add(c);
    const stillHeld = voices.some((o) => o !== v && o.note === v.note && o.startNs <= v.endNs && o.endNs > v.endNs);
    const endsRight = candidates.some((n) => Math.abs(n.endTicks - end) <= 0.5 || (end - start < 1 && n.endTicks === n.ticks + 1));
    if (!endsRight && !stillHeld) problems.push(`voice ${v.id} (note ${v.note}): ends at tick ${end.toFixed(3)}, the file's ${candidates.map((n) => n.endTicks).join('/')}`);
  }
  for (const n of file.notes) if (!used.has(n)) problems.push(`the file's note ${n.midi} at tick ${n.ticks} on ${n.track} is no voice's`);
  for (const change of ticks.changes) {
    const found = file.tempos.some((t) => Math.abs(t.ticks - change.exact) <= 0.5 && Math.abs(t.bpm - change.bpm) / change.bpm < 1e-5);
    if (!found) problems.push(`no tempo ${change.bpm} at tick ${change.exact.toFixed(3)}; the file's: ${JSON.stringify(file.tempos)}`);
  }
  if (file.tempos.length !== ticks.changes.length) problems.push(`${file.tempos.length} tempo events, not ${ticks.changes.length}: ${JSON.stringify(file.tempos)}`);
  return problems;
}
