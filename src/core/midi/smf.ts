/**
 * A MidiScore as the bytes of a Standard MIDI File (format 1): a first track
 * with the file's name and the tempo map, then one track per MidiTrack (its
 * name, its notes on its channel), each event after a variable-length delta.
 *
 * Written here, in one pass into a growing buffer, rather than by
 * @tonejs/midi's encoder (which the tests still read files back with): its
 * writer, midi-file's, copies the whole track for every delta longer than 127
 * ticks, as most are at 960 a beat, so 20,000 notes took 96 s and grew with
 * the square of the notes.
 */
import type { MidiScore } from './midi-score';

const NOTE_ON = 0x90;
const NOTE_OFF = 0x80;
/** The slowest tempo the file can say: a beat of 2^24 - 1 µs (3.58 bpm). */
export const MAX_MICROS_PER_BEAT = 0xffffff;

/** Microseconds a beat at `bpm`, the nearest whole one the file can hold. */
export function microsPerBeat(bpm: number): number {
  return Math.min(MAX_MICROS_PER_BEAT, Math.max(1, Math.round(60e6 / bpm)));
}

class ByteWriter {
  private bytes = new Uint8Array(1024);
  length = 0;

  byte(value: number): void {
    if (this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.bytes[this.length++] = value & 0xff;
  }

  all(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i]);
  }

  uint(value: number, size: number): void {
    for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) this.byte(Math.floor(value / 2 ** shift));
  }

  /** MIDI's variable-length quantity: 7 bits a byte, the high bit set on all but the last. */
  varint(value: number): void {
    const groups = [value & 0x7f];
    for (let rest = value >>> 7; rest > 0; rest >>>= 7) groups.push((rest & 0x7f) | 0x80);
    for (let i = groups.length - 1; i >= 0; i--) this.byte(groups[i]);
  }

  text(type: number, text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.all([0xff, type]);
    this.varint(encoded.length);
    this.all(encoded);
  }

  done(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** One event of a track: at a tick, its bytes; `order` keeps note offs before note ons on one tick. */
interface TrackEvent {
  ticks: number;
  order: number;
  data: number[];
}

function chunk(out: ByteWriter, id: string, events: TrackEvent[], name: string): void {
  const body = new ByteWriter();
  body.varint(0);
  body.text(0x03, name);
  events.sort((a, b) => a.ticks - b.ticks || a.order - b.order);
  let last = 0;
  for (const e of events) {
    body.varint(e.ticks - last);
    body.all(e.data);
    last = e.ticks;
  }
  body.all([0x00, 0xff, 0x2f, 0x00]);
  const bytes = body.done();
  out.all([...id].map((c) => c.charCodeAt(0)));
  out.uint(bytes.length, 4);
  out.all(bytes);
}

/** The file's bytes; `name` is its title (the first track's name, as a DAW shows it). */
export function encodeSmf(score: MidiScore, name: string): Uint8Array {
  const out = new ByteWriter();
  out.all([...'MThd'].map((c) => c.charCodeAt(0)));
  out.uint(6, 4);
  out.uint(1, 2);
  out.uint(score.tracks.length + 1, 2);
  out.uint(score.ticksPerBeat, 2);
  const tempos = score.tempos.map((t, i) => {
    const us = microsPerBeat(t.bpm);
    return { ticks: t.ticks, order: i, data: [0xff, 0x51, 0x03, (us >> 16) & 0xff, (us >> 8) & 0xff, us & 0xff] };
  });
  chunk(out, 'MTrk', tempos, name);
  for (const track of score.tracks) {
    const events: TrackEvent[] = [];
    for (const n of track.notes) {
      events.push({ ticks: n.ticks, order: 1, data: [NOTE_ON | track.channel, n.midi, n.velocity] });
      events.push({ ticks: n.ticks + n.durationTicks, order: 0, data: [NOTE_OFF | track.channel, n.midi, 0] });
    }
    chunk(out, 'MTrk', events, track.name);
  }
  return out.done();
}
