import { describe, expect, it } from 'vitest';
import { Scheduler, join, sleep } from '../../../src/core/scheduler';
import type { SessionEvent } from '../../../src/core/session/api';
import { toChromeTrace, type TraceEvent } from '../../../src/core/trace';

function slices(trace: { traceEvents: TraceEvent[] }): TraceEvent[] {
  return trace.traceEvents.filter((e) => e.ph === 'X');
}

/** Slices on one track must nest: each starts and ends within the slice open around it. */
function assertNested(events: TraceEvent[]): void {
  const byTid = new Map<number, TraceEvent[]>();
  for (const e of events) byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  for (const list of byTid.values()) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const open: number[] = [];
    for (const e of sorted) {
      while (open.length && open[open.length - 1] <= e.ts) open.pop();
      if (open.length) expect(e.ts + e.dur!).toBeLessThanOrEqual(open[open.length - 1] + 1e-6);
      open.push(e.ts + e.dur!);
    }
  }
}

describe('Chrome trace export', () => {
  it('puts each source on its own track with a slice per task nested in its parent', () => {
    const s = new Scheduler();
    const events: SessionEvent[] = [];
    s.subscribe((e) => events.push(e));
    for (const source of ['a.txt', 'b.txt']) {
      s.spawn(
        (function* () {
          for (let line = 1; line <= 2; line++) {
            const t = s.spawn((function* () { yield* sleep(line); })(), { name: `wait ${line}`, kind: 'line', pos: { source, line, col: 1 } });
            yield* join(t);
          }
        })(),
        { name: source, kind: 'source', source, parent: null },
      );
    }
    s.runUntilIdle();
    const trace = toChromeTrace(events);
    const threads = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args!.name);
    expect(threads).toEqual(['a.txt', 'b.txt']);
    const x = slices(trace);
    expect(x.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['a.txt', 0, 3e6],
      ['b.txt', 0, 3e6],
      ['wait 1', 0, 1e6],
      ['wait 1', 0, 1e6],
      ['wait 2', 1e6, 2e6],
      ['wait 2', 1e6, 2e6],
    ]);
    const tidOf = (name: string) => x.filter((e) => e.name === name).map((e) => e.tid);
    expect(tidOf('wait 1')).toEqual([tidOf('a.txt')[0], tidOf('b.txt')[0]]);
    expect(x[2].args).toMatchObject({ at: 'a.txt:1:1', state: 'done' });
    assertNested(x);
  });

  it('moves overlapping tasks that do not nest to another track of the same source', () => {
    const s = new Scheduler();
    const events: SessionEvent[] = [];
    s.subscribe((e) => events.push(e));
    s.spawn(
      (function* () {
        s.spawn((function* () { yield* sleep(2); })(), { name: 'long' });
        yield* sleep(1);
        s.spawn((function* () { yield* sleep(2); })(), { name: 'overlapping' });
      })(),
      { name: 'src', source: 'src', parent: null },
    );
    s.runUntilIdle();
    const x = slices(toChromeTrace(events));
    assertNested(x);
    const tids = new Set(x.map((e) => e.tid));
    expect(tids.size).toBeGreaterThan(1);
  });

  it('marks failures and unfinished tasks', () => {
    const s = new Scheduler();
    const events: SessionEvent[] = [];
    s.subscribe((e) => events.push(e));
    s.spawn((function* () { yield* sleep(1); throw new Error('bad note'); })(), { name: 'fails' });
    s.spawn((function* () { yield* sleep(10); })(), { name: 'forever' });
    s.runUntilIdle(5);
    const x = slices(toChromeTrace(events));
    expect(x.find((e) => e.name === 'fails')!.args).toMatchObject({ state: 'failed', error: 'Error: bad note' });
    expect(x.find((e) => e.name === 'forever')!.args).toMatchObject({ state: 'unfinished' });
  });
});
