import { describe, expect, it } from 'vitest';
import { toChromeTrace } from '../../../src/core/trace/chrome-trace';
import { play } from '../../support/core/session';

const struck = new WeakMap<object, string[]>();

/** Every note struck, `ns:note`, in order: each time a command starts a note (a repeated note too). */
function onsets(h: ReturnType<typeof play>): string[] {
  return struck.get(h) ?? [];
}

function watch(h: ReturnType<typeof play>) {
  const out: string[] = [];
  const stream = h.session.stream;
  const add = stream.add.bind(stream);
  stream.add = ((note: number, ...rest: unknown[]) => {
    out.push(`${h.session.scheduler.nowNanos}:${note}`);
    return (add as (...a: unknown[]) => unknown)(note, ...rest);
  }) as typeof stream.add;
  struck.set(h, out);
  return h;
}

function run(lines: string[]) {
  const h = watch(play(lines));
  h.run();
  return h;
}

describe('tempo and beats', () => {
  it('bpm 120: beep C5 1 and beep E5 1 start at exactly 0 and 0.5 s', () => {
    const h = run(['bpm 120', 'beep C5 1', 'beep E5 1']);
    expect(onsets(h)).toEqual(['0:60', '500000000:64']);
    expect(h.diagnostics()).toEqual([]);
  });

  it('the default is 60: a bare number of beats is seconds, as before', () => {
    expect(onsets(run(['beep C5 1', 'beep E5 0.5', 'beep G5']))).toEqual(['0:60', '1000000000:64', '1500000000:67']);
  });

  it('250ms and 1.5s are absolute whatever the tempo', () => {
    expect(onsets(run(['bpm 30', 'beep C5 250ms', 'beep E5 1.5s', 'beep G5 1']))).toEqual(['0:60', '250000000:64', '1750000000:67']);
  });

  it('a bpm change in the middle of a loop affects the sleeps that start after it', () => {
    const h = run(['repeat 2 beep C5 1', 'bpm 120', 'repeat 2 beep E5 1', 'bpm 240', 'beep G5 1']);
    expect(onsets(h)).toEqual(['0:60', '1000000000:60', '2000000000:64', '2500000000:64', '3000000000:67']);
  });

  it('a running loop keeps the tempo it was spawned with: a bpm at the top level is the top level\'s own (issue 19)', () => {
    const h = run(['spawn loop beep C5 1', 'wait 2.5', 'bpm 120', 'wait 2.2', 'stop']);
    // passes at 0, 1, 2, 3 at bpm 60 all along; the top level's wait 2.2 at bpm 120 ends at 3.6
    expect(onsets(h).filter((o) => o.endsWith(':60')).map((o) => Number(o.split(':')[0]) / 1e9)).toEqual([0, 1, 2, 3]);
  });

  it('a bpm change inside a running loop reaches its next pass', () => {
    const h = run(['spawn loop beep C5 1; bpm 120', 'wait 2.6', 'stop']);
    // the first pass at bpm 60, the next ones at bpm 120
    expect(onsets(h).filter((o) => o.endsWith(':60')).map((o) => Number(o.split(':')[0]) / 1e9)).toEqual([0, 1, 1.5, 2, 2.5]);
  });

  it('10,000 beats at bpm 90 end at exactly 20000/3 s, rounded once (no drift)', () => {
    const h = run(['bpm 90', 'repeat 10000 wait 1', 'beep C5 1']);
    expect(onsets(h)).toEqual([`${Math.round(20000e9 / 3)}:60`]);
    const h2 = run(['bpm 90', 'wait 1', 'beep C5 1', 'repeat 2 wait 1', 'beep E5 1']);
    // one beat is 2/3 s (666666667 ns rounded), three beats are 2 s exactly
    expect(onsets(h2)).toEqual(['666666667:60', '2666666667:64']);
  });

  it('bpm refuses a tempo out of range, located, with a hint', () => {
    const h = run(['bpm 0', 'bpm fast', 'bpm 2000']);
    expect(h.diagnostics().map((d) => [d.line, d.col, d.hint])).toEqual([
      [1, 5, 'like "bpm 120": then a beat is 0.5 s'],
      [2, 5, 'like "bpm 120": then a beat is 0.5 s'],
      [3, 5, 'like "bpm 120": then a beat is 0.5 s'],
    ]);
  });
});

describe('phrases with arguments, note arithmetic', () => {
  it('def arp ROOT: ... called as arp C5 and arp 48', () => {
    const h = run(['def arp ROOT: beep ROOT 0.25; beep ROOT+4 0.25; beep ROOT+7 0.25', 'arp C5', 'arp 48']);
    expect(h.diagnostics()).toEqual([]);
    expect(onsets(h).map((o) => o.split(':')[1])).toEqual(['60', '64', '67', '48', '52', '55']);
  });

  it('C5+7 and ROOT-12, and durations that add', () => {
    const h = run(['def low ROOT LEN: beep ROOT-12 LEN+0.5', 'beep C5+7 0.25+0.25', 'low C5 0.5', 'beep C5']);
    expect(onsets(h)).toEqual(['0:67', '500000000:48', '1500000000:60']);
  });

  it('a sum of beats and absolute time is a located error at its word, when the line is read', () => {
    const h = run(['beep C5 1+250ms', 'beep C5+250ms 1', 'block 0.5+1.5s', 'timeout 2s-1 wait 1', 'beep E5 0.1']);
    expect(h.diagnostics().map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 9, 'cannot add beats and absolute time: write both in beats (0.5) or both absolute (250ms) (in "1+250ms")'],
      [2, 6, 'cannot add beats and absolute time: write both in beats (0.5) or both absolute (250ms) (in "C5+250ms")'],
      [3, 7, 'cannot add beats and absolute time: write both in beats (0.5) or both absolute (250ms) (in "0.5+1.5s")'],
      [4, 9, 'cannot add beats and absolute time: write both in beats (0.5) or both absolute (250ms) (in "2s-1")'],
    ]);
    expect(onsets(h)).toEqual(['0:64']);
  });

  it('block and offload need a time known when the line is read: a parameter or a chance is refused there, not left to stop the clock', () => {
    const h = run(['def work LEN: block LEN', 'block choose(1,2)', 'offload rand(0.1,0.2)', 'beep E5 0.1']);
    expect(h.diagnostics().map((d) => [d.line, d.col])).toEqual([[1, 21], [2, 7], [3, 9]]);
    expect(h.diagnostics()[0].message).toBe(
      'expected a duration in seconds known when the line is read, found "LEN": a parameter or a chance (choose, rand, tick) has no value until it runs',
    );
    expect(onsets(h)).toEqual(['0:64']);
    expect(h.session.scheduler.nowNanos).toBe(100_000_000);
  });

  it('a note pushed out of range fails at run time, located at the word', () => {
    const h = run(['def up ROOT: beep ROOT+100', 'up C5']);
    expect(h.diagnostics()).toMatchObject([{ line: 1, col: 19, message: expect.stringContaining('note out of range: ROOT+100 is 160') }]);
  });

  it('a phrase that calls itself is refused, saying so (not "unknown command")', () => {
    const h = run(['def again: beep C5 1; again']);
    expect(h.diagnostics()).toMatchObject([{ line: 1, col: 23, message: 'a phrase may not call itself: "again" is being defined here' }]);
  });

  it('phrases that end up calling each other stop at a bounded depth, located', () => {
    const h = run(['def a: wait 0.01', 'def b: a', 'def a: b', 'a']);
    expect(h.diagnostics()[0].message).toContain('phrases call each other too deeply');
  });

  it('the wrong number of values is a located error with the usage', () => {
    const h = run(['def arp ROOT: beep ROOT 0.25', 'arp', 'arp C5 E5']);
    expect(h.diagnostics().map((d) => [d.line, d.col])).toEqual([[2, 4], [3, 8]]);
    expect(h.diagnostics()[1].hint).toBe('usage: arp ROOT');
  });

  it('an unknown capitalised name in a value says it is not a parameter', () => {
    const h = run(['def arp ROOT: beep ROT 0.25']);
    expect(h.diagnostics()[0]).toMatchObject({ col: 20, message: 'unknown name "ROT": it is not a parameter of this phrase' });
  });

  it('redefining a phrase reaches a loop that plays it at its next pass, and says so', () => {
    const h = run(['def p: beep C5 1', 'spawn loop p', 'wait 1.5', 'def p: beep E5 1', 'wait 1.4', 'stop']);
    expect(onsets(h)).toEqual(['0:60', '1000000000:60', '2000000000:64']);
    expect(h.outputs()).toContain('redefined p: loops that play it take the new one at their next pass');
  });
});

describe('cue and sync (asyncio.Event)', () => {
  it('sync wakes on the next cue, and the cue event names the syncs it woke', () => {
    const h = run(['sync go & ', 'sync go &', 'wait 2', 'cue go', 'beep C5']);
    const cues = h.of('cue');
    expect(cues).toHaveLength(1);
    expect(cues[0]).toMatchObject({ t: 2, name: 'go', source: 's.txt' });
    expect(cues[0].woke).toHaveLength(2);
    for (const id of cues[0].woke) expect(h.end(id)).toBe('done@2');
  });

  it('a sync waits for the next cue, not one that came before', () => {
    const h = run(['cue go', 'spawn eval sync go; beep C5 1', 'wait 1', 'cue go']);
    expect(onsets(h)).toEqual(['1000000000:60']);
    expect(h.of('cue').map((c) => c.woke.length)).toEqual([0, 1]);
  });

  it('a sync inside a timeout fails cleanly with the timeout error, and a later cue finds no one', () => {
    const h = run(['timeout 1 sync never', 'cue never', 'beep C5']);
    expect(h.diagnostics()).toMatchObject([{ line: 1, message: 'timed out: "sync never" ran longer than 1 s and was cancelled' }]);
    expect(h.of('cue')[0].woke).toEqual([]);
    expect(onsets(h)).toEqual(['1000000000:60']);
  });
});

describe('live loops', () => {
  it('live NAME CMD again swaps the body at the next pass boundary: no gap, no overlap, no second copy', () => {
    const h = run(['live drums beep C5 1', 'wait 2.5', 'live drums beep E5 0.5', 'wait 1.9', 'stop']);
    expect(onsets(h)).toEqual(['0:60', '1000000000:60', '2000000000:60', '3000000000:64', '3500000000:64', '4000000000:64']);
    expect(h.outputs()).toContain('live drums (t1): replaced, the new body plays from its next pass');
    expect(h.of('live-swap')).toMatchObject([{ t: 3, name: 'drums', pass: 3 }]);
    expect(h.of('task-created').filter((e) => e.kind === 'spawned').map((e) => e.name)).toEqual(['live drums beep C5 1']);
  });

  it('a live loop that never waits fails with a hint', () => {
    const h = run(['live x add 60']);
    expect(h.diagnostics()[0].message).toContain('live loop x never waits');
  });

  it('playing the same script again swaps its live loops instead of starting a second copy', () => {
    const h = watch(play(['live bass beep C4 1']));
    h.run(2.5);
    const loops = () => h.of('task-created').filter((e) => e.kind === 'spawned').length;
    const before = loops();
    h.load(['live bass beep D4 1']);
    h.run(6);
    expect(before).toBe(1);
    expect(loops()).toBe(1);
    expect(h.of('live-swap')).toMatchObject([{ t: 3, name: 'bass' }]);
    // one copy: one note at a time, C4 until the swap, D4 after
    const times = onsets(h).map((o) => Number(o.split(':')[0]));
    expect(new Set(times).size).toBe(times.length);
    expect(onsets(h).at(-1)?.endsWith(':50')).toBe(true);
  });
});

describe('chance', () => {
  const song = ['seed 7', 'repeat 8 beep choose(C5,E5,G5) rand(0.1,0.3)'];
  const render = (lines: string[]) => JSON.stringify(run(lines).of('notes').map((e) => [e.ns, e.notes]));

  it('two renders with the same seed are identical, two seeds differ', () => {
    expect(render(song)).toBe(render(song));
    expect(render(song)).not.toBe(render(['seed 8', song[1]]));
  });

  it('the default seed is fixed, so a render without seed is reproducible, and the events record it', () => {
    const h = run([song[1]]);
    expect(h.of('seed')).toMatchObject([{ source: 's.txt', seed: 1 }]);
    expect(render([song[1]])).toBe(render([song[1]]));
  });

  it('choose and rand take spaces after their commas, or not', () => {
    expect(render(['seed 3', 'repeat 4 beep choose(C5, E5, G5) rand(0.1, 0.3)'])).toBe(render(['seed 3', 'repeat 4 beep choose(C5,E5,G5) rand(0.1,0.3)']));
  });

  it('choose picks only among its values, rand stays in its range', () => {
    const h = run(['repeat 50 beep choose(C5,E5,G5) rand(0.1,0.3)']);
    const notes = new Set(h.of('notes').flatMap((e) => e.notes));
    expect([...notes].sort()).toEqual([60, 64, 67]);
  });

  it('tick steps through its values, one per run', () => {
    expect(onsets(run(['repeat 4 beep tick(C5,E5,G5) 1'])).map((o) => o.split(':')[1])).toEqual(['60', '64', '67', '60']);
  });

  it('bad chance is located with a hint', () => {
    const h = run(['beep choose(C5,E5 1', 'beep rand(1) 1', 'beep pick(C5) 1']);
    expect(h.diagnostics().map((d) => [d.line, d.col])).toEqual([[1, 6], [2, 6], [3, 6]]);
    expect(h.diagnostics()[2].hint).toContain('choose(C5,E5,G5)');
  });
});

describe('per source', () => {
  it('each source keeps its own tempo', () => {
    const h = watch(play(['bpm 120', 'beep C5 1', 'beep E5 1'], {}, 'fast.txt'));
    h.load(['beep G5 1', 'beep B5 1'], 'slow.txt');
    h.run();
    expect(onsets(h).sort()).toEqual(['0:60', '0:67', '1000000000:71', '500000000:64'].sort());
  });

  it('a tick in a phrase keeps counting across calls', () => {
    const h = run(['def step ROOT: beep tick(C5,E5,G5) 1; wait ROOT-ROOT', 'repeat 3 step 1']);
    expect(onsets(h).map((o) => o.split(':')[1])).toEqual(['60', '64', '67']);
  });
});

describe('the trace', () => {
  it('records the seed, the cues and the swaps', () => {
    const h = run(['seed 42', 'beep choose(C5,E5) 1', 'sync a &', 'cue a', 'live x beep C5 1', 'wait 0.5', 'live x beep E5 1', 'wait 1', 'stop']);
    const marks = toChromeTrace(h.events).traceEvents.filter((e) => e.cat === 'music').map((e) => e.name);
    expect(marks).toEqual(['seed 42', 'cue a', 'live x: new body']);
  });
});
