import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../src/core/commands';
import { parseScript } from '../../src/core/language';
import { Session, type SessionEvent } from '../../src/core/session';
import { duration, exampleFiles, overlap, readExample, runExample, runScript } from '../support/examples/support';

// Each lesson is run on the virtual clock and checked for the fact it teaches,
// read from the event stream (task, notes and loop-lag events), the way the
// timeline would show it.

describe('the examples folder', () => {
  const index = JSON.parse(readExample('index.json')) as { examples: { title: string; file: string; story: string }[] };

  it('lists every script once in index.json, each with a title and a story', () => {
    expect(index.examples.map((e) => e.file).sort()).toEqual(exampleFiles());
    for (const example of index.examples) {
      expect(example.title.length).toBeGreaterThan(0);
      expect(example.story.split(' ').length).toBeGreaterThan(20);
    }
  });

  it.each(exampleFiles())('%s opens with a # header that tells the story, and has no parse errors', (file) => {
    const text = readExample(file);
    const header = text.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#')));
    expect(header.length).toBeGreaterThanOrEqual(5);
    expect(parseScript(text, file, builtinCommands.fork()).diagnostics).toEqual([]);
  });
});

describe('countdown.txt', () => {
  const run = runExample('countdown.txt');
  const [seqA, seqB] = [run.line('countdown-a'), run.line('countdown-b')];
  const gather = run.line('gather countdown-a | countdown-b');
  const [conA, conB] = [run.childrenOf(gather).find((s) => s.name === 'countdown-a')!, run.childrenOf(gather).find((s) => s.name === 'countdown-b')!];

  it('one after the other: B starts when A ends, 5 s in all', () => {
    expect(seqB.start).toBe(seqA.end);
    expect(seqB.end - seqA.start).toBe(duration(seqA) + duration(seqB));
    expect(seqB.end - seqA.start).toBe(5);
  });

  it('concurrently: the two overlap and it takes only as long as the longer, 3 s', () => {
    expect(overlap(conA, conB)).toBe(duration(conA));
    expect(duration(gather)).toBe(Math.max(duration(conA), duration(conB)));
    expect(duration(gather)).toBe(3);
    // And you hear both voices at once.
    expect(run.notes.some((n) => n.t >= gather.start && n.notes.length === 2)).toBe(true);
  });
});

describe('cooking-dinner.txt (a minute is 0.1 s)', () => {
  const run = runExample('cooking-dinner.txt');
  const recipes = ['salmon', 'rice', 'beans'].map((name) => run.line(name));
  const gather = run.line('gather salmon | rice | beans');
  const inGather = run.childrenOf(gather);

  it('one recipe after the other takes over an hour', () => {
    const span = recipes[2].end - recipes[0].start;
    expect(span).toBeCloseTo(recipes.reduce((sum, r) => sum + duration(r), 0), 9);
    expect(span).toBeGreaterThan(6);
  });

  it('concurrently it takes about half an hour: the longest recipe plus a little', () => {
    const longest = Math.max(...recipes.map(duration));
    expect(duration(gather)).toBeGreaterThanOrEqual(longest);
    expect(duration(gather)).toBeLessThan(4);
    for (const a of inGather) for (const b of inGather) if (a !== b) expect(overlap(a, b)).toBeGreaterThan(0);
  });

  it('has one cook: hands-on steps (block) never overlap, and a recipe that was due meanwhile is late', () => {
    const blocks = run.of('task-blocking').filter((e) => e.t >= gather.start).map((e) => [e.t, e.until] as const).sort((a, b) => a[0] - b[0]);
    // The same hands-on steps as when cooking one recipe after the other.
    expect(blocks.length).toBe(run.of('task-blocking').filter((e) => e.t < gather.start).length);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i][0]).toBeGreaterThanOrEqual(blocks[i - 1][1] - 1e-9);
    expect(run.of('loop-lag').filter((e) => e.t > gather.start).length).toBeGreaterThan(0);
  });
});

describe('coroutines-by-hand.txt', () => {
  const run = runExample('coroutines-by-hand.txt');
  const cube = run.line('cube');
  const square = run.childrenOf(cube).find((s) => s.name === 'square')!;

  it('shows the await chain as a task inside a task: cube waits on square while square sleeps', () => {
    expect(square).toBeDefined();
    expect(square.start).toBeGreaterThanOrEqual(cube.start + 3);
    const waits = run.of('task-waiting').filter((e) => e.id === cube.id);
    expect(waits).toContainEqual(expect.objectContaining({ t: square.start, on: { kind: 'task', id: square.id } }));
    expect(run.of('task-sleeping').some((e) => e.id === square.id && e.until - e.t === 3)).toBe(true);
    expect(duration(cube)).toBeGreaterThan(6);
  });

  it('awaited together, square fits inside cube\'s time', () => {
    const gather = run.line('gather cube | square');
    const parts = run.childrenOf(gather);
    expect(duration(gather)).toBe(duration(cube));
    expect(overlap(parts[0], parts[1])).toBe(duration(parts.find((p) => p.name === 'square')!));
  });
});

describe('blocking-vs-executor.txt', () => {
  const run = runExample('blocking-vs-executor.txt');
  const block = run.line('block 2');
  const offload = run.line('offload 2');
  const lag = run.of('loop-lag');

  it('both do two seconds of work', () => {
    expect(duration(block)).toBeCloseTo(2, 9);
    expect(duration(offload)).toBeCloseTo(2, 9);
  });

  it('under block the melody is late: resumptions come when the block ends, nearly 2 s late, and nothing changes meanwhile', () => {
    expect(lag.length).toBeGreaterThan(0);
    for (const e of lag) expect(e.t).toBe(block.end);
    expect(Math.max(...lag.map((e) => e.late))).toBeGreaterThan(1.5);
    expect(run.notes.filter((n) => n.t > block.start && n.t < block.end)).toEqual([]);
    // The note that was sounding when the block began holds until it ends.
    const stuck = run.soundingAt(block.start);
    expect(stuck.length).toBeGreaterThan(0);
    expect(run.soundingAt(block.end - 0.01)).toEqual(stuck);
  });

  it('under offload nothing is late and the melody goes on changing every quarter second', () => {
    expect(lag.filter((e) => e.t > block.end)).toEqual([]);
    const changes = run.notes.filter((n) => n.t > offload.start && n.t < offload.end);
    expect(changes.length).toBe(7);
    expect(run.spans.find((s) => s.kind === 'worker')).toMatchObject({ parent: offload.id, start: offload.start, end: offload.end });
  });
});

describe('exceptions.txt', () => {
  const run = runExample('exceptions.txt');
  const gather = run.line('gather square-5 | square-6 | square-7 | square-8');
  const group = run.line('group square-5 | square-6 | square-7 | square-8');
  const settle = run.line('settle square-5 | square-6 | square-7 | square-8');

  it('gather: square 7 fails the line at once, and the other squares play on to their closing beeps', () => {
    const parts = run.childrenOf(gather);
    const failed = parts.filter((p) => p.how === 'failed');
    expect(failed.map((p) => p.name)).toEqual(['square-7']);
    expect(gather).toMatchObject({ how: 'failed', end: failed[0].end });
    const others = parts.filter((x) => x !== failed[0]);
    for (const p of others) expect(p).toMatchObject({ how: 'done' });
    expect(Math.min(...others.map((p) => p.end))).toBeGreaterThan(gather.end);
    // The three closing beeps sound together, after the line has failed.
    expect(run.notes.some((n) => n.t > gather.end && n.t < group.start && n.notes.length === 3)).toBe(true);
  });

  it('group: square 7 fails, the others are cancelled then, and the error points at the fail', () => {
    const parts = run.childrenOf(group);
    const failed = parts.filter((p) => p.how === 'failed');
    expect(failed.map((p) => p.name)).toEqual(['square-7']);
    expect(group).toMatchObject({ how: 'failed', end: failed[0].end });
    for (const p of parts.filter((x) => x !== failed[0])) expect(p).toMatchObject({ how: 'cancelled', end: failed[0].end });
    expect(run.notes.some((n) => n.t > group.start && n.t < settle.start && n.notes.length === 3)).toBe(false);
    const diagnostics = run.of('diagnostic');
    // Each failing line (gather's and group's): the error at the fail, then the construct says what it did to the others.
    expect(diagnostics).toHaveLength(4);
    const text = readExample('exceptions.txt').split('\n');
    const [gatherFail, gatherSaid, groupFail, groupSaid] = diagnostics.map((e) => e.diagnostic);
    for (const d of [gatherFail, groupFail]) expect(text[d.line - 1].slice(d.col - 1)).toMatch(/^fail Can't square 7/);
    expect(gatherSaid.message).toBe('gather: square-7 failed; square-5, square-6, square-8 play on');
    expect(groupSaid.message).toBe('group: square-7 failed; cancelled square-5, square-6, square-8');
    expect(text[groupSaid.line - 1]).toMatch(/^group square-5/);
  });

  it('settle: every square runs to its end; the failure is printed with the results and the line succeeds', () => {
    const parts = run.childrenOf(settle);
    expect(parts.map((p) => p.how).sort()).toEqual(['done', 'done', 'done', 'failed']);
    expect(settle.how).toBe('done');
    const report = run.of('output').find((e) => e.t === settle.end)!.text;
    expect(report).toMatch(/^settle: 3 done, 1 failed, 0 cancelled/);
    expect(report).toMatch(/failed .*square-7: Can't square 7/);
    // The closing beeps that group cut off are heard this time.
    expect(run.notes.filter((n) => n.t > settle.start).some((n) => n.notes.length === 3)).toBe(true);
  });
});

describe('as-completed.txt', () => {
  const run = runExample('as-completed.txt');
  const settle = run.line('settle fetch-a | fetch-b | fetch-c | fetch-d');
  const race = run.line('race fetch-a | fetch-b | fetch-c | fetch-d');

  it('the tasks finish in a different order from the one they started in', () => {
    const parts = run.childrenOf(settle);
    const started = [...parts].sort((a, b) => a.id - b.id).map((p) => p.name);
    const finished = [...parts].sort((a, b) => a.end - b.end).map((p) => p.name);
    expect(new Set(parts.map((p) => p.end)).size).toBe(4);
    expect(finished).not.toEqual(started);
    expect(finished.reverse()).not.toEqual(started);
  });

  it('race: the first to finish wins and the rest are cancelled at that moment', () => {
    const parts = run.childrenOf(race);
    const firstInSettle = [...run.childrenOf(settle)].sort((a, b) => a.end - b.end)[0].name;
    const winner = parts.find((p) => p.how === 'done')!;
    expect(winner.name).toBe(firstInSettle);
    for (const p of parts.filter((x) => x !== winner)) expect(p).toMatchObject({ how: 'cancelled', end: winner.end });
    expect(run.soundingAt(winner.end)).toEqual([]);
  });
});

describe('cancellation.txt', () => {
  const run = runExample('cancellation.txt');
  const cancel = run.line('cancel t1');
  const loop = run.spans.find((s) => s.kind === 'spawned' && s.name.startsWith('loop chord'))!;

  it('a loop cancelled mid-chord releases its notes at the cancel, not at the chord\'s end', () => {
    expect(loop).toMatchObject({ how: 'cancelled', end: cancel.start });
    // It was asleep in a chord that had more to go: the chord's notes were sounding, and its timer was later.
    const lastSleep = run.of('task-sleeping').filter((e) => e.id === loop.id && e.t < cancel.start).at(-1)!;
    expect(lastSleep.until).toBeGreaterThan(cancel.start);
    expect(run.soundingAt(cancel.start - 0.01).length).toBe(3);
    expect(run.soundingAt(cancel.start)).toEqual([]);
  });

  it('timeout cancels the long chord after 1.5 s and reports a located error of its line', () => {
    const timeout = run.line('timeout 1.5 chord 4 48 55 60');
    const chord = run.childrenOf(timeout).find((s) => s.name === 'chord 4 48 55 60')!;
    expect(chord).toMatchObject({ how: 'cancelled', end: chord.start + 1.5 });
    expect(run.soundingAt(chord.end)).toEqual([]);
    expect(run.of('diagnostic').map((e) => [e.diagnostic.line, e.diagnostic.col])).toEqual([[timeout.line, 1]]);
  });

  it('stop cancels both background loops at once and the script ends in silence', () => {
    const stop = run.line('stop');
    const loops = run.spans.filter((s) => s.kind === 'spawned' && s.start > cancel.end);
    expect(loops.map((l) => [l.how, l.end])).toEqual([
      ['cancelled', stop.start],
      ['cancelled', stop.start],
    ]);
    expect(run.soundingAt(stop.start)).toEqual([]);
  });
});

describe('demo.txt', () => {
  it('plays exactly what resources/commands.txt plays', () => {
    const demo = runExample('demo.txt');
    const original = runScript(readExample('../commands.txt'), 'commands.txt');
    expect(demo.notes).toEqual(original.notes);
    expect(demo.notes.at(-1)).toEqual({ t: 10.05, notes: [] });
  });
});

describe('corotone --check', () => {
  it.each(exampleFiles())('finds no error in %s (a phrase is known to the lines after its def)', async (file) => {
    const { checkBytes } = await import('../../src/node/cli/inputs');
    expect(checkBytes({ name: file, bytes: new TextEncoder().encode(readExample(file)) })).toEqual([]);
  });
});

describe('cancellation.txt after any other lesson', () => {
  /** Plays `before`, then (as the app does when the next lesson is picked) cancellation.txt in the same session. */
  function after(before: string, sameName: boolean) {
    // As in the app: the demo's closing quit ends its script, not the session.
    const session = new Session({ quitEnds: 'source' });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    session.loadScript(sameName ? 'lesson' : before, readExample(before));
    session.scheduler.runUntilIdle(600);
    const start = session.scheduler.now;
    session.loadScript(sameName ? 'lesson' : 'cancellation.txt', readExample('cancellation.txt'));
    session.scheduler.runUntilIdle(start + 60);
    const later = events.filter((e) => e.t >= start);
    return {
      start,
      diagnostics: later.flatMap((e) => (e.type === 'diagnostic' ? [e.diagnostic.message] : [])),
      outputs: later.flatMap((e) => (e.type === 'output' ? [e.text] : [])),
      /** The notes sounding at `t` seconds into the lesson. */
      soundingAt: (t: number): number[] => {
        const notes = later.flatMap((e) => (e.type === 'notes' && e.t <= start + t + 1e-9 ? [e.notes] : []));
        return notes[notes.length - 1] ?? [];
      },
    };
  }

  const others = exampleFiles().filter((f) => f !== 'cancellation.txt');
  it.each(others.flatMap((f) => [[f, false] as const, [f, true] as const]))('cancel t1 cancels its own loop after %s (same source name: %s)', (before, sameName) => {
    const run = after(before, sameName);
    expect(run.diagnostics.filter((m) => m.startsWith('no running task'))).toEqual([]);
    expect(run.outputs.find((o) => o.startsWith('cancelled'))).toMatch(/^cancelled t1 \(task \d+\): loop chord 1 60 64 67; chord 1 62 65 69$/);
    // Mid-chord at 2.25 s the loop sounds; from its cancel at 2.5 s nothing does (until the timeout's chord at 3.5 s).
    expect(run.soundingAt(2.25)).toEqual([60, 64, 67]);
    expect(run.soundingAt(2.5)).toEqual([]);
  });
});

describe('races.txt', () => {
  const run = runExample('races.txt');
  const C5 = 60;
  const A4 = 57;
  const heardBetween = (note: number, from: number, to: number) => run.notes.some((n) => n.t >= from && n.t < to && n.notes.includes(note));

  it('cue and sync at one instant: first in, first out the sync hears the cue; the other order, spelled out, is silent', () => {
    const early = run.spansNamed('wait 1; sync go; beep C5 1').find((s) => s.kind === 'spawned')!;
    const late = run.spansNamed('wait 1.01; sync late; beep C5 1').find((s) => s.kind === 'spawned')!;
    expect(heardBetween(C5, early.start + 1, early.start + 2)).toBe(true);
    expect(early.how).toBe('done');
    expect(heardBetween(C5, late.start + 1, late.start + 2.5)).toBe(false);
    // It waited for a cue that never came, until the section's stop.
    expect(late.how).toBe('cancelled');
  });

  it('a race whose parts end together: both finish; spelled out, the other part wins and C5 is cancelled', () => {
    const [tie, other] = [run.line('race beep C5 1 | beep E5 1'), run.line('race beep C5 1 | beep E5 0.99')];
    expect(run.childrenOf(tie).map((p) => p.how)).toEqual(['done', 'done']);
    expect(run.childrenOf(other).map((p) => `${p.name} ${p.how}`)).toEqual(['beep C5 1 cancelled', 'beep E5 0.99 done']);
  });

  it('cancel t3 at the instant t3 finishes: too late (the line fails, no A4); spelled out, in time (A4 sounds)', () => {
    const late = run.line('wait 1; cancel t3; beep A4 1');
    const early = run.line('wait 0.99; cancel t4; beep A4 1');
    expect(late.how).toBe('failed');
    expect(run.of('diagnostic').map((d) => d.diagnostic.message)).toEqual([expect.stringMatching(/^no running task "t3"/)]);
    expect(heardBetween(A4, late.start, early.start)).toBe(false);
    expect(early.how).toBe('done');
    expect(heardBetween(A4, early.start, early.end)).toBe(true);
  });

  it('the explorer finds each race: an outcome departs from asyncio\'s order at each of the three instants', async () => {
    const { explore, firstDeparture } = await import('../../src/core/debug/explorer');
    const result = explore((session) => void session.loadScript('races.txt', readExample('races.txt')), { budget: 200, limitNs: 600e9 });
    expect(result.unexplored).toBe(0);
    const instants = new Set(result.outcomes.slice(1).map((o) => firstDeparture(o.decisions)!.t));
    const sync = run.spansNamed('wait 1; sync go; beep C5 1').find((s) => s.kind === 'spawned')!.start + 1;
    const tie = run.line('race beep C5 1 | beep E5 1').start + 1;
    const cancel = run.line('wait 1; cancel t3; beep A4 1').start + 1;
    for (const t of [sync, tie, cancel]) expect([...instants].some((x) => Math.abs(x - t) < 1e-9)).toBe(true);
  });
});
