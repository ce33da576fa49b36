import type { SessionEvent } from '../../core/session/api';

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "60 C5": the note's number and its name in scientific pitch notation. */
export function noteLabel(note: number): string {
  return `${note} ${NAMES[note % 12]}${Math.floor(note / 12)}`;
}

/** A live log of what sounds, for a run without audio output: one line per change. */
export class NoteLog {
  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: SessionEvent): void {
    if (event.type === 'notes') {
      const what = event.notes.length === 0 ? 'silence' : event.notes.map(noteLabel).join(', ');
      this.write(`${event.t.toFixed(3).padStart(9)} s  ${what}\n`);
    } else if (event.type === 'loop-lag') {
      this.write(`${event.t.toFixed(3).padStart(9)} s  loop lag: a resumption ran ${(event.late * 1000).toFixed(1)} ms late\n`);
    }
  }
}
