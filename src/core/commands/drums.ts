import type { ArgReader } from '../language/args';
import { defineCommand, INVALID, runningTask } from '../language/command';
import { closest, quote } from '../language/diagnostics';
import type { Token } from '../language/tokens';
import { DRUM_KEYS, DRUMS, MAX_DRUM_RATE, MIN_DRUM_RATE, type DrumName, type VoiceOptions } from '../stream/voice';
import { drumPython } from './drums.python';
import { readLevel, readPan, voiceOptionsFor } from './voices';

// A drum machine: `drum bd` starts a hit, a voice of this task with a length of
// its own, and goes on at once. The sound is src/core/synth/drum-kit.ts's.

const USAGE = 'drum NAME';

function drumName(r: ArgReader, token: Token): DrumName | undefined {
  const name = token.text.toLowerCase();
  if ((DRUMS as readonly string[]).includes(name)) return name as DrumName;
  const near = closest(name, DRUMS);
  r.error(token, {
    message: `unknown drum ${quote(token.text)}: expected one of ${DRUMS.join(', ')}`,
    found: token.text,
    expected: DRUMS.join('|'),
    hint: near !== undefined ? `did you mean "${near}"?` : `usage: ${USAGE}`,
  });
  return undefined;
}

function readRate(r: ArgReader, token: Token, text: string): number {
  const value = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (value >= MIN_DRUM_RATE && value <= MAX_DRUM_RATE) return value;
  r.error(token, { message: `expected a rate ${MIN_DRUM_RATE}..${MAX_DRUM_RATE} (2: an octave up, twice as fast), found ${quote(text)}`, found: text, expected: `a rate ${MIN_DRUM_RATE}..${MAX_DRUM_RATE}` });
  return NaN;
}

/** The options after the name: amp=A, pan=P, rate=R. */
function readOptions(r: ArgReader, words: readonly Token[]): VoiceOptions {
  const options: VoiceOptions = {};
  for (const token of words) {
    const at = token.text.indexOf('=');
    const key = at < 0 ? token.text : token.text.slice(0, at).toLowerCase();
    const value = token.text.slice(at + 1);
    if (at > 0 && key === 'amp') options.level = readLevel(r, token, value);
    else if (at > 0 && key === 'pan') options.pan = readPan(r, token, value);
    else if (at > 0 && key === 'rate') options.rate = readRate(r, token, value);
    else r.error(token, { message: `unknown drum option ${quote(token.text)}: expected amp=, pan= or rate=`, found: token.text, expected: 'amp=A, pan=P or rate=R', hint: `usage: ${USAGE} [amp=A] [pan=P] [rate=R]` });
  }
  return options;
}

export const drum = defineCommand({
  name: 'drum',
  python: drumPython,
  usage: USAGE,
  example: 'drum bd',
  summary: `a drum machine's hit, a voice of this task that rings for its own length and takes no time: ${DRUMS.join(' ')}; options amp= pan= rate=`,
  parse(r) {
    const token = r.word(`a drum (${DRUMS.join(', ')})`);
    if (token === undefined) return INVALID;
    const name = drumName(r, token);
    const options = readOptions(r, r.rest());
    return name === undefined || r.failed ? INVALID : { drum: name, options };
  },
  *run({ drum, options }, ctx) {
    const own = voiceOptionsFor(ctx, { level: options.level, pan: options.pan });
    ctx.stream.add(DRUM_KEYS[drum], runningTask(ctx).id, { level: own.level, pan: own.pan, drum, rate: options.rate });
  },
});
