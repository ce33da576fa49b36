import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../../src/core/scheduler/queue';
import { TimerHeap } from '../../../src/core/scheduler/heap';

describe('the ready queue, read and taken out of turn (the stepper, the explorer)', () => {
  it('at, dueAt and removeAt agree with an array, across the ring buffer\'s wrap and growth', () => {
    const op = fc.oneof(fc.constant({ kind: 'push' as const }), fc.constant({ kind: 'shift' as const }), fc.nat().map((i) => ({ kind: 'remove' as const, i })));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const queue = new ReadyQueue<number>();
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            queue.push(next, next * 10);
            model.push(next++);
          } else if (o.kind === 'shift') expect(queue.shift()).toBe(model.shift());
          else if (model.length > 0) {
            const i = o.i % model.length;
            expect(queue.dueAt(i)).toBe(model[i] * 10);
            expect(queue.removeAt(i)).toBe(model.splice(i, 1)[0]);
          }
        }
        expect(Array.from({ length: queue.length }, (_, i) => queue.at(i))).toEqual(model);
      }),
      { numRuns: 50 },
    );
  });
});

describe('the timer heap\'s entries', () => {
  it('lists the live timers in the order they fire (time, then first armed), without the cancelled ones', () => {
    const heap = new TimerHeap<{ timerSeq: number; name: string }>();
    const items = ['a', 'b', 'c', 'd'].map((name) => ({ timerSeq: -1, name }));
    heap.push(3, items[0]);
    heap.push(1, items[1]);
    heap.push(3, items[2]);
    heap.push(2, items[3]);
    heap.cancel(items[3]);
    expect(heap.entries().map(([at, item]) => `${item.name}@${at}`)).toEqual(['b@1', 'a@3', 'c@3']);
  });
});
