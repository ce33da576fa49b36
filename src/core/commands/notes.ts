import { defineCommand, INVALID, runningTask, type RunContext } from '../language/command';
import { sleepNs } from '../scheduler/ops';
import type { Task } from '../scheduler/task';
import { defineSessionSlice } from '../session/state';
import type { FrequencyStream } from '../stream/stream';
import type { VoiceOptions } from '../stream/voice';
import { chordNotes, readChordTones, voicingOptions, type Voicing } from './chord-names';
import { voiceOptionsFor, withNoteOptions } from './voices';
import { addPython, beepPython, chordPython, removePython, waitPython } from './notes.python';

// The demo's commands: notes on, notes off, notes for a while, and rests. Every
// note is a voice held by the task that started it: another task's note of the
// same pitch never ends it, and a note that ends and starts again is heard twice.

const HALF_SECOND_NS = 500_000_000;
// The usages stay the demo's (help fits a narrow terminal); the options are in the summaries and help's legend.
const ADD_USAGE = 'add N';
const CHORD_USAGE = 'chord S N1 N2 ...';
const BEEP_USAGE = 'beep N [S]';

/** The voices `add` started in this session: `remove N` ends only those (not a beep's or a chord's). */
const notesState = defineSessionSlice('notes', () => ({ added: new Set<number>() }));

/** Forget the ids of voices that ended some other way (cancel, panic ...), so the set stays as small as what sounds. */
function prune(stream: FrequencyStream, ids: Set<number>): void {
  const held = stream.voices;
  if (ids.size <= 64 + 2 * held.length) return;
  const live = new Set(held.map((v) => v.id));
  for (const id of ids) if (!live.has(id)) ids.delete(id);
}

/** Sound `notes` as voices of the running task for `ns`, and let go of them at the end (or at a cancel). */
export function* holdNotes(ctx: RunContext, notes: number[], ns: number, own: VoiceOptions) {
  const owner = runningTask(ctx).id;
  const options = voiceOptionsFor(ctx, own);
  for (const n of notes) ctx.stream.add(n, owner, options);
  try {
    yield* sleepNs(ns);
  } finally {
    // Also on cancel: a cancelled chord releases its notes at the logical time of the cancel.
    for (const n of notes) ctx.stream.remove(n, owner);
  }
}

export const add = defineCommand({
  name: 'add',
  python: addPython,
  usage: ADD_USAGE,
  example: 'add 60',
  summary: 'start note N, held by this task (a line\'s: its source\'s) until remove N or the task is cancelled or fails; options amp= env= synth= pan= fx=',
  parse(r, ctx) {
    const read = withNoteOptions(r, ctx, ADD_USAGE, (args) => {
      const note = args.note();
      args.end();
      return note;
    });
    return read === INVALID ? INVALID : { note: read.args, options: read.options };
  },
  *run({ note, options }, ctx) {
    const task = runningTask(ctx);
    // A note this task or one it runs in already holds (a line's `add 60` twice) changes nothing, as in the demo.
    const holders = new Set<number>();
    for (let t: Task<unknown> | null = task; t !== null; t = t.parent) holders.add(t.id);
    if (ctx.stream.voices.some((v) => v.note === note && v.drum === undefined && v.owner !== null && holders.has(v.owner))) return;
    const id = ctx.stream.add(note, task.id, voiceOptionsFor(ctx, options));
    if (id !== null) notesState.of(ctx).added.add(id);
  },
});

export const remove = defineCommand({
  name: 'remove',
  python: removePython,
  usage: 'remove N',
  example: 'remove 60',
  summary: 'stop the note N that add started in this source (other sources\' and beeps\' N sound on)',
  parse(r) {
    const note = r.note();
    r.end();
    return note;
  },
  *run(note, ctx) {
    const ids = notesState.of(ctx).added;
    const inSource = (owner: number | null): boolean => owner !== null && ctx.tasks.find(String(owner), ctx.source)?.source === ctx.source;
    ctx.stream.removeWhere(note, (v) => {
      if (!ids.has(v.id) || !inSource(v.owner)) return false;
      ids.delete(v.id);
      return true;
    });
    prune(ctx.stream, ids);
  },
});

export const chord = defineCommand({
  name: 'chord',
  python: chordPython,
  usage: CHORD_USAGE,
  example: 'chord 0.5 C4 E4 G4',
  summary: 'sound the notes together for S beats (voices of this task); a chord by name: E3:minor, C4:maj7; options amp= env= synth= pan= fx=, invert= num=',
  parse(r, ctx) {
    const voicing: Voicing = { invert: 0, num: null, setBy: null };
    const read = withNoteOptions(
      r,
      ctx,
      CHORD_USAGE,
      (args) => {
        const ns = args.duration();
        const notes = readChordTones(args, ctx, CHORD_USAGE, voicing);
        return { ns, notes };
      },
      voicingOptions(r, voicing),
    );
    return read === INVALID ? INVALID : { ...read.args, options: read.options };
  },
  *run({ ns, notes, options }, ctx, invocation) {
    yield* holdNotes(ctx, chordNotes(notes, invocation), ns, options);
  },
});

export const beep = defineCommand({
  name: 'beep',
  python: beepPython,
  usage: BEEP_USAGE,
  example: 'beep A4 0.25',
  summary: 'sound note N for S beats (default 0.5); back-to-back beeps are separate notes; options amp= env= synth= pan= fx=',
  parse(r, ctx) {
    const read = withNoteOptions(r, ctx, BEEP_USAGE, (args) => {
      const note = args.note();
      const ns = args.optionalDuration(HALF_SECOND_NS);
      args.end();
      return { ns, notes: [note] };
    });
    return read === INVALID ? INVALID : { ...read.args, options: read.options };
  },
  *run({ ns, notes, options }, ctx) {
    yield* holdNotes(ctx, notes, ns, options);
  },
});

export const wait = defineCommand({
  name: 'wait',
  python: waitPython,
  usage: 'wait S',
  example: 'wait 0.5',
  summary: 'do nothing for S beats',
  parse(r) {
    const ns = r.duration();
    r.end();
    return ns;
  },
  *run(ns) {
    yield* sleepNs(ns);
  },
});
