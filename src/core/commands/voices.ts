import { ArgReader } from '../language/args';
import { defineCommand, INVALID, runningTask, type Invalid, type ParseContext, type RunContext } from '../language/command';
import { quote } from '../language/diagnostics';
import type { Token } from '../language/tokens';
import { changeSettings, settingsIn } from '../language/task-settings';
import { LimitError } from '../scheduler/limits';
import { chainError, chainKey, MAX_HELD_CHAINS, withEffect, type Effect } from '../stream/fx';
import { MAX_ENVELOPE_SECONDS, TIMBRES, type Envelope, type Timbre, type VoiceOptions } from '../stream/voice';
import { readEffectOption, settleEffect } from './fx-args';
import { chanceName, chanceNumber, isChanceValue } from './option-values';
import { soundOnly } from './voices.python';

const orNull = <T>(value: T | Invalid): T | null => (value === INVALID ? null : value);

// How the notes a task starts sound: their level (amp), envelope (env), timbre (synth) and place (pan).
// Each is a command that sets it for the notes the task starts after it (and a task it
// spawns starts with it: task-settings.ts), and a note option `name=value` on add, beep
// and chord for that note alone (env's four values joined by commas).

export function setOption(ctx: RunContext, voice: VoiceOptions): void {
  changeSettings(ctx, runningTask(ctx), { voice });
}

/** How a note started now in the running task sounds: its own options over the settings of its task (task-settings.ts). */
export function voiceOptionsFor(ctx: RunContext, own: VoiceOptions): VoiceOptions {
  const options: VoiceOptions = { ...own };
  if (own.fx !== undefined) options.fx = own.fx.map(settleEffect);
  const set = settingsIn(ctx, runningTask(ctx)).voice as Record<string, unknown>;
  const into = options as Record<string, unknown>;
  for (const key in set) into[key] ??= set[key];
  if (options.fx !== undefined) checkChain(ctx, options.fx);
  return options;
}

/** The effects chain the notes started now in the running task go through ([]: none). */
export function chainFor(ctx: RunContext): readonly Effect[] {
  return settingsIn(ctx, runningTask(ctx)).voice.fx ?? [];
}

/** A note's chain must be whole and, if no held voice has it yet, one more than MAX_HELD_CHAINS must not be held (the note's line fails). */
function checkChain(ctx: RunContext, fx: readonly Effect[]): void {
  const problem = chainError(fx);
  if (problem !== null) throw new LimitError(problem, null);
  if (fx.length === 0) return;
  const key = chainKey(fx);
  const held = new Set<string>();
  for (const v of ctx.stream.voices) if (v.fx !== undefined) held.add(chainKey(v.fx));
  if (!held.has(key) && held.size >= MAX_HELD_CHAINS) {
    throw new LimitError(`too many effect chains at once: the held notes already go through ${MAX_HELD_CHAINS} different ones, the most (each is an instance of its effects); end some, or give notes the same chain`, null);
  }
}

// ---- reading values ------------------------------------------------------

function fraction(r: ArgReader, token: Token, what: string): number {
  const value = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(token.text) ? Number(token.text) : NaN;
  if (value >= 0 && value <= 1) return value;
  r.error(token, { message: `expected ${what} 0..1, found ${quote(token.text)}`, found: token.text, expected: `${what} 0..1` });
  return NaN;
}

function seconds(r: ArgReader, token: Token, text: string, what: string): number {
  const value = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (value >= 0 && value <= MAX_ENVELOPE_SECONDS) return value;
  r.error(token, { message: `expected ${what} in seconds 0..${MAX_ENVELOPE_SECONDS}, found ${quote(text)}`, found: text, expected: `${what} in seconds 0..${MAX_ENVELOPE_SECONDS}` });
  return NaN;
}

/** Sonic Pi's names for the timbres that corotone names otherwise. */
const TIMBRE_ALIASES: Record<string, Timbre> = { saw: 'sawtooth' };

/** A pan, -1 (left) .. 1 (right), or NaN after reporting why at `token`. */
export function readPan(r: ArgReader, token: Token, text: string): number {
  const value = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (value >= -1 && value <= 1) return value;
  r.error(token, { message: `expected a pan -1..1 (left .. right), found ${quote(text)}`, found: text, expected: 'a pan -1..1' });
  return NaN;
}

/** A level 0..1, or NaN after reporting why at `token`. */
export function readLevel(r: ArgReader, token: Token, text: string): number {
  return fraction(r, { ...token, text }, 'a level');
}

function timbre(r: ArgReader, token: Token, text: string): Timbre | Invalid {
  const name = TIMBRE_ALIASES[text.toLowerCase()] ?? text.toLowerCase();
  if ((TIMBRES as readonly string[]).includes(name)) return name as Timbre;
  r.error(token, { message: `unknown timbre ${quote(text)}: expected one of ${TIMBRES.join(', ')}`, found: text, expected: TIMBRES.join('|') });
  return INVALID;
}

/** `env=A,D,S,R`: the four values of `env` in one word (errors at that word). */
function envelope(r: ArgReader, token: Token, texts: string[]): Envelope | Invalid {
  const [a, d, s, rel] = texts;
  const before = r.diagnostics.length;
  const result = {
    attack: seconds(r, token, a, 'attack'),
    decay: seconds(r, token, d, 'decay'),
    sustain: fraction(r, { ...token, text: s }, 'a sustain level'),
    release: seconds(r, token, rel, 'release'),
  };
  return r.diagnostics.length > before ? INVALID : result;
}

// ---- note options (amp=A env=A,D,S,R synth=T pan=P fx=NAME:ARG) ----------

/**
 * Reads a note command's arguments with its options: the options are the
 * words `name=value` at the end; `read` gets a reader over the other words.
 */
export function withNoteOptions<A>(
  r: ArgReader,
  ctx: ParseContext,
  usage: string,
  read: (args: ArgReader) => A,
  /** Options of the command's own (`chord`'s invert= and num=), read before `read` runs. */
  own: Record<string, (token: Token, value: string) => void> = {},
): { args: A; options: VoiceOptions } | Invalid {
  const words = r.rest();
  let split = words.length;
  while (split > 0 && words[split - 1].text.includes('=')) split--;
  const plain = words.slice(0, split);
  const options: VoiceOptions = {};
  for (const token of words.slice(split)) {
    const at = token.text.indexOf('=');
    const key = token.text.slice(0, at).toLowerCase();
    const value = token.text.slice(at + 1);
    // amp= and synth= may be chance (amp=rand(0.05,0.2), synth=choose(saw,square)), drawn as the note starts.
    if (key === 'amp') options.level = isChanceValue(value) ? chanceNumber(r, ctx, token, value, 'a level') : fraction(r, { ...token, text: value }, 'a level');
    else if (key === 'pan') options.pan = readPan(r, token, value);
    else if (key === 'synth') {
      const t = isChanceValue(value) ? chanceName(r, ctx, token, value, (w) => orNull(timbre(r, w, w.text))) : timbre(r, token, value);
      if (t !== INVALID && t !== null) options.timbre = t as Timbre;
    } else if (key === 'env') {
      const parts = value.split(',');
      if (parts.length !== 4) {
        r.error(token, { message: `expected env=ATTACK,DECAY,SUSTAIN,RELEASE (four values), found ${quote(token.text)}`, found: token.text, expected: 'env=A,D,S,R' });
      } else {
        const e = envelope(r, token, parts);
        if (e !== INVALID) options.envelope = e;
      }
    } else if (key === 'fx') {
      // fx=NAME:ARG (again to chain another kind, fx=off for none): this note's chain instead of the task's
      const effect = readEffectOption(r, ctx, token, value);
      if (effect !== INVALID) options.fx = effect === 'off' ? [] : withEffect(options.fx ?? [], effect);
    } else if (Object.hasOwn(own, key)) own[key](token, value);
    else {
      const known = ['amp=', 'env=', 'synth=', 'pan=', 'fx=', ...Object.keys(own).map((k) => `${k}=`)];
      const listed = `${known.slice(0, -1).join(', ')} or ${known[known.length - 1]}`;
      r.error(token, { message: `unknown note option ${quote(key)}: expected ${listed}`, found: token.text, expected: 'amp=A, env=A,D,S,R, synth=T, pan=P or fx=NAME:ARG', hint: `usage: ${usage}` });
    }
  }
  // Without plain words, the original reader (already at its end) reports what is missing at the line's end.
  const reader = plain.length === 0 ? r : new ArgReader(plain, ctx.source, ctx.line, plain[0], usage);
  const args = read(reader);
  if (reader !== r) r.diagnostics.push(...reader.diagnostics);
  return r.failed ? INVALID : { args, options };
}

// ---- the commands ----------------------------------------------------------

export const amp = defineCommand({
  name: 'amp',
  python: soundOnly('amp'),
  usage: 'amp A',
  example: 'amp 0.3',
  summary: 'level 0..1 of the notes this task starts from now on (default 0.1: eight notes peak at 0.8)',
  parse(r) {
    const token = r.word('a level 0..1');
    r.end();
    if (token === undefined) return INVALID;
    const level = fraction(r, token, 'a level');
    return r.failed ? INVALID : level;
  },
  *run(level, ctx) {
    setOption(ctx, { level });
  },
});

export const env = defineCommand({
  name: 'env',
  python: soundOnly('env'),
  usage: 'env A D S R',
  example: 'env 0.01 0.1 0.5 0.3',
  summary: 'envelope of the notes this task starts from now on: attack, decay, release in seconds, sustain 0..1 (default 0.003 0 1 0.003)',
  parse(r) {
    const tokens: Token[] = [];
    for (const what of ['an attack in seconds', 'a decay in seconds', 'a sustain level 0..1', 'a release in seconds']) {
      const token = r.word(what);
      if (token !== undefined) tokens.push(token);
    }
    r.end();
    if (tokens.length < 4) return INVALID;
    const before = r.diagnostics.length;
    const result = {
      attack: seconds(r, tokens[0], tokens[0].text, 'attack'),
      decay: seconds(r, tokens[1], tokens[1].text, 'decay'),
      sustain: fraction(r, tokens[2], 'a sustain level'),
      release: seconds(r, tokens[3], tokens[3].text, 'release'),
    };
    return r.diagnostics.length > before ? INVALID : result;
  },
  *run(envelope, ctx) {
    setOption(ctx, { envelope });
  },
});

export const synth = defineCommand({
  name: 'synth',
  python: soundOnly('synth'),
  usage: 'synth TIMBRE',
  example: 'synth square',
  summary: `timbre of the notes this task starts from now on: ${TIMBRES.join(', ')} (default: the waveform menu, or sine); a spawned task starts with it`,
  parse(r) {
    const token = r.word(`a timbre (${TIMBRES.join(', ')})`);
    r.end();
    if (token === undefined) return INVALID;
    return timbre(r, token, token.text);
  },
  *run(timbre, ctx) {
    setOption(ctx, { timbre });
  },
});

export const pan = defineCommand({
  name: 'pan',
  python: soundOnly('pan'),
  usage: 'pan P',
  example: 'pan -0.5',
  summary: 'place the notes this task starts from now on: -1 left .. 0 centre (default) .. 1 right, equal power',
  parse(r) {
    const token = r.word('a pan -1..1');
    r.end();
    if (token === undefined) return INVALID;
    const value = readPan(r, token, token.text);
    return r.failed ? INVALID : value;
  },
  *run(value, ctx) {
    setOption(ctx, { pan: value });
  },
});
