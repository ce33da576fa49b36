/**
 * The OSC messages corotone sends (the README lists them):
 * - `/corotone/note/on`  note (int, corotone's number: 60 is C5), frequency (float, Hz),
 *   level (float, 0..1), task (string: the live loop, the named task (t1) or the source
 *   that plays it), source (string), voice (int, the same in its note/off);
 * - `/corotone/note/off` note, task, source, voice;
 * - `/corotone/cue`      name (string), source (string).
 * What happens at one logical instant goes in one bundle, stamped with that instant.
 */
import type { OscMessageInput } from 'osc-min';
import type { Player } from '../../core/midi/players';
import type { VoiceInfo } from '../../core/stream/voice';
import { noteFrequency } from '../../core/stream/notes';

export const NOTE_ON = '/corotone/note/on';
export const NOTE_OFF = '/corotone/note/off';
export const CUE = '/corotone/cue';

const int = (value: number) => ({ type: 'integer' as const, value });
const float = (value: number) => ({ type: 'float' as const, value });
const string = (value: string) => ({ type: 'string' as const, value });

export function noteOn(voice: VoiceInfo, player: Player): OscMessageInput {
  return { address: NOTE_ON, args: [int(voice.note), float(noteFrequency(voice.note)), float(voice.level), string(player.name), string(player.source), int(voice.id)] };
}

export function noteOff(voice: VoiceInfo, player: Player): OscMessageInput {
  return { address: NOTE_OFF, args: [int(voice.note), string(player.name), string(player.source), int(voice.id)] };
}

export function cue(name: string, source: string): OscMessageInput {
  return { address: CUE, args: [string(name), string(source)] };
}
