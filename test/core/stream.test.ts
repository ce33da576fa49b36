import { describe, expect, it } from 'vitest';
import { Scheduler, sleep } from '../../src/core/scheduler';
import { FrequencyStream, noteFrequency, type StreamEvent } from '../../src/core/stream';

function setup() {
  const scheduler = new Scheduler();
  const stream = new FrequencyStream(scheduler);
  const events: StreamEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const at = (t: number, body: () => void) =>
    scheduler.spawn((function* () { yield* sleep(t); body(); })(), { name: `at ${t}` });
  return { scheduler, stream, events, at };
}

describe('the frequency stream', () => {
  it('publishes one event per instant in which the set changed, with sorted notes and their frequencies', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(72); stream.add(60); stream.add(60); });
    at(1, () => { stream.add(75); });
    at(1, () => { stream.remove(72); });
    at(2, () => { stream.remove(99); });
    scheduler.runUntilIdle();
    expect(events.map((e) => e.type === 'notes' && [e.t, e.notes])).toEqual([[0, [60, 72]], [1, [60, 75]]]);
    expect(events[0].type === 'notes' && events[0].freqs).toEqual([noteFrequency(60), noteFrequency(72)]);
  });

  it('says nothing when an instant ends with the set it began with (a chord ending as an equal one begins)', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60); stream.add(64); });
    at(1, () => { stream.remove(64); stream.remove(60); stream.add(60); stream.add(64); });
    scheduler.runUntilIdle();
    expect(events).toHaveLength(1);
    expect(stream.notes).toEqual([60, 64]);
  });

  it('silences at once on clear, and ignores adds once ended', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(0); stream.add(127); });
    at(0.5, () => stream.clear());
    at(1, () => { stream.add(60); stream.end(); stream.add(62); });
    scheduler.runUntilIdle();
    expect(events.map((e) => [e.type, e.t, e.type === 'notes' ? e.notes : null])).toEqual([
      ['notes', 0, [0, 127]],
      ['notes', 0.5, []],
      ['stream-end', 1, null],
    ]);
    expect(stream.notes).toEqual([]);
  });

  it('refuses what is not a note', () => {
    const { stream } = setup();
    for (const bad of [-1, 128, 60.5, Number.NaN]) expect(() => stream.add(bad)).toThrow(RangeError);
  });
});
