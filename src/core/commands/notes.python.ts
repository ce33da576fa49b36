import type { Invocation } from '../language/command';
import type { PythonForm, PythonScope, PythonValues } from '../python/form';

// The notes as asyncio: `notes` holds the sounding voices; chord and beep are coroutines at the top of the program.

type Form<A> = PythonForm<A, Invocation>;
type Sounding = { ns: number; notes: number[]; options?: object };

/** `await chord(...)`, with the notes the script wrote by name beside the numbers. */
function awaitCall(call: string, py: PythonScope<Invocation>): void {
  const names = py.text.split(/\s+/).filter((word) => /^[A-Ga-g][#b]?-?\d+$/.test(word));
  py.line(`await ${call}${names.length > 0 ? `  # ${names.join(' ')}` : ''}`);
}

export const addPython: Form<{ note: number; options?: object }> = {
  addsNotes: true,
  write({ note, options }, py) {
    py.options(options);
    py.line(`notes.add(${py.note(note)})`);
  },
};

export const removePython: Form<number> = {
  write(note, py) {
    py.line(`notes.discard(${py.note(note)})`);
  },
};

const chordCall = ({ ns, notes }: Sounding, py: PythonValues) => `chord(${[py.duration(ns), ...notes.map((n) => py.note(n))].join(', ')})`;

export const chordPython: Form<Sounding> = {
  call: chordCall,
  write(args, py) {
    py.options(args.options);
    awaitCall(chordCall(args, py), py);
  },
  waits: ({ ns }, facts) => facts.takesTime(ns),
};

function beepCall({ ns, notes }: Sounding, py: PythonValues): string {
  // corotone draws the duration's chance before the note's: keywords keep that order.
  if (py.drawsChance(ns) && py.drawsChance(notes[0])) return `beep(seconds=${py.duration(ns)}, key=${py.note(notes[0])})`;
  return `beep(${py.note(notes[0])}, ${py.duration(ns)})`;
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
