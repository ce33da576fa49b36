import type { NotesEvent } from './stream';
import type { VoiceInfo } from './voice';

/** What one `notes` event changed: the voices that started and those that ended. */
export interface VoiceChange {
  started: VoiceInfo[];
  ended: VoiceInfo[];
}

/**
 * Follows the stream's `notes` events and says which voices each one starts
 * and ends (an event lists every voice held; a voice is its id, so a note
 * struck again is a new one). For what plays the voices elsewhere: a MIDI
 * file, OSC.
 */
export class VoiceChanges {
  private readonly held = new Map<number, VoiceInfo>();

  update(event: NotesEvent): VoiceChange {
    const voices = event.voices ?? event.notes.map(ownerless);
    const started: VoiceInfo[] = [];
    const now = new Set<number>();
    for (const voice of voices) {
      now.add(voice.id);
      if (this.held.has(voice.id)) continue;
      this.held.set(voice.id, voice);
      started.push(voice);
    }
    const ended: VoiceInfo[] = [];
    for (const [id, voice] of this.held) {
      if (now.has(id)) continue;
      this.held.delete(id);
      ended.push(voice);
    }
    return { started, ended };
  }

  /** Every voice still held, ended now (the stream ended). */
  endAll(): VoiceInfo[] {
    const ended = [...this.held.values()];
    this.held.clear();
    return ended;
  }
}

/** A sender that leaves `voices` out means one owner-less voice per note (see NotesEvent). */
function ownerless(note: number): VoiceInfo {
  return { id: -1 - note, owner: null, note, level: 0.1, onset: 0 };
}
