import { describe, expect, it } from 'vitest';
import { Scheduler, sleep } from '../../../src/core/scheduler';
import { DEFAULT_LEVEL, FrequencyStream, noteFrequency, type StreamEvent } from '../../../src/core/stream';

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

  it('publishes a chord that ends as an equal one begins as new voices: a re-articulation', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60, 1); stream.add(64, 1); });
    at(1, () => { stream.remove(64, 1); stream.remove(60, 1); stream.add(60, 1); stream.add(64, 1); });
    scheduler.runUntilIdle();
    const notes = events.flatMap((e) => (e.type === 'notes' ? [e] : []));
    expect(notes.map((e) => [e.t, e.notes])).toEqual([[0, [60, 64]], [1, [60, 64]]]);
    expect(notes[1].voices!.map((v) => [v.note, v.onset])).toEqual([[60, 1e9], [64, 1e9]]);
    const ids = (i: number): number[] => notes[i].voices!.map((v) => v.id);
    expect(ids(1).some((id) => ids(0).includes(id))).toBe(false);
  });

  it('never publishes a voice that starts and ends in one instant', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60, 1); });
    at(1, () => { stream.add(62, 2); stream.remove(62, 2); });
    scheduler.runUntilIdle();
    expect(events).toHaveLength(1);
  });

  it("keeps a pitch sounding while another owner's voice of it is held", () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(48, 1); });
    at(1, () => { stream.add(48, 2); stream.add(55, 2); });
    at(1.5, () => { stream.remove(48, 2); });
    scheduler.runUntilIdle();
    const last = events.at(-1)!;
    expect(last.type === 'notes' && [last.t, last.notes, last.voices!.map((v) => [v.owner, v.note, v.onset])]).toEqual([
      1.5,
      [48, 55],
      [[1, 48, 0], [2, 55, 1e9]],
    ]);
  });

  it('ends every voice an owner holds on releaseOwner, and nobody else\'s', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60, 1); stream.add(64, 2); stream.add(67, 2); stream.add(72); });
    at(1, () => stream.releaseOwner(2));
    at(2, () => stream.releaseOwner((owner) => owner === 1));
    scheduler.runUntilIdle();
    expect(events.map((e) => e.type === 'notes' && [e.t, e.notes])).toEqual([[0, [60, 64, 67, 72]], [1, [60, 72]], [2, [72]]]);
  });

  it("keeps the demo's set without an owner: a second add changes nothing, remove ends every voice of the note, remove then add is no change", () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60); stream.add(60); stream.add(60, 3); stream.add(60, 3); });
    at(1, () => { stream.add(62, 4); stream.add(62); stream.remove(60); });
    scheduler.runUntilIdle();
    const notes = events.flatMap((e) => (e.type === 'notes' ? [e] : []));
    expect(notes[0].voices!.map((v) => [v.owner, v.note])).toEqual([[null, 60], [3, 60]]);
    expect(notes[1].voices!.map((v) => [v.owner, v.note])).toEqual([[4, 62]]);
  });

  it("is the demo's one set after useDemoSet (--exact): another owner's add of a sounding note changes nothing, and its remove ends the note", () => {
    const { scheduler, stream, events, at } = setup();
    stream.useDemoSet();
    // A line's `add 60` (owner 1), then a chord of 60 64 67 (owner 2) that ends at 0.4 s.
    at(0, () => { stream.add(60, 1); stream.add(60, 2); stream.add(64, 2); stream.add(67, 2); });
    at(0.4, () => { stream.remove(60, 2); stream.remove(64, 2); stream.remove(67, 2); });
    at(1, () => { stream.add(62, 3); stream.removeWhere(62, () => false); });
    scheduler.runUntilIdle();
    const notes = events.flatMap((e) => (e.type === 'notes' ? [[e.t, e.notes, e.voices!.map((v) => v.owner)]] : []));
    expect(notes).toEqual([[0, [60, 64, 67], [1, 2, 2]], [0.4, [], []]]);
  });

  it('says nothing when, without owners, an instant ends with the set it began with (as the demo)', () => {
    const { scheduler, stream, events, at } = setup();
    at(0, () => { stream.add(60); stream.add(64); });
    at(1, () => { stream.remove(64); stream.remove(60); stream.add(60); stream.add(64); });
    at(2, () => { stream.add(67); });
    scheduler.runUntilIdle();
    expect(events).toHaveLength(2);
    // The voices keep their ids and their order (the order added, which --exact sums in).
    const last = events[1];
    expect(last.type === 'notes' && last.voices!.map((v) => [v.id, v.note, v.onset])).toEqual([[1, 60, 0], [2, 64, 0], [3, 67, 2e9]]);
  });

  it('gives each voice its level, envelope and timbre, and refuses bad ones', () => {
    const { scheduler, stream, events, at } = setup();
    const envelope = { attack: 0.1, decay: 0.2, sustain: 0.5, release: 1 };
    at(0, () => { stream.add(60, 1); stream.add(64, 1, { level: 0.3, envelope, timbre: 'square' }); });
    scheduler.runUntilIdle();
    const e = events[0];
    expect(e.type === 'notes' && e.voices!.map(({ level, envelope, timbre }) => ({ level, envelope, timbre }))).toEqual([
      { level: DEFAULT_LEVEL, envelope: undefined, timbre: undefined },
      { level: 0.3, envelope, timbre: 'square' },
    ]);
    expect(() => stream.add(61, 1, { level: 1.5 })).toThrow(RangeError);
    expect(() => stream.add(61, 1, { envelope: { ...envelope, sustain: 2 } })).toThrow(RangeError);
    expect(() => stream.add(61, 1, { timbre: 'organ' as never })).toThrow(RangeError);
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
