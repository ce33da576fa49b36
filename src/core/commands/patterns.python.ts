import type { Invocation } from '../language/command';
import { Deferred } from '../language/deferred';
import type { Expr } from '../language/values';
import type { PythonForm, PythonScope } from '../python/form';
import { isShape, type ChordTone } from './chord-names';
import type { PatternLeaf, PatternStep, StepLength } from './pattern-items';
import { drawnOptions } from './voices.python';

// seq and euclid as asyncio: a seq is its steps written out, one await a leaf;
// a euclid is a for over its onsets; both sleep to each step's time on a grid from their start.

type Form<A> = PythonForm<A, Invocation>;
type SeqArgs = { step: StepLength; steps: PatternStep[] };
type EuclidArgs = { hits: boolean[]; step: StepLength; body: Invocation };

function ticks(e: Expr): boolean {
  switch (e.kind) {
    case 'tick':
      return true;
    case 'choose':
      return e.options.some(ticks);
    case 'sum':
      return ticks(e.left) || ticks(e.right);
    case 'rand':
      return ticks(e.low) || ticks(e.high);
    default:
      return false;
  }
}

/** Evaluated when it runs, and differently each time (chance, a tick): corotone evaluates it when the seq starts. */
function varies(value: unknown, py: PythonScope<Invocation>): boolean {
  return value instanceof Deferred && (py.drawsChance(value) || ticks(value.expr));
}

/** The seconds from now to the end of a leaf, `num / den` steps from the seq's start: `until(5, 2)`, `until(3)`. */
function untilEnd(until: string, num: number, den: number): string {
  const g = gcd(num, den);
  return den / g === 1 ? `${until}(${num / g})` : `${until}(${num / g}, ${den / g})`;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The Python of a tone, its root (or note) given as `root` when it was evaluated before. */
function toneWith(tone: ChordTone, root: string | undefined, py: PythonScope<Invocation>): string {
  if (!isShape(tone)) return root ?? py.note(tone);
  const r = root ?? py.note(tone.root);
  return tone.steps.map((s) => (s === 0 ? r : `${r} ${s < 0 ? '-' : '+'} ${Math.abs(s)}`)).join(', ');
}

export const seqPython: Form<SeqArgs> = {
  write({ step, steps }, py) {
    const length = py.claim('step');
    const start = py.claim('start');
    const until = py.claim('until');
    py.line(`${length} = ${py.duration(step.value)}`);
    // corotone evaluates a seq's notes when it starts, in order: chance and ticks are drawn here, as there.
    // Each place of a word is evaluated (A*2 draws twice), with one Python expression per word, so a tick counts on.
    const evaluated = new Map<PatternLeaf, (string | undefined)[]>();
    const sites = new Map<unknown, string>();
    for (const leaf of steps.flat()) {
      if (leaf.item.kind !== 'notes') continue;
      evaluated.set(
        leaf,
        leaf.item.notes.map((tone) => {
          const value = isShape(tone) ? tone.root : tone;
          if (!varies(value, py)) return undefined;
          const name = py.claim('key');
          let expr = sites.get(value);
          if (expr === undefined) sites.set(value, (expr = py.note(value)));
          py.line(`${name} = ${expr}`);
          return name;
        }),
      );
      for (const drawn of drawnOptions(leaf.item.options, py)) {
        const at = drawn.indexOf('=');
        py.line(`${drawn.slice(at + 1)}  # ${drawn.slice(0, at)}= of this note: drawn as corotone draws it; the program plays plain tones`);
      }
    }
    const notes = steps.flat().find((leaf) => leaf.item.kind === 'notes');
    if (notes?.item.kind === 'notes') py.options(notes.item.options);
    // Each leaf ends on a grid counted from the start (as corotone's exact one), so thirds of a step never drift.
    py.line(`${start} = asyncio.get_running_loop().time()`);
    py.line(`${until} = lambda steps, per=1: max(0, ${start} + ${length} * steps / per - asyncio.get_running_loop().time())`);
    steps.forEach((leaves, index) => {
      py.line(`# step ${index + 1}`);
      for (const leaf of leaves) {
        const seconds = untilEnd(until, index * leaf.den + leaf.end, leaf.den);
        const item = leaf.item;
        if (item.kind === 'notes') py.line(`await chord(${[seconds, ...item.notes.map((t, i) => toneWith(t, evaluated.get(leaf)?.[i], py))].join(', ')})`);
        else {
          if (item.kind === 'command') py.body(item.command, { main: false });
          py.line(`await asyncio.sleep(${seconds})`);
        }
      }
    });
  },
  children: ({ steps }) => steps.flat().flatMap((leaf) => (leaf.item.kind === 'command' ? [leaf.item.command] : [])),
  waits: ({ step }, facts) => facts.takesTime(step.value),
};

export const euclidPython: Form<EuclidArgs> = {
  write({ hits, step, body }, py) {
    const length = py.claim('step');
    const start = py.claim('start');
    const index = py.claim('index');
    const hit = py.claim('hit');
    py.line(`${length} = ${py.duration(step.value)}`);
    py.line(`${start} = asyncio.get_running_loop().time()  # the steps keep to a grid, whatever the command takes`);
    py.line(`for ${index}, ${hit} in enumerate((${hits.map((h) => (h ? 'True' : 'False')).join(', ')},), 1):`);
    py.block(() => {
      py.line(`if ${hit}:`);
      py.block(() => py.body(body, { main: false }));
      py.line(`await asyncio.sleep(max(0, ${start} + ${length} * ${index} - asyncio.get_running_loop().time()))`);
    });
  },
  children: ({ body }) => [body],
  waits: ({ step }, facts) => facts.takesTime(step.value),
};
