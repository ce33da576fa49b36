import type { ArgReader } from '../language/args';
import { commandError, defineCommand, INVALID, runningTask } from '../language/command';
import { quote } from '../language/diagnostics';
import type { Token } from '../language/tokens';
import { sleepNs } from '../scheduler/ops';
import { MAX_DRUM_RATE, MIN_DRUM_RATE, SAMPLE_KEY } from '../stream/voice';
import { playSeconds } from '../synth/sample-bank';
import { secondsToNs } from '../time';
import { samplesOf } from './sample-load';
import { samplePython, type SampleArgs } from './samples.python';
import { readLevel, readPan, voiceOptionsFor } from './voices';

// `sample PATH`: an audio file as a voice of this task, as `drum NAME` is a
// drum machine's hit. The host decodes the files a script names before it runs
// (sample-load.ts), so the command only looks its sample up: one the host has
// not loaded is a located error, the same every run.

const USAGE = 'sample PATH';
const OPTIONS = '[amp=A] [pan=P] [rate=R] [start=S] [end=E] [loop]';

function number(text: string): number {
  return /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
}

function readRate(r: ArgReader, token: Token, text: string): number {
  const value = number(text);
  if (value >= MIN_DRUM_RATE && value <= MAX_DRUM_RATE) return value;
  r.error(token, { message: `expected a rate ${MIN_DRUM_RATE}..${MAX_DRUM_RATE} (2: an octave up, twice as fast), found ${quote(text)}`, found: text, expected: `a rate ${MIN_DRUM_RATE}..${MAX_DRUM_RATE}` });
  return NaN;
}

function readPoint(r: ArgReader, token: Token, key: string, text: string): number {
  const value = number(text);
  if (value >= 0 && value <= 1) return value;
  r.error(token, { message: `expected ${key}= a point of the file 0..1 (0 its start, 1 its end), found ${quote(text)}`, found: text, expected: `${key}=0..1` });
  return NaN;
}

/** The options after the path: amp=, pan=, rate=, start=, end=, loop. */
function readOptions(r: ArgReader, args: SampleArgs, words: readonly Token[]): void {
  for (const token of words) {
    const at = token.text.indexOf('=');
    const key = at < 0 ? token.text.toLowerCase() : token.text.slice(0, at).toLowerCase();
    const value = token.text.slice(at + 1);
    if (at > 0 && key === 'amp') args.level = readLevel(r, token, value);
    else if (at > 0 && key === 'pan') args.pan = readPan(r, token, value);
    else if (at > 0 && key === 'rate') args.rate = readRate(r, token, value);
    else if (at > 0 && (key === 'start' || key === 'end')) args[key] = readPoint(r, token, key, value);
    else if (at < 0 && key === 'loop') args.loop = true;
    else r.error(token, { message: `unknown sample option ${quote(token.text)}: expected amp=, pan=, rate=, start=, end= or loop`, found: token.text, expected: 'amp=A, pan=P, rate=R, start=S, end=E or loop', hint: `usage: ${USAGE} ${OPTIONS}` });
  }
  if (!r.failed && !(args.start < args.end)) {
    const last = words[words.length - 1];
    r.error(last, { message: `start=${args.start} is not before end=${args.end}: a sample plays from start to a later end`, found: `start=${args.start} end=${args.end}`, expected: 'start < end' });
  }
}

export const sample = defineCommand({
  name: 'sample',
  python: samplePython,
  usage: USAGE,
  example: 'sample resources/samples/plip.wav',
  summary: "an audio file (WAV, FLAC, OGG, MP3; its path from the script's folder) as a voice of this task that plays once and takes no time; amp= pan= rate= start= end= loop",
  parse(r, ctx) {
    const token = r.word('the path of an audio file (WAV, FLAC, OGG or MP3)');
    if (token === undefined) return INVALID;
    const slash = Math.max(ctx.source.lastIndexOf('/'), ctx.source.lastIndexOf('\\'));
    const folder = token.text.startsWith('/') || slash < 0 ? '' : ctx.source.slice(0, slash);
    const args: SampleArgs = { path: token.text, folder, start: 0, end: 1, loop: false };
    readOptions(r, args, r.rest());
    return r.failed ? INVALID : args;
  },
  *run(args, ctx, invocation) {
    const { bank, refusals } = samplesOf(ctx);
    const info = bank.find(ctx.source, args.path);
    if (info === undefined) {
      const refused = refusals.get(`${ctx.source}\0${args.path}`);
      if (refused !== undefined) throw commandError(invocation, { message: refused.message, found: refused.found, expected: refused.expected });
      throw commandError(invocation, {
        message: `sample ${quote(args.path)} is not loaded: a script's samples are loaded before it runs, and a typed line's (or a file dropped on the app) before the line runs`,
        found: args.path,
        expected: 'an audio file this session has loaded',
      });
    }
    const own = voiceOptionsFor(ctx, { level: args.level, pan: args.pan });
    const play = { id: info.id, start: args.start, end: args.end };
    const ns = args.loop ? Infinity : Math.max(1, secondsToNs(playSeconds(info, play, args.rate)));
    const id = ctx.stream.add(SAMPLE_KEY, runningTask(ctx).id, {
      level: own.level,
      pan: own.pan,
      rate: args.rate,
      fx: own.fx,
      sample: args.loop ? { ...play, loop: true, ns } : { ...play, ns },
    });
    if (!args.loop || id === null) return;
    // A loop sounds until its task ends: cancelled (race, timeout, cancel), stopped, or the session's end.
    try {
      for (;;) yield* sleepNs(secondsToNs(3600));
    } finally {
      ctx.stream.stopVoice(id);
    }
  },
});
