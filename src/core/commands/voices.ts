import { ArgReader } from '../language/args';
import { defineCommand, INVALID, runningTask, type Invalid, type ParseContext, type RunContext } from '../language/command';
import { quote } from '../language/diagnostics';
import type { Token } from '../language/tokens';
import type { Task } from '../scheduler/task';
import { LimitError } from '../scheduler/limits';
import { defineSessionSlice } from '../session/state';
import { chainError, chainKey, MAX_HELD_CHAINS, withEffect, type Effect } from '../stream/fx';
import { MAX_ENVELOPE_SECONDS, TIMBRES, type Envelope, type Timbre, type VoiceOptions } from '../stream/voice';
import { readEffectOption, settleEffect } from './fx-args';
import { soundOnly } from './voices.python';

// How the notes a task starts sound: their level (amp), envelope (env) and timbre (synth).
// Each is a command that sets it for the notes started after it, and a note option
// `name=value` on add, beep and chord for that note alone (env's four values joined by commas).

/**
 * The voice settings of the session's tasks. A setting made in a line or a part
 * of a command belongs to the nearest spawned task or source around it (so
 * `amp 0.3` on a line of its own holds for the source's later lines); a note
 * takes each setting from the nearest task around it that has one. Weak: a task
 * whose parent has ended still finds the parent's settings, and none outlives its task.
 */
const voicesState = defineSessionSlice('voices', () => ({ settings: new WeakMap<Task<unknown>, VoiceOptions>() }));

/** The task a setting made in `task` belongs to: itself if it is a source or spawned task, else the nearest such ancestor. */
function settingScope(task: Task<unknown>, kind: 'task' | 'source'): Task<unknown> {
  let t = task;
  while (t.parent !== null && (kind === 'source' || t.kind === 'line' || t.kind === 'command')) t = t.parent;
  return t;
}

export function setOption(ctx: RunContext, options: VoiceOptions, scope: 'task' | 'source'): void {
  const owner = settingScope(runningTask(ctx), scope);
  const { settings } = voicesState.of(ctx);
  settings.set(owner, { ...settings.get(owner), ...options });
}

/** How a note started now in the running task sounds: its own options over the settings of the tasks around it. */
export function voiceOptionsFor(ctx: RunContext, own: VoiceOptions): VoiceOptions {
  const options: VoiceOptions = { ...own };
  if (own.fx !== undefined) options.fx = own.fx.map(settleEffect);
  const { settings } = voicesState.of(ctx);
  for (let t: Task<unknown> | null = runningTask(ctx); t !== null; t = t.parent) {
    const set = settings.get(t);
    if (set === undefined) continue;
    options.level ??= set.level;
    options.envelope ??= set.envelope;
    options.timbre ??= set.timbre;
    options.fx ??= set.fx;
  }
  if (options.fx !== undefined) checkChain(ctx, options.fx);
  return options;
}

/** The effects chain the notes started now in the running task go through ([]: none). */
export function chainFor(ctx: RunContext): readonly Effect[] {
  const { settings } = voicesState.of(ctx);
  for (let t: Task<unknown> | null = runningTask(ctx); t !== null; t = t.parent) {
    const fx = settings.get(t)?.fx;
    if (fx !== undefined) return fx;
  }
  return [];
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

function timbre(r: ArgReader, token: Token, text: string): Timbre | Invalid {
  const name = text.toLowerCase();
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

// ---- note options (amp=A env=A,D,S,R synth=T fx=NAME:ARG) ----------------

/**
 * Reads a note command's arguments with its options: the options are the
 * words `name=value` at the end; `read` gets a reader over the other words.
 */
export function withNoteOptions<A>(r: ArgReader, ctx: ParseContext, usage: string, read: (args: ArgReader) => A): { args: A; options: VoiceOptions } | Invalid {
  const words = r.rest();
  let split = words.length;
  while (split > 0 && words[split - 1].text.includes('=')) split--;
  const plain = words.slice(0, split);
  const options: VoiceOptions = {};
  for (const token of words.slice(split)) {
    const at = token.text.indexOf('=');
    const key = token.text.slice(0, at).toLowerCase();
    const value = token.text.slice(at + 1);
    if (key === 'amp') options.level = fraction(r, { ...token, text: value }, 'a level');
    else if (key === 'synth') {
      const t = timbre(r, token, value);
      if (t !== INVALID) options.timbre = t;
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
    } else {
      r.error(token, { message: `unknown note option ${quote(key)}: expected amp=, env=, synth= or fx=`, found: token.text, expected: 'amp=A, env=A,D,S,R, synth=T or fx=NAME:ARG', hint: `usage: ${usage}` });
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
    setOption(ctx, { level }, 'task');
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
    setOption(ctx, { envelope }, 'task');
  },
});

export const synth = defineCommand({
  name: 'synth',
  python: soundOnly('synth'),
  usage: 'synth TIMBRE',
  example: 'synth square',
  summary: `timbre of this source's notes from now on: ${TIMBRES.join(', ')} (default: the app's waveform menu, or sine)`,
  parse(r) {
    const token = r.word(`a timbre (${TIMBRES.join(', ')})`);
    r.end();
    if (token === undefined) return INVALID;
    return timbre(r, token, token.text);
  },
  *run(timbre, ctx) {
    setOption(ctx, { timbre }, 'source');
  },
});
