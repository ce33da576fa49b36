import { defineCommand, type RunContext } from '../language/command';
import { sleepNs } from '../scheduler/ops';

// The demo's commands: notes on, notes off, notes for a while, and rests.

const HALF_SECOND_NS = 500_000_000;

function* holdNotes(ctx: RunContext, notes: number[], ns: number) {
  for (const n of notes) ctx.stream.add(n);
  try {
    yield* sleepNs(ns);
  } finally {
    // Also on cancel: a cancelled chord releases its notes at the logical time of the cancel.
    for (const n of notes) ctx.stream.remove(n);
  }
}

export const add = defineCommand({
  name: 'add',
  usage: 'add N',
  example: 'add 60',
  summary: 'start note N sounding (until remove N)',
  parse(r) {
    const note = r.note();
    r.end();
    return note;
  },
  *run(note, ctx) {
    ctx.stream.add(note);
  },
});

export const remove = defineCommand({
  name: 'remove',
  usage: 'remove N',
  example: 'remove 60',
  summary: 'stop note N',
  parse(r) {
    const note = r.note();
    r.end();
    return note;
  },
  *run(note, ctx) {
    ctx.stream.remove(note);
  },
});

export const chord = defineCommand({
  name: 'chord',
  usage: 'chord S N1 N2 ...',
  example: 'chord 0.5 C4 E4 G4',
  summary: 'sound the notes together for S seconds',
  parse(r) {
    const ns = r.duration();
    const notes = r.notes(1);
    return { ns, notes };
  },
  *run({ ns, notes }, ctx) {
    yield* holdNotes(ctx, notes, ns);
  },
});

export const beep = defineCommand({
  name: 'beep',
  usage: 'beep N [S]',
  example: 'beep A4 0.25',
  summary: 'sound note N for S seconds (default 0.5)',
  parse(r) {
    const note = r.note();
    const ns = r.optionalDuration(HALF_SECOND_NS);
    r.end();
    return { ns, notes: [note] };
  },
  *run({ ns, notes }, ctx) {
    yield* holdNotes(ctx, notes, ns);
  },
});

export const wait = defineCommand({
  name: 'wait',
  usage: 'wait S',
  example: 'wait 0.5',
  summary: 'do nothing for S seconds',
  parse(r) {
    const ns = r.duration();
    r.end();
    return ns;
  },
  *run(ns) {
    yield* sleepNs(ns);
  },
});

