import { ArgReader } from '../language/args';
import { INVALID, type Invalid, type ParseContext } from '../language/command';
import { quote } from '../language/diagnostics';
import { UNITS, type Value } from '../language/values';
import type { Token } from '../language/tokens';
import { DEFAULT_RES, EFFECT_TYPES, MAX_FEEDBACK, MAX_HZ, MAX_RES, MIN_HZ, MIN_RES, type Effect } from '../stream/fx';

// Reading an effect: `fx NAME ARGS` (words) and the note option `fx=NAME:ARG:ARG` (one word, parts
// joined by colons) say the same things; both are read here, each error at its word.

/** What an effect's words say: an effect (a delay's TIME still a duration to evaluate when it runs), or `off`. */
export type EffectArg = Effect | 'off';

export const FX_USAGE = 'fx NAME ARGS';
export const FX_NAMES = `${EFFECT_TYPES.join(', ')} or off`;

/** A plain number within lo..hi, or NaN after reporting the word. */
function numberIn(r: ArgReader, token: Token | undefined, what: string, lo: number, hi: number): number {
  if (token === undefined) return NaN;
  const text = token.text;
  const value = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (value >= lo && value <= hi) return value;
  r.error(token, { message: `expected ${what} ${lo}..${hi}, found ${quote(text)}`, found: text, expected: `${what} ${lo}..${hi}` });
  return NaN;
}

const PLAIN = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A number within lo..hi: plain, checked now; or chance or a phrase's
 * parameter (`rand(400,2000)`, `CUT`, `500+rand(0,9)`), evaluated each time
 * the command runs (a placeholder until then, settled by settleEffect).
 */
function amountArg(r: ArgReader, ctx: ParseContext, token: Token | undefined, what: string, lo: number, hi: number): number {
  if (token !== undefined && !PLAIN.test(token.text) && /[(+]|^[A-Z_]{2,}[A-Z0-9_]*$/.test(token.text)) {
    const reader = new ArgReader([token], ctx.source, ctx.line, token, FX_USAGE);
    const value = reader.value(`${what} ${lo}..${hi}`);
    r.diagnostics.push(...reader.diagnostics);
    return value as number;
  }
  return numberIn(r, token, what, lo, hi);
}

/** `res=Q` (the command) or a bare Q (the note option's third part), if there. */
function resonance(r: ArgReader, ctx: ParseContext): number {
  if (r.remaining === 0) return DEFAULT_RES;
  const token = r.word('res=Q')!;
  const text = token.text.toLowerCase().startsWith('res=') ? token.text.slice(4) : token.text;
  return amountArg(r, ctx, { ...token, text }, 'a resonance (the filter\'s Q)', MIN_RES, MAX_RES);
}

/** An effect whose amounts were chance or parameters, as numbers (its ranges are checked where it is used: chainError). */
export function settleEffect(e: Effect): Effect {
  const settled: Record<string, unknown> = { ...e };
  for (const [key, v] of Object.entries(e)) {
    if (typeof v !== 'object' || v === null) continue;
    const value = v as Value;
    settled[key] = value.unit === 'units' ? value.amount / UNITS : NaN;
  }
  return settled as Effect;
}

/** Read an effect from `r`: its name, then its arguments; nothing may be left. */
export function readEffect(r: ArgReader, ctx: ParseContext): EffectArg | Invalid {
  const nameToken = r.word(`an effect (${FX_NAMES})`);
  if (nameToken === undefined) return INVALID;
  const name = nameToken.text.toLowerCase();
  let effect: EffectArg;
  switch (name) {
    case 'off':
      effect = 'off';
      break;
    case 'reverb':
      effect = { type: 'reverb', room: amountArg(r, ctx, r.word('a ROOM 0..1'), 'a reverb ROOM', 0, 1) };
      break;
    case 'delay': {
      const ns = r.duration('a delay TIME in beats (or 250ms)');
      effect = { type: 'delay', ns, feedback: amountArg(r, ctx, r.word(`a FEEDBACK 0..${MAX_FEEDBACK}`), 'a delay FEEDBACK', 0, MAX_FEEDBACK) };
      break;
    }
    case 'lpf':
    case 'hpf': {
      const hz = amountArg(r, ctx, r.word(`a cutoff in Hz (${MIN_HZ}..${MAX_HZ})`), `an ${name} cutoff in Hz`, MIN_HZ, MAX_HZ);
      effect = { type: name, hz, res: resonance(r, ctx) };
      break;
    }
    case 'distort':
      effect = { type: 'distort', amount: amountArg(r, ctx, r.word('an AMOUNT 0..1'), 'a distort AMOUNT', 0, 1) };
      break;
    default:
      r.error(nameToken, { message: `unknown effect ${quote(nameToken.text)}: expected ${FX_NAMES}`, found: nameToken.text, expected: FX_NAMES, hint: `usage: ${FX_USAGE}` });
      return INVALID;
  }
  r.end();
  return r.failed ? INVALID : effect;
}

/** The note option `fx=NAME:ARG:ARG` (its parts read as `fx` reads its words, each error at the option's word). */
export function readEffectOption(r: ArgReader, ctx: ParseContext, token: Token, value: string): EffectArg | Invalid {
  const parts = value.split(':').map((text) => ({ ...token, text }));
  const reader = new ArgReader(parts, ctx.source, ctx.line, token, 'fx=NAME:ARG:ARG');
  const effect = readEffect(reader, ctx);
  r.diagnostics.push(...reader.diagnostics);
  return effect;
}
