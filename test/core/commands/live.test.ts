/**
 * Live loops cue their name (issue 19): each pass of `live NAME` starts with
 * `cue NAME`, as Sonic Pi's live_loop does, so a port of
 * `live_loop :bar do sync :foo` plays instead of waiting forever; and
 * `cancel NAME` takes a live loop's name.
 */
import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

/** The live loop's own task (the line that starts it has the same name). */
const loopTask = (h: ReturnType<typeof play>, name: string) => h.created(name).find((e) => e.kind === 'spawned')!;

/** When each voice of `note` starts, in seconds. */
function onsets(h: ReturnType<typeof play>, note: number): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const e of h.of('notes')) {
    for (const v of e.voices ?? []) {
      if (v.note !== note || seen.has(v.id)) continue;
      seen.add(v.id);
      out.push(e.t);
    }
  }
  return out;
}

describe('a live loop cues its name at each pass', () => {
  it('plays the port of Sonic Pi’s live_loop :bar do sync :foo', () => {
    // live_loop :foo do play :e4; sleep 1 end / live_loop :bar do sync :foo; sample :bd_haus; sleep 1.5 end
    const h = play(['live foo beep E4 0.5; wait 0.5', 'live bar sync foo; beep C2 0.25; wait 1.25', 'wait 6', 'stop']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    const foo = onsets(h, 52);
    const bar = onsets(h, 24);
    expect(foo).toEqual([0, 1, 2, 3, 4, 5]);
    // bar arrives after foo's first cue, so it starts on foo's second pass; after its 1.5 s it waits for the next pass
    expect(bar).toEqual([1, 3, 5]);
    // each bar's note lands on a foo pass, and the cue says whom it woke
    const barTask = loopTask(h, 'live bar sync foo; beep C2 0.25; wait 1.25').id;
    expect(h.of('cue').filter((c) => c.woke.includes(barTask)).map((c) => [c.t, c.name])).toEqual([[1, 'foo'], [3, 'foo'], [5, 'foo']]);
  });

  it('states no cue for a pass that nobody syncs to (the timeline gets no mark per pass)', () => {
    const h = play(['live foo beep E4 0.5', 'wait 3', 'stop']);
    h.run();
    expect(h.of('cue')).toEqual([]);
  });

  it('cues under the loop’s name in any case, and its new body keeps cueing after a swap', () => {
    const h = play(['live Drums beep C3 1', 'sync drums; beep G5 0.25 &', 'wait 2.5', 'live drums beep D3 1', 'sync DRUMS; beep A5 0.25 &', 'wait 2', 'stop']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(onsets(h, 67)).toEqual([1]);
    // the swap lands at 3, and the new body's pass cues as it starts
    expect(onsets(h, 69)).toEqual([3]);
    expect(onsets(h, 38)).toEqual([3, 4]);
  });
});

describe('cancel NAME', () => {
  it('cancels a live loop by its name: its notes stop then', () => {
    const h = play(['live drums beep C3 1', 'wait 2.5', 'cancel drums', 'wait 2']);
    h.run();
    expect(h.diagnostics()).toEqual([]);
    expect(onsets(h, 36)).toEqual([0, 1, 2]);
    expect(h.end(loopTask(h, 'live drums beep C3 1').id)).toBe('cancelled@2.5');
    expect(h.outputs().filter((o) => o.startsWith('cancelled'))).toEqual([expect.stringMatching(/^cancelled t1 \(task \d+\): live drums beep C3 1$/)]);
  });

  it('says a name that is neither a task nor a live loop playing is none, located, and the script goes on', () => {
    const h = play(['live drums beep C3 1', 'cancel drums', 'wait 0.5', 'cancel drums', 'beep E5 1']);
    h.run();
    expect(h.diagnostics()).toHaveLength(1);
    const [d] = h.diagnostics();
    expect(d).toMatchObject({ line: 4, col: 8, found: 'drums', expected: 'a running task or live loop' });
    expect(d.message).toContain('or the name of a live loop');
    expect(onsets(h, 64)).toEqual([0.5]);
  });
});
