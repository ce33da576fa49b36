import type { Invocation } from '../language/command';
import type { PythonForm, PythonScope, PythonValues } from '../python/form';
import { isShape, type ChordTone } from './chord-names';
import { drawnOptions } from './voices.python';

// The notes as asyncio: `notes` holds the sounding voices; chord and beep are coroutines at the top of the program.

type Form<A> = PythonForm<A, Invocation>;
type Sounding = { ns: number; notes: readonly ChordTone[]; options?: object };

/** `await chord(...)`, with the notes the script wrote by name beside the numbers. */
function awaitCall(call: string, py: PythonScope<Invocation>): void {
  const names = py.text.split(/\s+/).filter((word) => /^[A-Ga-g][#b]?-?\d+(?::\S+)?$/.test(word));
  py.line(`await ${call}${names.length > 0 ? `  # ${names.join(' ')}` : ''}`);
}

export const addPython: Form<{ note: number; options?: object }> = {
  addsNotes: true,
  write({ note, options }, py) {
    py.options(options);
    py.line(`notes.add(${py.note(note)})`);
    for (const drawn of drawnOptions(options, py)) {
      const at = drawn.indexOf('=');
      py.line(`${drawn.slice(at + 1)}  # ${drawn.slice(0, at)}=: drawn as corotone draws it; the program plays plain tones`);
    }
  },
};

export const removePython: Form<number> = {
  write(note, py) {
    py.line(`notes.discard(${py.note(note)})`);
  },
};

/** A chord's tone: a note, or a chord by name whose root is known only when it runs (its root drawn once). */
function tonePython(tone: ChordTone, py: PythonValues): string {
  if (!isShape(tone)) return py.note(tone);
  const root = py.note(tone.root);
  if (py.drawsChance(tone.root)) return `*[r + s for r in (${root},) for s in (${tone.steps.join(', ')},)]`;
  return tone.steps.map((s) => (s === 0 ? root : `${root} ${s < 0 ? '-' : '+'} ${Math.abs(s)}`)).join(', ');
}

const chordCall = ({ ns, notes, options }: Sounding, py: PythonValues) =>
  `chord(${[py.duration(ns), ...notes.map((n) => tonePython(n, py)), ...drawnOptions(options, py)].join(', ')})`;

export const chordPython: Form<Sounding> = {
  call: chordCall,
  write(args, py) {
    py.options(args.options);
    awaitCall(chordCall(args, py), py);
  },
  waits: ({ ns }, facts) => facts.takesTime(ns),
};

function beepCall({ ns, notes, options }: Sounding, py: PythonValues): string {
  const drawn = drawnOptions(options, py).map((o) => `, ${o}`).join('');
  // corotone draws the duration's chance before the note's: keywords keep that order.
  if (py.drawsChance(ns) && py.drawsChance(notes[0])) return `beep(seconds=${py.duration(ns)}, key=${py.note(notes[0])}${drawn})`;
  return `beep(${py.note(notes[0])}, ${py.duration(ns)}${drawn})`;
}

export const beepPython: Form<Sounding> = {
  call: beepCall,
  write(args, py) {
    py.options(args.options);
    awaitCall(beepCall(args, py), py);
  },
  waits: ({ ns }, facts) => facts.takesTime(ns),
};

const waitCall = (ns: number, py: PythonValues) => `asyncio.sleep(${py.duration(ns)})`;

export const waitPython: Form<number> = {
  call: waitCall,
  write(ns, py) {
    awaitCall(waitCall(ns, py), py);
  },
  waits: (ns, facts) => facts.takesTime(ns),
};
