import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('block and offload', () => {
  const melody = 'loop beep 72 0.25; wait 0.25 &';

  it('block holds the thread: the melody is late, audibly and in loop-lag events', () => {
    const p = play([melody, 'wait 1.1', 'block 1', 'wait 1', 'stop'], { lagThreshold: 0.02 });
    p.run();
    const lag = p.of('loop-lag');
    expect(lag.length).toBeGreaterThan(0);
    // The beep started at 1 is due to end at 1.25; the block holds it until 2.1, and the melody goes on from there.
    expect(Math.max(...lag.map((e) => e.late))).toBeCloseTo(0.85, 9);
    expect(p.notes().slice(4, 8)).toEqual(['1:72', '2.1:', '2.35:72', '2.6:']);
    expect(p.of('task-blocking')).toHaveLength(1);
  });

  it('offload does the same work in a worker: nothing is late and it still takes its time', () => {
    const p = play([melody, 'wait 1.1', 'offload 1', 'wait 1', 'stop'], { lagThreshold: 0.02 });
    p.run();
    expect(p.of('loop-lag')).toEqual([]);
    expect(p.end(p.task('offload 1').id)).toBe('done@2.1');
    expect(p.task('worker: offload 1')).toMatchObject({ kind: 'worker', parent: p.task('offload 1').id });
    expect(p.notes()).toEqual(['0:72', '0.25:', '0.5:72', '0.75:', '1:72', '1.25:', '1.5:72', '1.75:', '2:72', '2.25:', '2.5:72', '2.75:', '3:72', '3.1:']);
  });

  it('a cancelled offload abandons its job', () => {
    const p = play(['offload 5 &', 'wait 1', 'cancel t1']);
    p.run();
    expect(p.end(p.task('worker: offload 5').id)).toBe('cancelled@1');
    expect(p.session.scheduler.now).toBe(1);
  });
});
