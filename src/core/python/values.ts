import { Deferred } from '../language/deferred';
import { UNITS, type Expr } from '../language/values';
import type { Diagnostic } from '../session/api';
import { pySeconds } from './code';
import type { PythonValues } from './form';

/**
 * The script's values as Python expressions: notes, durations (seconds, or
 * beats(N) once the script sets a tempo), choose/rand/tick, parameters. It
 * remembers which helpers the program then needs (chance, tick, cues, live).
 */
export class PythonExpressions implements PythonValues {
  usesChance = false;
  usesLive = false;
  ticks = 0;
  /** Each cue's name and the Python name of its asyncio.Event. */
  readonly cues = new Map<string, string>();

  constructor(
    /** The script sets a tempo: beats are written as beats(N), which reads the tempo when it runs. */
    readonly usesBpm: boolean,
    private readonly warnings: Diagnostic[],
    private readonly claim: (name: string) => string,
    private readonly param: (name: string) => string,
  ) {}

  need(helper: 'chance' | 'live'): void {
    if (helper === 'chance') this.usesChance = true;
    else this.usesLive = true;
  }

  spawnOptions(): string {
    return this.usesBpm ? ', context=own_tempo()' : '';
  }

  cue(name: string): string {
    let py = this.cues.get(name);
    if (py === undefined) {
      py = this.claim(`cue_${name}`);
      this.cues.set(name, py);
    }
    return py;
  }

  /** A note argument: a number, or the Python for its expression (rounded to a whole note, as corotone does, if rand is in it). */
  note(value: unknown): string {
    if (typeof value === 'number') return String(value);
    if (!(value instanceof Deferred)) return String(value);
    const py = this.deferred(value, 'note');
    return hasRand(value.expr) ? `math.floor(${py} + 0.5)` : py;
  }

  /** A phrase's argument (a note or a count of beats). */
  value(value: unknown): string {
    if (typeof value === 'number') return pyUnits(value);
    if (value instanceof Deferred) return this.deferred(value, 'value');
    return String(value);
  }

  /** A duration: seconds; beats are seconds at bpm 60, and beats(N) once the script sets a tempo. */
  duration(value: unknown): string {
    if (typeof value === 'number') return this.usesBpm ? `beats(${pySeconds(value)})` : pySeconds(value);
    if (!(value instanceof Deferred)) return String(value);
    if (isAbsolute(value.expr)) return this.deferred(value, 'seconds');
    const beats = this.deferred(value, 'value');
    return this.usesBpm ? `beats(${beats})` : beats;
  }

  drawsChance(value: unknown): boolean {
    return value instanceof Deferred && draws(value.expr);
  }

  /** The Python of a word's expression (a choose whose options draw chance too is said to differ). */
  private deferred(d: Deferred, kind: 'note' | 'value' | 'seconds'): string {
    if (nestedChance(d.expr)) {
      this.warnings.push({
        ...d.at,
        message: `not faithful: "${d.text}": Python evaluates every option of choose(...), so it draws the chance of each; corotone draws only the chosen one's, so the seeded sequence differs from here on`,
      });
    }
    return this.expr(d.expr, kind);
  }

  private expr(e: Expr, kind: 'note' | 'value' | 'seconds'): string {
    switch (e.kind) {
      case 'number':
        return kind === 'note' ? String(Math.round(e.units / UNITS)) : pyUnits(e.units);
      case 'note':
        return String(e.units / UNITS);
      case 'absolute':
        return pySeconds(e.ns);
      case 'param':
        return this.param(e.name);
      case 'const':
        return e.value.unit === 'ns' ? pySeconds(e.value.amount) : pyUnits(e.value.amount);
      case 'sum':
        return `${this.expr(e.left, kind)} ${e.sign === 1 ? '+' : '-'} ${this.expr(e.right, kind)}`;
      case 'choose':
        this.usesChance = true;
        return `choose(${e.options.map((o) => this.expr(o, kind)).join(', ')})`;
      case 'tick':
        return `tick(${++this.ticks}, ${e.options.map((o) => this.expr(o, kind)).join(', ')})`;
      case 'rand':
        this.usesChance = true;
        return `rand(${this.expr(e.low, kind)}, ${this.expr(e.high, kind)})`;
    }
  }
}

/** Whether a duration surely takes time (one known only when it runs is taken to). */
export function takesTime(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (value instanceof Deferred) {
    const e = value.expr;
    if (e.kind === 'number') return e.units > 0;
    if (e.kind === 'absolute') return e.ns > 0;
    return true;
  }
  return false;
}

/** A unitless amount in billionths as a Python number: 250_000_000 is 0.25. */
export function pyUnits(units: number): string {
  return units < 0 ? `-${pySeconds(-units)}` : pySeconds(units);
}

function draws(e: Expr): boolean {
  switch (e.kind) {
    case 'choose':
    case 'rand':
      return true;
    case 'sum':
      return draws(e.left) || draws(e.right);
    case 'tick':
      return e.options.some(draws);
    default:
      return false;
  }
}

/** A choose (or tick) with an option that draws chance: evaluated eagerly in Python, lazily in corotone. */
function nestedChance(e: Expr): boolean {
  switch (e.kind) {
    case 'choose':
    case 'tick':
      return e.options.some(draws) || e.options.some(nestedChance);
    case 'sum':
      return nestedChance(e.left) || nestedChance(e.right);
    case 'rand':
      return nestedChance(e.low) || nestedChance(e.high);
    default:
      return false;
  }
}

function hasRand(e: Expr): boolean {
  switch (e.kind) {
    case 'rand':
      return true;
    case 'sum':
      return hasRand(e.left) || hasRand(e.right);
    case 'choose':
    case 'tick':
      return e.options.some(hasRand);
    default:
      return false;
  }
}

/** An absolute duration (250ms, 1.5s, and sums or choices of them). */
function isAbsolute(e: Expr): boolean {
  switch (e.kind) {
    case 'absolute':
      return true;
    case 'const':
      return e.value.unit === 'ns';
    case 'sum':
      return isAbsolute(e.left);
    case 'choose':
    case 'tick':
      return e.options.length > 0 && isAbsolute(e.options[0]);
    case 'rand':
      return isAbsolute(e.low);
    default:
      return false;
  }
}
