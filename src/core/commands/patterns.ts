import { ArgReader } from '../language/args';
import { commandError, defineCommand, INVALID, runningTask, type Invocation, type ParseContext, type RunContext } from '../language/command';
import { Deferred } from '../language/deferred';
import { quote } from '../language/diagnostics';
import { runInvocation } from '../language/interpreter';
import { DEFAULT_BPM, exactNow, rational, sleepUntil, type Rational } from '../language/music';
import { tempoIn } from '../language/task-settings';
import { bjorklund, stepsOf } from '../language/theory';
import type { Token } from '../language/tokens';
import { CONSTANT_ENV, evaluate, isConstant, type Value } from '../language/values';
import { sleepNs } from '../scheduler/ops';
import { parseBody } from './body';
import { chordNotes } from './chord-names';
import { holdNotes } from './notes';
import { readPattern, type DegreeScale, type PatternStep, type StepLength } from './pattern-items';
import { euclidPython, seqPython } from './patterns.python';
import { withNoteOptions } from './voices';

// Patterns: steps on an exact grid. `seq` plays its items one a step, `euclid`
// runs a command on the onsets of Euclid's rhythm. Each runs in its own task
// (the line's), its notes are that task's voices, and each step is a fact the
// timeline draws. The grid is counted from the pattern's start in exact time,
// so steps land on their exact times however long a step's command took.

const SEQ_USAGE = 'seq STEP ITEM ...';
const EUCLID_USAGE = 'euclid K N STEP CMD';
/** The most steps of a euclid (README Limits). */
export const MAX_EUCLID_STEPS = 1024;

/** Reads STEP: a duration of more than 0 (in beats, or 250ms), known when the line is read or when it runs. */
function readStep(r: ArgReader): StepLength | null {
  const token = r.peek();
  const ns: unknown = r.duration('a step in beats');
  if (!(ns instanceof Deferred) || token === undefined) return null;
  if (isConstant(ns.expr) && evaluate(ns.expr, CONSTANT_ENV).amount === 0) {
    r.error(token, { message: `expected a step of more than 0 beats, found ${quote(ns.text)}`, found: ns.text, expected: 'a step of more than 0 beats' });
    return null;
  }
  // Kept a value (not ns from now): the grid needs the step's exact length at the tempo.
  const value = new Deferred(ns.expr, 'value', ns.text, ns.at) as unknown as Value;
  return { value, col: ns.at.col, endCol: ns.at.endCol };
}

/** The step's exact length in ns at the task's tempo now (a beat is 60/bpm s). */
function stepNs(step: StepLength, ctx: RunContext, invocation: Invocation): Rational {
  const { value } = step;
  if (value.amount <= 0) {
    throw commandError(invocation, { message: `expected a step of more than 0 beats, found one of ${value.amount}`, expected: 'a step of more than 0 beats' }, step);
  }
  if (value.unit === 'ns') return { p: BigInt(value.amount), q: 1n };
  // the running task's tempo (its own, or the one it was spawned with), as a wait's
  const bpm = tempoIn(ctx, ctx.scheduler.current)?.bpm ?? { p: BigInt(DEFAULT_BPM), q: 1n };
  return rational(BigInt(value.amount) * 60n * bpm.q, bpm.p);
}

/** `scale=ROOT:NAME` (`scale=C3:major`): the scale whose degrees the pattern's whole numbers are. */
function readDegreeScale(r: ArgReader, ctx: ParseContext, token: Token, value: string): DegreeScale | null {
  const colon = value.lastIndexOf(':');
  const at = token.text.length - value.length;
  const rootToken: Token = { text: value.slice(0, Math.max(colon, 0)), col: token.col + at, endCol: token.col + at + Math.max(colon, 0) };
  const nameToken: Token = { text: value.slice(colon + 1), col: rootToken.endCol + 1, endCol: token.endCol };
  if (colon <= 0 || nameToken.text === '') {
    r.error(token, { message: `expected scale=ROOT:NAME, like scale=C3:major, found ${quote(token.text)}`, found: token.text, expected: 'scale=ROOT:NAME', hint: 'seq 0.25 0 2 4 scale=C3:major plays degrees 0, 2 and 4 of C major' });
    return null;
  }
  const reader = new ArgReader([rootToken], ctx.source, ctx.line, rootToken, SEQ_USAGE);
  const root = reader.note();
  r.diagnostics.push(...reader.diagnostics);
  const named = stepsOf('scale', nameToken.text);
  if (!named.ok) r.error(nameToken, { message: named.message, found: nameToken.text, expected: 'a scale name', hint: named.hint });
  return reader.failed || !named.ok ? null : { root, steps: named.steps };
}

/** The exact time `steps` (a fraction num/den of steps) after `start`. */
function gridTime(start: Rational, length: Rational, num: bigint, den: bigint): Rational {
  return rational(start.p * length.q * den + length.p * num * start.q, start.q * length.q * den);
}

export const seq = defineCommand({
  name: 'seq',
  python: seqPython,
  usage: SEQ_USAGE,
  example: 'seq 0.25 C5 E5 [G5 A5] _ C5*2 E3:minor',
  summary: 'play ITEMs one after another, STEP beats each: a note, a chord (E3:minor), _ (a rest), [A B] (both in one step), A*2, a drum, a degree of scale=C3:major; amp= env= synth=',
  parse(r, ctx) {
    let scale: DegreeScale | null = null;
    const own = { scale: (token: Token, value: string) => void (scale = readDegreeScale(r, ctx, token, value)) };
    const read = withNoteOptions(r, ctx, SEQ_USAGE, (args) => {
      const step = readStep(args);
      const tokens = args.rest();
      if (tokens.length === 0) {
        args.missing('the items of the pattern: notes, _ (a rest), [A B], A*2');
        return null;
      }
      const steps = readPattern(args, ctx, tokens, SEQ_USAGE, scale);
      return step === null || steps === null ? null : { step, steps };
    }, own);
    if (read === INVALID || read.args === null) return INVALID;
    const { options } = read;
    // Each note leaf gets the options: resolved with its notes, a chance in them is drawn for each note.
    const steps = read.args.steps.map((leaves) => leaves.map((leaf) => (leaf.item.kind === 'notes' ? { ...leaf, item: { ...leaf.item, options } } : leaf)));
    return { step: read.args.step, steps };
  },
  *run({ step, steps }, ctx, invocation) {
    const length = stepNs(step, ctx, invocation);
    const start = exactNow(ctx);
    const taskId = runningTask(ctx).id;
    for (let s = 0; s < steps.length; s++) {
      const leaves: PatternStep = steps[s];
      ctx.fact?.({ type: 'step', source: ctx.source, taskId, index: s, hit: leaves.some((l) => l.item.kind !== 'rest') });
      for (const leaf of leaves) {
        const den = BigInt(leaf.den);
        const end = gridTime(start, length, BigInt(s) * den + BigInt(leaf.end), den);
        const item = leaf.item;
        if (item.kind === 'notes') yield* holdNotes(ctx, chordNotes(item.notes, invocation), sleepUntil(ctx, end), item.options ?? {});
        else {
          if (item.kind === 'command') yield* runInvocation(item.command, ctx);
          yield* sleepNs(sleepUntil(ctx, end));
        }
      }
    }
  },
});

export const euclid = defineCommand({
  name: 'euclid',
  python: euclidPython,
  usage: EUCLID_USAGE,
  example: 'euclid 3 8 0.25 beep C5 0.125',
  summary: "run CMD on K of N steps of STEP beats, spread as evenly as they go (Euclid's rhythm: 3 8 hits steps 0, 3, 6)",
  sequence: true,
  parse(r, ctx) {
    const count = (what: string, low: number, high: number): number => {
      const word = r.word(what);
      if (word === undefined) return NaN;
      if (/^\d+$/.test(word.text) && Number(word.text) >= low && Number(word.text) <= high) return Number(word.text);
      r.error(word, { message: `expected ${what} ${low}..${high}, found ${quote(word.text)}`, found: word.text, expected: `a whole number ${low}..${high}` });
      return NaN;
    };
    const hitsWord = r.peek();
    const hits = count('a number of hits K', 0, MAX_EUCLID_STEPS);
    const of = count('a number of steps N', 1, MAX_EUCLID_STEPS);
    if (hits > of && hitsWord !== undefined) {
      r.error(hitsWord, { message: `expected at most N = ${of} hits, found ${hits}`, found: hitsWord.text, expected: `a number of hits 0..${of}` });
    }
    const step = r.failed ? null : readStep(r);
    if (r.failed || step === null) {
      r.rest();
      return INVALID;
    }
    const body = parseBody(r.rest(), r, ctx);
    return body === null ? INVALID : { hits: bjorklund(hits, of), step, body };
  },
  *run({ hits, step, body }, ctx, invocation) {
    const length = stepNs(step, ctx, invocation);
    const start = exactNow(ctx);
    const taskId = runningTask(ctx).id;
    for (let s = 0; s < hits.length; s++) {
      ctx.fact?.({ type: 'step', source: ctx.source, taskId, index: s, hit: hits[s] });
      if (hits[s]) yield* runInvocation(body, ctx);
      yield* sleepNs(sleepUntil(ctx, gridTime(start, length, BigInt(s + 1), 1n)));
    }
  },
});
