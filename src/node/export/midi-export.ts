/**
 * A session's notes as a MIDI file: listen to its events while it runs
 * (`--midi` on the command line, the app's Export "MIDI file" in a worker),
 * then encode what was heard.
 */
import { midiScore, MIDI_OFFSET, HIGHEST_MIDI_NOTE, type LeftOutNote } from '../../core/midi/midi-score';
import { ScoreRecorder, type ScoreOptions } from '../../core/midi/score';
import { encodeSmf, MAX_MICROS_PER_BEAT } from '../../core/midi/smf';
import type { TempoChange } from '../../core/midi/tempo-map';
import type { SessionEvent } from '../../core/session/api';
import { nsToSeconds } from '../../core/time';

export interface MidiFileBytes {
  bytes: Uint8Array;
  /** Notes with no MIDI number, left out of the file. */
  leftOut: LeftOutNote[];
  /** Tempos slower than the file can say (written as its slowest). */
  tooSlow: TempoChange[];
}

export class MidiRecording {
  private readonly recorder: ScoreRecorder;

  constructor(options: ScoreOptions = {}) {
    this.recorder = new ScoreRecorder(options);
  }

  /** Give it every event of the session (subscribe it). */
  readonly onEvent = (event: SessionEvent): void => this.recorder.onEvent(event);

  /** The file of what played; notes still sounding end at `endNs`. `name` is the file's title (its first track's name). */
  file(name: string, endNs?: number): MidiFileBytes {
    const played = this.recorder.finish(endNs);
    const score = midiScore(played);
    const tooSlow = played.tempos.filter((t) => 60e6 / t.bpm > MAX_MICROS_PER_BEAT);
    return { bytes: encodeSmf(score, name), leftOut: score.leftOut, tooSlow };
  }
}

/** One line on the notes a file leaves out, or null if none was. */
export function describeLeftOut(file: string, leftOut: readonly LeftOutNote[]): string | null {
  if (leftOut.length === 0) return null;
  const first = leftOut[0];
  const where = first.pos === null ? first.track : `${first.pos.source}:${first.pos.line}:${first.pos.col}`;
  const n = leftOut.length;
  const highest = HIGHEST_MIDI_NOTE - MIDI_OFFSET;
  return (
    `${file}: ${n.toLocaleString('en-US')} note${n === 1 ? '' : 's'} above ${highest} left out (MIDI's highest note, 127, is corotone's ${highest}),` +
    ` the first ${first.note} at ${nsToSeconds(first.startNs).toFixed(3)} s (${where})`
  );
}

/** One line on the tempos a file could not say, or null if none was too slow. */
export function describeTooSlow(file: string, tooSlow: readonly TempoChange[]): string | null {
  if (tooSlow.length === 0) return null;
  const first = tooSlow[0];
  const where = first.pos === null || first.pos === undefined ? '' : ` (${first.pos.source}:${first.pos.line}:${first.pos.col})`;
  const slowest = Math.round((60e6 / MAX_MICROS_PER_BEAT) * 100) / 100;
  return `${file}: bpm ${first.bpm} at ${nsToSeconds(first.ns).toFixed(3)} s${where} is slower than a MIDI file can say (${slowest} bpm); written as ${slowest} bpm, the notes on their ticks`;
}
