import fc from 'fast-check';

/**
 * Scripts the tests have not seen, for the interleaving explorer: music with
 * no race at any instant (tasks that sleep and sound their own notes, however
 * many of them are ready at once; a cue that comes after its sync), and the
 * same music with one same-instant race put in (a cue and a sync, a race
 * whose parts end together, a cancel at the instant its task finishes).
 */

const note = fc.integer({ min: 48, max: 84 });
const beats = fc.integer({ min: 1, max: 3 });
const half = fc.constantFrom('0.5', '1', '1.5');

/** A line of music with no race: background voices, gathers of notes, a cue well after its sync. */
const quietLine = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 3 }), note, half).map(([n, p, d]) => ({ text: `repeat ${n} beep ${p} ${d} &`, spawns: 1 })),
  fc.tuple(beats, note, half).map(([w, p, d]) => ({ text: `wait ${w}; beep ${p} ${d} &`, spawns: 1 })),
  fc.tuple(note, note, half).map(([a, b, d]) => ({ text: `gather beep ${a} ${d} | beep ${b} ${d}`, spawns: 0 })),
  fc.tuple(note, half).map(([p, d]) => ({ text: `beep ${p} ${d}`, spawns: 0 })),
  fc.tuple(note, note, note).map(([a, b, c]) => ({ text: `chord 1 ${a} ${b} ${c}`, spawns: 0 })),
  fc.tuple(beats, note).map(([w, p]) => ({ text: `sync calm; beep ${p} 0.5 &\nwait ${w}; cue calm`, spawns: 1 })),
);

export const quietScript = fc.array(quietLine, { minLength: 1, maxLength: 6 });

/** One same-instant race, its lines given the number of tasks spawned before it (for `cancel tN`). */
const race = fc.oneof(
  fc.tuple(beats, note).map(([w, p]) => (_spawned: number) => ({ kind: 'cue and sync', text: `wait ${w}; sync go; beep ${p} 1 &\nwait ${w}; cue go`, spawns: 1 })),
  fc.tuple(beats, note, note).map(([w, a, b]) => (_spawned: number) => ({ kind: 'race tie', text: `race beep ${a} ${w} | beep ${b} ${w}`, spawns: 0 })),
  fc.tuple(beats, note, note).map(([w, a, b]) => (spawned: number) => ({ kind: 'cancel at the end', text: `beep ${a} ${w} &\nwait ${w}; cancel t${spawned + 1}; beep ${b} 1`, spawns: 1 })),
);

/** Quiet lines with one race among them: the text and the kind of race. */
export const racyScript = fc.tuple(quietScript, race, fc.nat()).map(([quiet, makeRace, at]) => {
  const i = at % (quiet.length + 1);
  const before = quiet.slice(0, i);
  const r = makeRace(before.reduce((n, l) => n + l.spawns, 0));
  return { kind: r.kind, text: [...before.map((l) => l.text), r.text, ...quiet.slice(i).map((l) => l.text)].join('\n') };
});

export function quietText(lines: { text: string }[]): string {
  return lines.map((l) => l.text).join('\n');
}

/** `count` tasks ready at one instant, each of which cues or syncs: orders that matter abound. */
export function crowdAtOneInstant(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(i % 2 === 0 ? `wait 1; sync c${i % 4}; beep ${60 + i} 0.5 &` : `wait 1; cue c${(i - 1) % 4}; beep ${60 + i} 0.5 &`);
  lines.push('wait 3');
  return lines.join('\n');
}
