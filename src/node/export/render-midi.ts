/**
 * An export to a MIDI file, on whatever thread calls it (the export worker
 * does): run the script on the virtual clock as a WAV export does, and write
 * what it played as a Standard MIDI File (midi-export.ts).
 */
import { describeLeftOut, describeTooSlow, MidiRecording } from './midi-export';
import type { StateHolder } from '../../core/session/state';
import { cutNotice, EXPORT_LIMIT_SECONDS, playScriptInThread, type ScriptToRender } from './render-script';

/** An export's MIDI file, and what the app should say of it. */
export interface RenderedMidi {
  midi: Uint8Array;
  /** Set when the script still played at the export limit: the file holds its first part. */
  cut: string | null;
  /** Set when notes above MIDI's range were left out, or a tempo was slower than the file can say. */
  leftOut: string | null;
}

/** The file's name for `script` (song.txt: song.mid). */
export function midiFileName(script: ScriptToRender): string {
  return `${script.name.replace(/\.[^./\\]*$/, '')}.mid`;
}

/** Run `script` and write what it played as MIDI. Throws an ExportFailure on parse errors (every one located). */
export function renderMidiInThread(script: ScriptToRender, limitSeconds = EXPORT_LIMIT_SECONDS, samples?: StateHolder): RenderedMidi {
  const recording = new MidiRecording();
  const { session, ended } = playScriptInThread(script, limitSeconds, recording.onEvent, samples);
  const { bytes, leftOut, tooSlow } = recording.file(script.name.replace(/\.[^./\\]*$/, ''), session.scheduler.nowNanos);
  const notices = [describeLeftOut(midiFileName(script), leftOut), describeTooSlow(midiFileName(script), tooSlow)].filter((n) => n !== null);
  return { midi: bytes, cut: ended ? null : cutNotice(script, limitSeconds, '.mid'), leftOut: notices.length === 0 ? null : notices.join('; ') };
}
