import { describe, expect, it } from 'vitest';
import { LiveMidi, type MidiPort } from '../../../src/renderer/midi/live-midi';
import type { PlayedVoice, VoiceChange } from '../../../src/renderer/audio/schedule';
import { DEFAULT_ENVELOPE } from '../../../src/core/stream/voice';

function recorder(): MidiPort & { sent: [number[], number | undefined][] } {
  const sent: [number[], number | undefined][] = [];
  return { sent, send: (data, ts) => void sent.push([data, ts]) };
}

const voice = (id: number, note: number, level = 0.1): PlayedVoice => ({ id, note, freq: 0, level, envelope: DEFAULT_ENVELOPE, timbre: null, pan: 0 });
const change = (at: number, voices: PlayedVoice[], end = false): VoiceChange => ({ at, t: at, ns: at * 1e9, notes: voices.map((v) => v.note), freqs: [], voices, late: false, lateBy: 0, end });

describe('LiveMidi', () => {
  it('sends note on and off at the heard time of each change, N + 12, velocity from the level', () => {
    const port = recorder();
    const midi = new LiveMidi((at) => 1000 + at * 1000);
    midi.use(port);
    midi.apply(change(1, [voice(1, 60, 1)]));
    midi.apply(change(1.5, []));
    expect(port.sent).toEqual([
      [[0x90, 72, 127], 2000],
      [[0x80, 72, 0], 2500],
    ]);
  });

  it('strikes a pitch again when a second voice of it starts, and ends it with the last', () => {
    const port = recorder();
    const midi = new LiveMidi((at) => at);
    midi.use(port);
    midi.apply(change(0, [voice(1, 60)]));
    midi.apply(change(1, [voice(1, 60), voice(2, 60)]));
    midi.apply(change(2, [voice(2, 60)]));
    midi.apply(change(3, []));
    expect(port.sent.map(([d, t]) => [d[0], t])).toEqual([
      [0x90, 0],
      [0x80, 1],
      [0x90, 1],
      [0x80, 3],
    ]);
  });

  it('panic: the note offs of what sounds, then all notes off; a change of output ends what sounded there; nothing goes to no output', () => {
    const port = recorder();
    const midi = new LiveMidi((at) => at);
    midi.use(port);
    midi.apply(change(0, [voice(1, 60), voice(2, 67)]));
    midi.panic();
    expect(port.sent.slice(2)).toEqual([
      [[0x80, 72, 0], undefined],
      [[0x80, 79, 0], undefined],
      [[0xb0, 123, 0], undefined],
    ]);
    midi.apply(change(1, [voice(3, 62)]));
    midi.use(null);
    expect(port.sent.slice(-2).map(([d]) => d)).toEqual([
      [0x80, 74, 0],
      [0xb0, 123, 0],
    ]);
    const count = port.sent.length;
    midi.apply(change(2, [voice(4, 64)]));
    expect(port.sent.length).toBe(count);
  });

  it('a stop: its voices end with note offs at their times, then all notes off once nothing sounds', () => {
    const port = recorder();
    const midi = new LiveMidi((at) => at);
    midi.use(port);
    midi.apply(change(0, [voice(1, 60), voice(2, 64)]));
    midi.stop();
    midi.apply(change(1, [voice(2, 64)]));
    midi.apply(change(2, []));
    expect(port.sent.slice(2)).toEqual([
      [[0x80, 72, 0], 1],
      [[0x80, 76, 0], 2],
      [[0xb0, 123, 0], 2],
    ]);
    // the next silence after that is only a silence
    midi.apply(change(3, [voice(3, 67)]));
    midi.apply(change(4, []));
    expect(port.sent.at(-1)).toEqual([[0x80, 79, 0], 4]);
  });
});
